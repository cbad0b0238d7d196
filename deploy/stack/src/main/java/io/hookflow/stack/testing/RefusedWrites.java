package io.hookflow.stack.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A broker that stays up but refuses writes to one topic: the topic takes no record larger than one byte, so every
 * write is answered MESSAGE_TOO_LARGE until {@link #close()} lifts it. (Requiring more in-sync replicas than a
 * one-broker cluster has would not do: the broker caps min.insync.replicas at the replication factor.) Unlike a
 * restart, consumers keep their partitions and their commits go through, so only the producing service's own handling
 * of the refused write decides whether anything is lost.
 */
public final class RefusedWrites implements AutoCloseable {

    private final String bootstrapServers;
    private final ConfigResource topic;

    private RefusedWrites(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    }

    /** Starts refusing writes to the topic. */
    public static RefusedWrites to(String bootstrapServers, String topic) {
        RefusedWrites refused = new RefusedWrites(bootstrapServers, topic);
        try (Admin admin = refused.admin()) {
            refused.alter(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1"),
                    AlterConfigOp.OpType.SET));
        } catch (Exception e) {
            throw new IllegalStateException("could not make the broker refuse writes to " + topic, e);
        }
        return refused;
    }

    /** Accepts writes again (the topic's own limit goes, the broker's default applies). */
    @Override
    public void close() {
        try (Admin admin = admin()) {
            alter(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""),
                    AlterConfigOp.OpType.DELETE));
        } catch (Exception e) {
            throw new IllegalStateException("could not lift the refusal of writes to " + topic.name(), e);
        }
    }

    private void alter(Admin admin, AlterConfigOp op) throws Exception {
        admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(10, TimeUnit.SECONDS);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
    }
}
