package io.hookflow.ingest.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.auth.ApiKeyChange;
import io.hookflow.common.auth.ApiKeyRegistry;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.KafkaTopics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes API key changes to the compacted {@code api-keys} topic and waits for the broker's acknowledgement, so a
 * REST call that changed a key answers only once every service can learn the change. A plain producer, because a
 * delete is a tombstone (a record with a null value), which a messaging channel does not send.
 */
@ApplicationScoped
public class ApiKeyPublisher {

    private static final Logger LOG = Logger.getLogger(ApiKeyPublisher.class);
    private static final long ACK_TIMEOUT_SECONDS = 15;

    private final String bootstrapServers;
    private final ObjectMapper mapper;
    private final ApiKeyRegistry registry;
    private volatile KafkaProducer<String, String> producer;

    ApiKeyPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ObjectMapper mapper,
                    ApiKeyRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.mapper = mapper;
        this.registry = registry;
    }

    /** Publishes the key's state; throws a 503 when the broker does not acknowledge it. */
    public void publish(ApiKeyChange change) {
        String json;
        try {
            json = mapper.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ApiKeyChange always serialises", e);
        }
        send(change.id(), json);
        // This replica knows at once; the others within the reader's poll.
        registry.apply(change);
    }

    /** Publishes the tombstone of a deleted key; throws a 503 when the broker does not acknowledge it. */
    public void publishDeleted(String id) {
        send(id, null);
        registry.apply(id, null);
    }

    private void send(String id, String json) {
        try {
            producer().send(new ProducerRecord<>(Topics.API_KEYS, id, json)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // RuntimeException: also a failed topic creation or a producer that could not start.
            LOG.warnf("The broker did not acknowledge the change of API key %s: %s", id, e.toString());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static ApiException unavailable() {
        return new ApiException(503, "broker_unavailable",
                "the change could not be published to the other services and was not made; retry later");
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    // Compacted before the first write, or the broker would auto-create it with deletion by age.
                    KafkaTopics.createIfAbsent(bootstrapServers, List.of(KafkaTopics.compacted(Topics.API_KEYS, 1)));
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-api-keys");
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
                    producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
                }
                current = producer;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
