package io.hookflow.delivery.observe;

import io.hookflow.common.observe.WebhookTrail;
import io.hookflow.common.trace.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;

/**
 * The delivery end of a webhook's trace: a span when a task is taken in (a child of rules-service's publish span, from
 * the task record's {@code traceparent}), and under it one span per attempt, retries included, whose context the
 * outbound request carries as {@code traceparent} so a target that traces sees itself as a child.
 *
 * <p>Static, because the task record's headers are seen by the Kafka deserializer, which Kafka creates, not CDI; the
 * tracer is set when the application starts. The intake span's context waits here, as a {@code traceparent}, only from
 * the record's deserialisation until intake has recorded the execution, which stores it ({@link #of}, then
 * {@link #forget} after the commit: a transaction retried after a database error must find it again): every attempt,
 * on any replica and after a restart, is then a child of it.
 */
@ApplicationScoped
public class AttemptTraces {

    /** A bound for contexts of records read but never recorded (a rebalance took the partition meanwhile). */
    static final int REMEMBERED = 10_000;
    private static volatile Tracer tracer = OpenTelemetry.noop().getTracer("delivery");
    private static final Map<String, String> TASKS = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > REMEMBERED;
                }
            });
    private static final Map<UUID, Span> ATTEMPTS = new ConcurrentHashMap<>();

    private final Tracer configured;

    AttemptTraces(Tracer configured) {
        this.configured = configured;
    }

    void start(@Observes @Priority(1) StartupEvent startup) {
        tracer = configured;
    }

    /** A task record was read (its id is its execution's). */
    public static void received(String taskId, String ruleRef, Headers headers) {
        if (taskId == null) {
            return;
        }
        Span intake = tracer.spanBuilder("delivery intake task").setSpanKind(SpanKind.CONSUMER)
                .setParent(Tracing.extract(headers))
                .setAttribute("hookflow.execution_id", taskId)
                .setAttribute("messaging.destination.name", "action-tasks")
                .startSpan();
        if (ruleRef != null) {
            intake.setAttribute("hookflow.rule_ref", ruleRef);
        }
        intake.end();
        String traceparent = Tracing.traceparent(intake.getSpanContext());
        if (traceparent != null) {
            TASKS.put(taskId, traceparent);
        }
    }

    /** The task's intake span context, as a {@code traceparent}, for its execution to store; null when untraced. */
    public static String of(String taskId) {
        return TASKS.get(taskId);
    }

    /** The tasks' executions are stored (committed) with their contexts: nothing needs them here any more. */
    public static void forget(Collection<String> taskIds) {
        taskIds.forEach(TASKS::remove);
    }

    /** An attempt of the execution starts, a child of the stored intake context ({@code null}: a trace of its own). */
    public static void sending(UUID executionId, int attempt, String traceparent) {
        Span span = tracer.spanBuilder("delivery attempt").setSpanKind(SpanKind.CLIENT)
                .setParent(Tracing.fromTraceparent(traceparent))
                .setAttribute("hookflow.execution_id", executionId.toString())
                .setAttribute("hookflow.attempt", attempt)
                .startSpan();
        Span previous = ATTEMPTS.put(executionId, span);
        if (previous != null) {
            previous.end();
        }
    }

    /** The outbound request's headers get the attempt's {@code traceparent} (replacing one the action set). */
    public static void addTraceparent(UUID executionId, Map<String, String> headers) {
        Span span = ATTEMPTS.get(executionId);
        String traceparent = span == null ? null : Tracing.traceparent(span.getSpanContext());
        if (traceparent != null) {
            headers.keySet().removeIf(name -> name.equalsIgnoreCase(Tracing.TRACEPARENT));
            headers.put(Tracing.TRACEPARENT, traceparent);
        }
    }

    /** The attempt is over: the target's status (null without an answer) and whether it succeeded. */
    public static void sent(UUID executionId, Integer status, boolean succeeded, boolean refused) {
        Span span = ATTEMPTS.remove(executionId);
        if (span == null) {
            return;
        }
        if (status != null) {
            span.setAttribute("http.response.status_code", status);
        }
        if (!succeeded) {
            span.setStatus(StatusCode.ERROR, refused ? "refused" : status == null ? "no response" : "HTTP " + status);
        }
        span.end();
    }

    /**
     * Puts the attempt's trace into the log lines' MDC: the trace id of the execution's stored intake context, and the
     * attempt's own span id when the request it sent carries a {@code traceparent} of that trace (else the intake's).
     */
    public static void inLogs(String intakeTraceparent, Map<String, String> sentHeaders) {
        String traceId = traceIdOf(intakeTraceparent);
        String spanId = spanIdOf(intakeTraceparent);
        String sent = sentHeaders == null ? null : sentHeaders.get(Tracing.TRACEPARENT);
        if (traceId != null && sent != null && traceId.equals(traceIdOf(sent))) {
            spanId = spanIdOf(sent);
        }
        WebhookTrail.inTrace(traceId, spanId);
    }

    static String spanIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length == 4 ? parts[2] : null;
    }

    /** The trace id a {@code traceparent} names ({@code 00-<trace id>-<span id>-<flags>}); null when there is none. */
    public static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length == 4 ? parts[1] : null;
    }
}
