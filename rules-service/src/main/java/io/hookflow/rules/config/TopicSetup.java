package io.hookflow.rules.config;

import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.KafkaTopics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the topics rules-service writes, unless they exist (in production the manifests may create them first):
 * the compacted rule-changes, and action-tasks with the broker's default partition count. Creating action-tasks before
 * the first task avoids the first sends racing the topic's leader election.
 */
@ApplicationScoped
public class TopicSetup {

    private final String bootstrapServers;
    private final RulesConfig config;

    TopicSetup(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, RulesConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    public void ensureTopics() {
        KafkaTopics.createIfAbsent(bootstrapServers, topics());
    }

    /** The topics rules-service writes, as they are created. */
    public List<NewTopic> topics() {
        return List.of(KafkaTopics.compacted(Topics.RULE_CHANGES, config.ruleChangesPartitions()),
                KafkaTopics.withBrokerDefaults(Topics.ACTION_TASKS), KafkaTopics.withBrokerDefaults(Topics.RULES_DEAD_LETTERS));
    }
}
