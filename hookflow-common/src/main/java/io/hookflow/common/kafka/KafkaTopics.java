package io.hookflow.common.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the topics a service writes, unless they exist: in production the manifests may have created them first.
 * A writer creates its topics before the first write, or the broker would auto-create them with its defaults (deletion
 * by age where compaction is needed, and the first sends racing the leader election).
 */
public final class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);

    private KafkaTopics() {
    }

    /** A compacted topic: state (keys, rules) read in full by every replica of every service. */
    public static NewTopic compacted(String name, int partitions) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** A topic with the broker's default partition count and replication. */
    public static NewTopic withBrokerDefaults(String name) {
        return new NewTopic(name, Optional.empty(), Optional.empty());
    }

    /** Creates each topic that does not exist yet; throws if the broker cannot create one in time. */
    public static void createIfAbsent(String bootstrapServers, List<NewTopic> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "hookflow-topic-setup");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(props)) {
            CreateTopicsResult created = admin.createTopics(topics);
            for (NewTopic topic : topics) {
                awaitCreated(created, topic.name());
            }
        }
    }

    private static void awaitCreated(CreateTopicsResult created, String topic) {
        try {
            created.values().get(topic).get(15, TimeUnit.SECONDS);
            LOG.infof("Created topic %s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not create topic " + topic + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic, e);
        }
    }
}
