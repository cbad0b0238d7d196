package io.hookflow.delivery.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StatusEventTracesTest {

    @Test
    void shouldReadTheStatusOfAnEventWithoutMistakingThePreviousStatusForIt() {
        assertEquals("SUCCEEDED", StatusEventTraces.statusOf(
                "{\"version\":1,\"executionId\":\"e\",\"previousStatus\":\"RUNNING\",\"status\":\"SUCCEEDED\"}"));
        assertEquals("RETRYING", StatusEventTraces.statusOf("{\"status\":\"RETRYING\",\"previousStatus\":\"RUNNING\"}"));
    }

    @Test
    void shouldGiveNoStatusForAnEventWithoutOne() {
        assertNull(StatusEventTraces.statusOf("{\"previousStatus\":\"RUNNING\"}"));
        assertNull(StatusEventTraces.statusOf(null));
    }
}
