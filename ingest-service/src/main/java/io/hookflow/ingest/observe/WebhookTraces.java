package io.hookflow.ingest.observe;

import io.hookflow.common.observe.WebhookTrail;
import io.hookflow.common.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;

/**
 * The first span of a webhook's trace: from the request's arrival at ingest to its answer. A {@code traceparent} the
 * sender gave is its parent, so a sender that traces sees Hookflow under its own request; the trigger event record
 * carries this span's context on to rules-service.
 */
@ApplicationScoped
public class WebhookTraces {

    private final Tracer tracer;
    private final CurrentVertxRequest currentRequest;

    WebhookTraces(Tracer tracer, CurrentVertxRequest currentRequest) {
        this.tracer = tracer;
        this.currentRequest = currentRequest;
    }

    /** Starts the webhook's span (and puts its ids in the log lines that follow). */
    public Span received(String triggerInstanceId, String trigger) {
        RoutingContext request = currentRequest.getCurrent();
        String traceparent = request == null ? null : request.request().getHeader(Tracing.TRACEPARENT);
        Span span = tracer.spanBuilder("ingest receive webhook").setSpanKind(SpanKind.SERVER)
                .setParent(Tracing.fromTraceparent(traceparent))
                .setAttribute("hookflow.trigger_instance_id", triggerInstanceId)
                .setAttribute("hookflow.trigger", trigger)
                .startSpan();
        WebhookTrail.inTrace(Tracing.traceId(span), span.getSpanContext().getSpanId());
        return span;
    }

    /** The trigger event record carries the span's context. */
    public static void inject(Span span, Headers headers) {
        Tracing.inject(Context.root().with(span), headers);
    }

    /** The webhook was answered with this status. */
    public static void answered(Span span, int status) {
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
