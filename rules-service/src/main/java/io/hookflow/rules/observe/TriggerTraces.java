package io.hookflow.rules.observe;

import io.hookflow.common.observe.WebhookTrail;
import io.hookflow.common.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;

/**
 * The trace of each trigger instance through rules-service: a span from the moment its event is read (a child of the
 * ingest span whose {@code traceparent} the record carries) until its batch is recorded and its tasks are on the broker,
 * and under it one span per task published, whose context travels on in the task record's {@code traceparent}.
 */
@ApplicationScoped
public class TriggerTraces {

    private final Tracer tracer;
    /** The open span of each trigger instance being enforced (batches run concurrently). */
    private final Map<String, Span> open = new ConcurrentHashMap<>();

    TriggerTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The trigger instance was read from a record of this topic with these headers. */
    public void received(String triggerInstanceId, String trigger, String topic, Headers headers) {
        Span span = tracer.spanBuilder("rules enforce " + trigger).setSpanKind(SpanKind.CONSUMER)
                .setParent(Tracing.extract(headers))
                .setAttribute("hookflow.trigger_instance_id", triggerInstanceId)
                .setAttribute("messaging.destination.name", topic)
                .startSpan();
        Span previous = open.put(triggerInstanceId, span);
        if (previous != null) {
            previous.end(); // the same instance twice in flight (a redelivery): the older span ends here
        }
    }

    /** The trace id of the instance's span, for its records and log lines; null when it has none. */
    public String traceId(String triggerInstanceId) {
        Span span = open.get(triggerInstanceId);
        return span == null ? null : Tracing.traceId(span);
    }

    /** Sets the log lines' trace ids to the instance's span. */
    public void inLogs(String triggerInstanceId) {
        Span span = open.get(triggerInstanceId);
        WebhookTrail.inTrace(span == null ? null : Tracing.traceId(span),
                span == null || !span.getSpanContext().isValid() ? null : span.getSpanContext().getSpanId());
    }

    /**
     * A task of the instance is about to be published: a span for it (ended at once: publishing is the batch's, and
     * the batch's span covers the wait), whose context goes into the record's headers.
     */
    public void publishing(String triggerInstanceId, String ruleRef, Headers headers) {
        Span parent = open.get(triggerInstanceId);
        Span span = tracer.spanBuilder("rules publish task " + ruleRef).setSpanKind(SpanKind.PRODUCER)
                .setParent(parent == null ? Context.root() : Context.root().with(parent))
                .setAttribute("hookflow.trigger_instance_id", triggerInstanceId)
                .setAttribute("hookflow.rule_ref", ruleRef)
                .setAttribute("messaging.destination.name", "action-tasks")
                .startSpan();
        Tracing.inject(Context.root().with(span), headers);
        span.end();
    }

    /** The batch holding these instances is done (recorded and published), or failed with this error. */
    public void done(Collection<String> triggerInstanceIds, Throwable failure) {
        for (String id : triggerInstanceIds) {
            Span span = open.remove(id);
            if (span != null) {
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                }
                span.end();
            }
        }
    }
}
