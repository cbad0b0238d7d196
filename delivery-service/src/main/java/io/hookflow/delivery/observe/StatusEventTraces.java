package io.hookflow.delivery.observe;

import io.hookflow.common.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;

/**
 * The status events of a webhook's trace: each event the relay publishes to {@code execution-events} gets a span, a
 * child of the execution's intake span (the context stored on the execution and kept beside the event in the outbox),
 * whose context the record carries as {@code traceparent}, so a rule that fires on the status continues the trace.
 */
@ApplicationScoped
public class StatusEventTraces {

    private static final String STATUS_FIELD = "\"status\":\"";

    private final Tracer tracer;

    StatusEventTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The event of this execution is about to be published with these headers; nothing when it has no context (an
     * execution from before tracing, or an outbox row an older replica wrote).
     */
    public void publishing(String executionId, String payload, String traceparent, Headers headers) {
        if (traceparent == null) {
            return;
        }
        Span span = tracer.spanBuilder("delivery publish execution event").setSpanKind(SpanKind.PRODUCER)
                .setParent(Tracing.fromTraceparent(traceparent))
                .setAttribute("hookflow.execution_id", executionId)
                .setAttribute("messaging.destination.name", "execution-events")
                .startSpan();
        String status = statusOf(payload);
        if (status != null) {
            span.setAttribute("hookflow.execution.status", status);
        }
        Tracing.inject(Context.root().with(span), headers);
        span.end(); // publishing is the batch's; the span marks the event's place in the trace
    }

    /** The event's status, read without parsing the whole event (the relay forwards the JSON as written). */
    static String statusOf(String payload) {
        int at = payload == null ? -1 : payload.indexOf(STATUS_FIELD);
        if (at < 0) {
            return null;
        }
        int start = at + STATUS_FIELD.length();
        int end = payload.indexOf('"', start);
        return end < 0 || end - start > 20 ? null : payload.substring(start, end);
    }
}
