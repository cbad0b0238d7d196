package io.hookflow.k8scheck;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/** The Kafka consumer groups a service declares in its application.properties, as "topic group" pairs. */
final class ConsumerGroups {

    private ConsumerGroups() {
    }

    static Set<String> of(String service) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(
                Rendering.projectRoot().resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> pairs = new HashSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                String channel = key.substring(0, key.length() - ".group.id".length());
                pairs.add(properties.getProperty(channel + ".topic") + " " + properties.getProperty(key));
            }
        }
        return pairs;
    }
}
