package io.hookflow.delivery.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.delivery.execution.ExecutionView.TransitionView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutionHistoryTest {

    private static final Instant AT = Instant.parse("2026-12-02T10:15:30.123456Z");

    @Test
    void aLineReadsBackAsTheChangeItRecords() {
        String column = ExecutionHistory.line(null, "PENDING", AT) + ExecutionHistory.line("PENDING", "RUNNING", AT)
                + ExecutionHistory.line("RUNNING", "SUCCEEDED", AT.plusMillis(7));

        List<TransitionView> changes = ExecutionHistory.parse(column);

        assertEquals(List.of(new TransitionView(null, "PENDING", AT), new TransitionView("PENDING", "RUNNING", AT),
                new TransitionView("RUNNING", "SUCCEEDED", AT.plusMillis(7))), changes);
    }

    @Test
    void timesKeepMicrosecondsAsPostgresDoes() {
        TransitionView change = ExecutionHistory.parse(
                ExecutionHistory.line("A", "B", Instant.parse("2026-12-02T10:15:30.123456789Z"))).get(0);

        assertEquals(Instant.parse("2026-12-02T10:15:30.123456Z"), change.at());
    }

    @Test
    void aRowFromBeforeTheColumnHasNoLines() {
        assertTrue(ExecutionHistory.parse(null).isEmpty());
    }

    @Test
    void oldRowsAndColumnLinesMergeByTimeKeepingTheOrderOfEqualTimes() {
        List<TransitionView> old = List.of(new TransitionView(null, "PENDING", AT), new TransitionView("PENDING",
                "RUNNING", AT));
        String column = ExecutionHistory.line("RUNNING", "RETRYING", AT.plusSeconds(1))
                + ExecutionHistory.line("RETRYING", "RUNNING", AT.plusSeconds(2));

        List<TransitionView> merged = ExecutionHistory.merged(old, column);

        assertEquals(List.of("PENDING", "RUNNING", "RETRYING", "RUNNING"), merged.stream().map(TransitionView::to).toList());
        assertNull(merged.get(0).from());
    }
}
