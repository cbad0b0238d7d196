package io.hookflow.cli.command;

import io.hookflow.cli.error.CliException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --since}: a relative age ({@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 1w}) turned into the
 * instant that long ago, or an ISO-8601 time or date passed to the service as written (it validates those).
 */
public final class Since {

    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})\\s*([smhdw])");

    private Since() {
    }

    /** The value for the API's {@code since} parameter; null stays null. */
    public static String parameter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher relative = RELATIVE.matcher(value.trim());
        if (!relative.matches()) {
            if (value.trim().matches("\\d+\\s*\\w*") && !value.trim().matches("\\d{4}-.*")) {
                throw CliException.usage("--since: '" + value + "' is neither an age such as 30s, 15m, 1h, 2d, 1w nor an "
                        + "ISO-8601 time such as 2026-12-01T10:00:00Z");
            }
            return value.trim();
        }
        return now.minus(age(Long.parseLong(relative.group(1)), relative.group(2))).truncatedTo(ChronoUnit.MILLIS)
                .toString();
    }

    /**
     * The instant itself, for commands that track time on their own side ({@code execution watch}): an age, an
     * ISO-8601 instant or a date (UTC midnight).
     */
    public static Instant instant(String value, Instant now) {
        Matcher relative = RELATIVE.matcher(value.trim());
        if (relative.matches()) {
            return now.minus(age(Long.parseLong(relative.group(1)), relative.group(2)));
        }
        try {
            return java.time.OffsetDateTime.parse(value.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException notATime) {
            try {
                return java.time.LocalDate.parse(value.trim()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (java.time.format.DateTimeParseException notADate) {
                throw CliException.usage("--since: '" + value + "' is neither an age such as 30s, 15m, 1h, 2d, 1w nor an"
                        + " ISO-8601 time such as 2026-12-01T10:00:00Z or a date");
            }
        }
    }

    /** An age such as 30s, 10m, 1h, 2d or 1w, for options that take a length of time. */
    public static Duration age(String value, String option) {
        Matcher relative = RELATIVE.matcher(value.trim());
        if (!relative.matches()) {
            throw CliException.usage(option + ": '" + value + "' is not a length of time such as 30s, 10m, 1h, 2d, 1w");
        }
        return age(Long.parseLong(relative.group(1)), relative.group(2));
    }

    private static Duration age(long amount, String unit) {
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            case "w" -> Duration.ofDays(7 * amount);
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
