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

    TriggerPublisher(@Channel(Topics.TRIGGER_EVENTS)
                     @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
                     MutinyEmitter<TriggerEvent> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(TriggerEvent event) {
        return publish(event, Span.getInvalid());
    }

    /** As {@link #publish(TriggerEvent)}, the record carrying the webhook span's trace context. */
    public Uni<Void> publish(TriggerEvent event, Span span) {
        RecordHeaders headers = new RecordHeaders();
        WebhookTraces.inject(span, headers);
        // Keyed by trigger (org, type and parameters: one webhook url is one key), so one trigger's events lie in one
        // partition in the order the broker stored them. An ordered rule listens to one trigger, so its lanes keep that
        // order through rules-service (docs/delivery.md, Ordered lanes). The price: one busy trigger is one partition.
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(keyOf(event)).withHeaders(headers).build()));
    }

    /** The record key of a trigger event: its trigger's identity within its organisation. */
    static String keyOf(TriggerEvent event) {
        return event.orgId() + " " + event.trigger() + " "
                + TriggerIdentity.parametersKey(event.trigger(), event.triggerParameters());
    }
}
