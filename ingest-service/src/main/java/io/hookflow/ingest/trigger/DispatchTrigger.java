package io.hookflow.ingest.trigger;

import io.opentelemetry.api.trace.Span;
import io.hookflow.ingest.observe.WebhookTraces;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.observe.WebhookTrail;
import io.hookflow.ingest.idempotency.IdempotencyStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The durable answer to every webhook form: 202 with the trigger instance id once the broker acknowledged the event,
 * 503 with Retry-After when it did not. Never a 202 for an event the broker may not have. With an idempotency key, a
 * repeat gets the first 202 and publishes nothing.
 */
@ApplicationScoped
public class DispatchTrigger {

    private static final Logger LOG = Logger.getLogger(DispatchTrigger.class);
    static final String RETRY_AFTER_SECONDS = "5";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final TriggerPublisher publisher;
    private final IdempotencyStore idempotency;
    private final ObjectMapper mapper;
    private final ShutdownGate gate;
    private final WebhookTraces traces;

    DispatchTrigger(TriggerPublisher publisher, IdempotencyStore idempotency, ObjectMapper mapper, ShutdownGate gate,
                    WebhookTraces traces) {
        this.traces = traces;
        this.publisher = publisher;
        this.idempotency = idempotency;
        this.mapper = mapper;
        this.gate = gate;
    }

    public Uni<Response> run(TriggerEvent event, Optional<String> idempotencyKey) {
        WebhookTrail.about(event.orgId(), event.id());
        Span span = traces.received(event.id(), event.trigger());
        return dispatch(event, idempotencyKey, span).invoke(response -> WebhookTraces.answered(span, response.getStatus()));
    }

    private Uni<Response> dispatch(TriggerEvent event, Optional<String> idempotencyKey, Span span) {
        if (gate.closed()) {
            return Uni.createFrom().item(shuttingDown());
        }
        if (idempotencyKey.isEmpty()) {
            return publisher.publish(event, span)
                    .map(ack -> accepted(event, WebhookAccepted.of(event)))
                    .onFailure().recoverWithItem(failure -> brokerUnavailable(event, failure));
        }
        String key = idempotencyKey.get();
        UUID instance = UUID.fromString(event.id());
        // The store is blocking JDBC: keep it off the event loop, before and after the broker's acknowledgement.
        return Uni.createFrom().item(() -> idempotency.claim(event.orgId(), key, instance))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItemOrFailure().transformToUni((claim, failure) -> failure != null
                        ? Uni.createFrom().item(keysUnavailable(event, failure))
                        : dispatchClaimed(claim, event, key, instance, span));
    }

    private Uni<Response> dispatchClaimed(IdempotencyStore.Claim claim, TriggerEvent event, String key, UUID instance,
                                          Span span) {
        if (claim instanceof IdempotencyStore.Replay replay) {
            return Uni.createFrom().item(replayed(replay.answer()));
        }
        if (claim instanceof IdempotencyStore.InProgress) {
            return Uni.createFrom().item(inProgress());
        }
        return publisher.publish(event, span)
                .map(ack -> (Throwable) null)
                .onFailure().recoverWithItem(failure -> failure)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(failure -> failure == null
                        ? acceptedOnce(event, key, instance)
                        : releasedUnavailable(event, key, instance, failure));
    }

    private Response acceptedOnce(TriggerEvent event, String key, UUID instance) {
        WebhookAccepted answer = WebhookAccepted.of(event);
        try {
            idempotency.complete(event.orgId(), key, instance, mapper.writeValueAsString(answer));
        } catch (JsonProcessingException | RuntimeException e) {
            // The event is stored, so the answer stays 202; a repeat sees the claim as abandoned after a minute.
            LOG.warnf("Accepted trigger instance %s but could not record its idempotency key: %s", event.id(), e.toString());
        }
        return accepted(event, answer);
    }

    /** The acknowledgement may arrive on the producer's thread: the ids are set again for the line. */
    private static Response accepted(TriggerEvent event, WebhookAccepted answer) {
        WebhookTrail.about(event.orgId(), event.id());
        WebhookTrail.accepted(event.trigger());
        return accepted(answer);
    }

    private Response releasedUnavailable(TriggerEvent event, String key, UUID instance, Throwable failure) {
        try {
            idempotency.release(event.orgId(), key, instance);
        } catch (RuntimeException e) {
            LOG.warnf("Could not release idempotency key of refused trigger instance %s: %s", event.id(), e.toString());
        }
        return brokerUnavailable(event, failure);
    }

    static Response accepted(WebhookAccepted answer) {
        return Response.accepted(answer).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response replayed(String answer) {
        return Response.accepted(answer).type(MediaType.APPLICATION_JSON_TYPE).header(REPLAYED_HEADER, "true").build();
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || cause instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    static Response inProgress() {
        return Response.status(409).header("Retry-After", "1").type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("conflict",
                        "a request with this idempotency key is still being processed; retry later"))
                .build();
    }

    /** The idempotency key could not be looked up (the database is away): nothing was published, so retrying is safe. */
    static Response keysUnavailable(TriggerEvent event, Throwable failure) {
        LOG.warnf("Refused trigger %s: its idempotency key could not be claimed (%s)", event.trigger(), failure.toString());
        return Response.status(503)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("store_unavailable",
                        "the idempotency key could not be checked, so the webhook was not accepted; retry later"))
                .build();
    }

    static Response shuttingDown() {
        return Response.status(503)
                .header("Retry-After", "1")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("shutting_down",
                        "this replica is shutting down and accepted nothing; retry, another replica will take it"))
                .build();
    }

    static Response brokerUnavailable(TriggerEvent event, Throwable failure) {
        if (tooLarge(failure)) {
            // Retrying would never help: the event (body, headers and envelope) is larger than the broker takes.
            LOG.infof("Refused trigger %s: the event is larger than the broker accepts", event.trigger());
            return Response.status(413).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("payload_too_large", "the webhook with its headers is larger than the event "
                            + "size the broker accepts (about 1 MiB); send a smaller body"))
                    .build();
        }
        LOG.warnf("Refused trigger %s: the broker did not acknowledge it (%s)", event.trigger(), failure.toString());
        return Response.status(503)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("broker_unavailable",
                        "the event could not be stored durably and was not accepted; retry later"))
                .build();
    }
}
