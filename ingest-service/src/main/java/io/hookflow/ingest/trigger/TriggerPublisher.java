package io.hookflow.ingest.trigger;

import org.apache.kafka.common.header.internals.RecordHeaders;
import io.opentelemetry.api.trace.Span;
import io.hookflow.ingest.observe.WebhookTraces;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
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
        // Keyed by trigger instance, so the events of even one busy trigger type (every rule-registered webhook is
        // core.st2.webhook) spread over all partitions and every rules replica. Nothing needs them in order: rules
        // enforces batches concurrently and each task stands alone (docs/architecture.md, Scaling).
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.id()).withHeaders(headers).build()));
    }
}
