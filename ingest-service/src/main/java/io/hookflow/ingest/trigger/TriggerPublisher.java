package io.hookflow.ingest.trigger;

import org.apache.kafka.common.header.internals.RecordHeaders;
import io.opentelemetry.api.trace.Span;
import io.hookflow.ingest.observe.WebhookTraces;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.event.TriggerIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes trigger events; the returned Uni completes only once the broker acknowledged the write. */
@ApplicationScoped
public class TriggerPublisher {

    private final MutinyEmitter<TriggerEvent> emitter;
    private final OrderedTriggers orderedTriggers;

    TriggerPublisher(@Channel(Topics.TRIGGER_EVENTS)
                     @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
                     MutinyEmitter<TriggerEvent> emitter, OrderedTriggers orderedTriggers) {
        this.emitter = emitter;
        this.orderedTriggers = orderedTriggers;
    }

    public Uni<Void> publish(TriggerEvent event) {
        return publish(event, Span.getInvalid());
    }

    /** As {@link #publish(TriggerEvent)}, the record carrying the webhook span's trace context. */
    public Uni<Void> publish(TriggerEvent event, Span span) {
        RecordHeaders headers = new RecordHeaders();
        WebhookTraces.inject(span, headers);
        String key = keyOf(event, orderedTriggers.ordered(event.orgId(), event.trigger()));
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build()));
    }

    /**
     * The record key of a trigger event. A trigger that an ordered rule listens to is keyed by its identity (org, type
     * and parameters: one webhook url is one key), so its events lie in one partition in the order the broker stored
     * them and an ordered rule's lanes keep that order through rules-service (docs/delivery.md, Ordered lanes); the
     * price is that such a trigger is one partition. Every other event is keyed by its own id, so even one busy
     * webhook spreads over all partitions and every rules replica.
     */
    static String keyOf(TriggerEvent event, boolean ordered) {
        return ordered ? event.orgId() + " " + event.trigger() + " "
                + TriggerIdentity.parametersKey(event.trigger(), event.triggerParameters()) : event.id();
    }
}
