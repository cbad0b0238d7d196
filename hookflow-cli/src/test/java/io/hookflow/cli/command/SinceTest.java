package io.hookflow.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hookflow.cli.error.CliException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SinceTest {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void shouldTurnAnAgeIntoTheInstantThatLongAgo() {
        assertEquals("2026-12-02T11:59:30Z", Since.parameter("30s", NOW));
        assertEquals("2026-12-02T11:45:00Z", Since.parameter("15m", NOW));
        assertEquals("2026-12-02T11:00:00Z", Since.parameter("1h", NOW));
        assertEquals("2026-11-30T12:00:00Z", Since.parameter("2d", NOW));
        assertEquals("2026-11-25T12:00:00Z", Since.parameter("1w", NOW));
    }

    @Test
    void shouldPassTimesAndDatesToTheServiceAsWritten() {
        assertEquals("2026-12-01T10:00:00+01:00", Since.parameter("2026-12-01T10:00:00+01:00", NOW));
        assertEquals("2026-12-01", Since.parameter("2026-12-01", NOW));
        assertNull(Since.parameter(null, NOW));
    }

    @Test
    void shouldRefuseANumberWithAnUnknownUnitAsAUsageError() {
        CliException refused = assertThrows(CliException.class, () -> Since.parameter("5y", NOW));
        assertEquals(CliException.USAGE, refused.exitCode());
    }

    @Test
    void shouldReadInstantsAndAgesForWatchAndTtl() {
        assertEquals(Instant.parse("2026-12-02T11:50:00Z"), Since.instant("10m", NOW));
        assertEquals(Instant.parse("2026-12-01T09:00:00Z"), Since.instant("2026-12-01T10:00:00+01:00", NOW));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), Since.instant("2026-12-01", NOW));
        assertEquals(Duration.ofHours(8), Since.age("8h", "--ttl"));
        assertEquals(CliException.USAGE, assertThrows(CliException.class, () -> Since.age("soon", "--ttl")).exitCode());
        assertEquals(CliException.USAGE, assertThrows(CliException.class, () -> Since.instant("soon", NOW)).exitCode());
    }
}
