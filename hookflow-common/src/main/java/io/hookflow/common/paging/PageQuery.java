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

    public static Instant parseTime(String field, String value, List<ApiError.Detail> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                problems.add(new ApiError.Detail(field,
                        "must be an ISO-8601 time with offset, such as 2026-11-23T10:00:00Z, or a date"));
                return null;
            }
        }
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
            return new Cursor(Instant.parse(parts[0]), parts[1]);
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
