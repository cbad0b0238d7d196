package io.hookflow.rules.config;

import io.hookflow.common.event.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the topics rules-service writes, unless they exist (in production the manifests may create them first):
 * the compacted rule-changes, and action-tasks with the broker's default partition count. Creating action-tasks before
 * the first task avoids the first sends racing the topic's leader election.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    private final String bootstrapServers;
    private final RulesConfig config;

    TopicSetup(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, RulesConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    public void ensureTopics() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            create(admin, new NewTopic(Topics.RULE_CHANGES, Optional.of(config.ruleChangesPartitions()), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            create(admin, new NewTopic(Topics.ACTION_TASKS, Optional.empty(), Optional.empty()));
        }
    }

    private static void create(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created topic %s", topic.name());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + topic.name(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not create topic " + topic.name() + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
