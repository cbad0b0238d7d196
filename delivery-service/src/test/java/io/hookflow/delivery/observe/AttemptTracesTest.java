package io.hookflow.delivery.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hookflow.common.observe.WebhookTrail;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptTracesTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String INTAKE = "00-" + TRACE + "-b7ad6b7169203331-01";

    @AfterEach
    void clearLogContext() {
        WebhookTrail.clear();
    }

    @Test
    void shouldKeepATasksContextUntilItsExecutionIsStoredSoARetriedTransactionFindsItAgain() {
        String task = UUID.randomUUID().toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", INTAKE.getBytes());
        AttemptTraces.received(task, "pack.rule", headers);

        String first = AttemptTraces.of(task);
        String retried = AttemptTraces.of(task);

        assertEquals(TRACE, AttemptTraces.traceIdOf(first), "the intake span continues the task's trace");
        assertEquals(first, retried, "a second transaction (after a database error) reads the same context");
        AttemptTraces.forget(List.of(task));
        assertNull(AttemptTraces.of(task), "forgotten once stored");
    }

    @Test
    void shouldPutTheAttemptsOwnSpanIntoTheLogContextWhenTheSentRequestCarriesItsTrace() {
        AttemptTraces.inLogs(INTAKE, Map.of("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01"));

        assertEquals(TRACE, MDC.get(WebhookTrail.TRACE_ID));
        assertEquals("00f067aa0ba902b7", MDC.get(WebhookTrail.SPAN_ID));
    }

    @Test
    void shouldNotTakeATraceparentTheActionSetItselfForTheAttemptsSpan() {
        // Tracing off: the request carries the action's own traceparent, of another trace; the log keeps the intake's.
        AttemptTraces.inLogs(INTAKE, Map.of("traceparent", "00-11111111111111111111111111111111-2222222222222222-01"));

        assertEquals(TRACE, MDC.get(WebhookTrail.TRACE_ID));
        assertEquals("b7ad6b7169203331", MDC.get(WebhookTrail.SPAN_ID));
    }

    @Test
    void shouldLeaveTheLogContextWithoutTraceIdsForAnUntracedExecution() {
        AttemptTraces.inLogs(null, Map.of());

        assertNull(MDC.get(WebhookTrail.TRACE_ID));
        assertNull(MDC.get(WebhookTrail.SPAN_ID));
    }
}
