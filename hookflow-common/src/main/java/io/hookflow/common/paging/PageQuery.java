package io.hookflow.common.paging;

import io.hookflow.common.error.ApiError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * The query parameters every list API reads alike (executions, trigger instances, rule enforcements): since inclusive,
 * until exclusive (ISO-8601 or a date), newest first, {@code limit} rows, and an opaque cursor naming the last row seen.
 */
public final class PageQuery {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** The last row of the previous page. */
    public record Cursor(Instant time, String id) {
    }

    private PageQuery() {
    }

    /** The times PostgreSQL's timestamptz holds and people mean: years 1 to 9999. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    public static Instant parseTime(String field, String value, List<ApiError.Detail> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        Instant time;
        try {
            time = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                time = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (java.time.DateTimeException notADate) {
                problems.add(new ApiError.Detail(field,
                        "must be an ISO-8601 time with offset, such as 2026-11-23T10:00:00Z, or a date"));
                return null;
            }
        } catch (java.time.DateTimeException outOfRange) {
            problems.add(new ApiError.Detail(field, outOfRangeMessage()));
            return null;
        }
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            problems.add(new ApiError.Detail(field, outOfRangeMessage()));
            return null;
        }
        return time;
    }

    private static String outOfRangeMessage() {
        return "must lie between " + EARLIEST + " and " + LATEST;
    }

    public static void checkWindow(Instant since, Instant until, List<ApiError.Detail> problems) {
        if (since != null && until != null && !since.isBefore(until)) {
            problems.add(new ApiError.Detail("since", "must be before until"));
        }
    }

    public static int parseLimit(String limit, List<ApiError.Detail> problems) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new ApiError.Detail("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    public static Cursor parseCursor(String cursor, List<ApiError.Detail> problems) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8).split("\\|", 2);
            Instant time = Instant.parse(parts[0]);
            if (time.isBefore(EARLIEST) || time.isAfter(LATEST) || parts[1].isEmpty() || parts[1].length() > 200) {
                throw new IllegalArgumentException("not a cursor we wrote");
            }
            return new Cursor(time, parts[1]);
        } catch (RuntimeException e) {
            problems.add(new ApiError.Detail("cursor", "is not a cursor this API returned"));
            return null;
        }
    }

    public static String encodeCursor(Instant time, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((time + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
