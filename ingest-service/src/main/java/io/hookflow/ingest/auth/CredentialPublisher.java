package io.hookflow.ingest.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.auth.ApiKeyChange;
import io.hookflow.common.auth.ApiKeyRegistry;
import io.hookflow.common.auth.TokenRevocation;
import io.hookflow.common.auth.TokenRevocations;
import io.hookflow.common.auth.Tokens;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.AcknowledgedProducer;
import io.hookflow.common.kafka.KafkaTopics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes credential changes (API keys to {@code api-keys}, revoked tokens to {@code token-revocations}) and waits
 * for the broker's acknowledgement, so a REST call that changed a credential answers only once every service can learn
 * the change; this replica applies it at once.
 */
@ApplicationScoped
public class CredentialPublisher {

    private static final Logger LOG = Logger.getLogger(CredentialPublisher.class);

    private final ObjectMapper mapper;
    private final ApiKeyRegistry registry;
    private final TokenRevocations revocations;
    private final AcknowledgedProducer<String> writer;

    CredentialPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ObjectMapper mapper,
                    ApiKeyRegistry registry, TokenRevocations revocations) {
        this.mapper = mapper;
        this.registry = registry;
        this.revocations = revocations;
        // One partition each: small state, read in full by every replica of every service.
        this.writer = AcknowledgedProducer.ofStrings(bootstrapServers, "ingest-credentials", Duration.ofSeconds(15))
                .creatingFirst(List.of(KafkaTopics.compacted(Topics.API_KEYS, 1),
                        KafkaTopics.compacted(Topics.TOKEN_REVOCATIONS, 1)));
    }

    /** Publishes the key's state; throws a 503 when the broker does not acknowledge it. */
    public void publish(ApiKeyChange change) {
        send(Topics.API_KEYS, change.id(), json(change));
        registry.apply(change);
    }

    /** Publishes the tombstone of a deleted key; throws a 503 when the broker does not acknowledge it. */
    public void publishDeleted(String id) {
        send(Topics.API_KEYS, id, null);
        registry.apply(id, null);
    }

    /** Publishes a token's revocation under its revocation key; throws a 503 when the broker does not acknowledge it. */
    public void publishRevoked(Tokens.Claims token) {
        String json = json(new TokenRevocation(TokenRevocation.VERSION, token.expiry().getEpochSecond()));
        send(Topics.TOKEN_REVOCATIONS, token.revocationKey(), json);
        revocations.apply(token.revocationKey(), json);
    }

    private void send(String topic, String key, String value) {
        try {
            writer.send(topic, key, value);
        } catch (AcknowledgedProducer.Unacknowledged e) {
            LOG.warnf("The broker did not acknowledge a credential change: %s", e.getMessage());
            throw new ApiException(503, "broker_unavailable",
                    "the change could not be published to the other services and was not made; retry later");
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("credential changes always serialise", e);
        }
    }

    @PreDestroy
    void close() {
        writer.close();
    }
}
