package io.hookflow.rules.execute;

import io.hookflow.stack.RequestSink;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A local HTTP target standing in for delivery-service in the narrow test of the REST client call. Each request it
 * receives is appended to a file named by a system property, since the test and this resource may live in different
 * class loaders.
 */
public class DeliveryStandIn implements QuarkusTestResourceLifecycleManager {

    static final String FILE = "hookflow.test.delivery-stand-in.file";
    static final String SEPARATOR = "\n-----\n";
    private RequestSink sink;

    @Override
    public Map<String, String> start() {
        try {
            Path file = Files.createTempFile("delivery-stand-in", ".txt");
            file.toFile().deleteOnExit();
            System.setProperty(FILE, file.toString());
            sink = RequestSink.start(0, request -> append(file, request.method() + " " + request.path() + "\n"
                    + "st2-api-key: " + request.headers().get("st2-api-key") + "\n" + request.body() + SEPARATOR));
            return Map.of("quarkus.rest-client.delivery.url", sink.url(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request received so far. */
    static String received() {
        try {
            return Files.readString(Path.of(System.getProperty(FILE)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (sink != null) {
            sink.close();
        }
    }
}
