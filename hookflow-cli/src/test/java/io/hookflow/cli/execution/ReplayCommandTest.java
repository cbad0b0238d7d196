package io.hookflow.cli.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.cli.http.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReplayCommandTest {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void shouldSendTheFilterTheOptionsDescribe() {
        ReplayCommand.Start start = new ReplayCommand.Start();
        new CommandLine(start).parseArgs("--since", "6h", "--until", "2026-12-02T11:00:00Z", "--status",
                "FAILED,CANCELED", "--rule", "mypack.notify_ci", "--destination", "ci.example.com:443", "--rate", "20");

        assertEquals("{\"since\":\"2026-12-02T06:00:00Z\",\"until\":\"2026-12-02T11:00:00Z\","
                + "\"status\":[\"FAILED\",\"CANCELED\"],\"ruleId\":\"mypack.notify_ci\","
                + "\"destination\":\"ci.example.com:443\",\"ratePerSecond\":20}", Json.write(start.body(NOW)));
    }

    @Test
    void shouldLeaveDefaultsToTheService() {
        ReplayCommand.Start start = new ReplayCommand.Start();
        new CommandLine(start).parseArgs("--since", "1d");

        assertEquals("{\"since\":\"2026-12-01T12:00:00Z\"}", Json.write(start.body(NOW)));
    }
}
