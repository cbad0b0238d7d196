package io.hookflow.cli.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.cli.http.Json;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RateLimitCommandTest {

    @Test
    void shouldSendTheLimitTheOptionsDescribe() {
        RateLimitCommand.Set set = new RateLimitCommand.Set();
        new CommandLine(set).parseArgs("hooks.example.com:443", "--per-second", "2.5", "--burst", "5");

        assertEquals("{\"perSecond\":2.5,\"burst\":5}", Json.write(set.body()));
    }

    @Test
    void shouldLeaveTheBurstToTheService() {
        RateLimitCommand.Set set = new RateLimitCommand.Set();
        new CommandLine(set).parseArgs("hooks.example.com:443", "--per-second", "10");

        assertEquals("{\"perSecond\":10.0}", Json.write(set.body()));
    }

    @Test
    void shouldShowTheRateInForceAndThePause() {
        String shown = RateLimitCommand.details(Json.parse("""
                {"destination": "hooks.example.com:443", "perSecond": null, "burst": 10, "currentPerSecond": 5.0,
                 "throttledAt": "2026-12-02T12:00:00Z", "pausedUntil": "2026-12-02T12:00:02Z", "tokens": 0.0}""",
                "limit"));

        assertTrue(shown.contains("none set; slowed by a 429"), shown);
        assertTrue(shown.contains("5.0 per second"), shown);
        assertTrue(shown.contains("paused until"), shown);
    }
}
