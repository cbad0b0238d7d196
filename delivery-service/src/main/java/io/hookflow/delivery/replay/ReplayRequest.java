package io.hookflow.delivery.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.paging.PageQuery;
import io.hookflow.delivery.execution.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/executions/replay}, read field by field so every problem is named:
 * {@code {"status": ["FAILED"], "ruleId": "...", "destination": "host:port", "since": "...", "until": "...",
 * "ratePerSecond": 50}}.
 */
record ReplayRequest(ReplayFilter filter, int ratePerSecond) {

    /** The longest range one job may cover, as the other time-window APIs allow. */
    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final int DEFAULT_RATE = 50;
    static final int MAX_RATE = 1000;
    /** Finished statuses only: unfinished executions are still being delivered. */
    static final Set<ExecutionStatus> REPLAYABLE = EnumSet.of(ExecutionStatus.FAILED, ExecutionStatus.CANCELED,
            ExecutionStatus.SUCCEEDED);
    private static final Set<String> FIELDS = Set.of("status", "ruleId", "destination", "since", "until",
            "ratePerSecond");
    private static final int MAX_TEXT = 500;

    /**
     * @param now the job's creation time: {@code until} defaults to it, and a later one is brought back to it (a job
     *            never takes executions created after it started)
     */
    static ReplayRequest parse(JsonNode json, Instant now) {
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object such as {\"since\": \"2026-12-01T00:00:00Z\"}");
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(new ApiError.Detail(name, "unknown field; the fields are " + String.join(", ",
                        List.of("status", "ruleId", "destination", "since", "until", "ratePerSecond"))));
            }
        }
        List<ExecutionStatus> statuses = statuses(json.get("status"), problems);
        String rule = text(json, "ruleId", problems);
        String destination = ReplayFilter.normalise(text(json, "destination", problems));
        if (destination != null && !ReplayFilter.wellFormed(destination)) {
            problems.add(new ApiError.Detail("destination",
                    "must be host:port as GET /api/v1/destinations lists it (e.g. hooks.example.com:443), or a host"));
        }
        Instant since = time(json, "since", problems);
        if (since == null && !json.hasNonNull("since")) {
            problems.add(new ApiError.Detail("since", "is required: the start of the range (creation time, inclusive)"));
        }
        Instant until = time(json, "until", problems);
        boolean untilUnreadable = json.hasNonNull("until") && until == null;
        if (!untilUnreadable && (until == null || until.isAfter(now))) {
            until = now;
        }
        if (since != null && until != null) {
            if (!since.isBefore(until)) {
                problems.add(new ApiError.Detail("since", "must be before until (and before now)"));
            } else if (Duration.between(since, until).compareTo(MAX_RANGE) > 0) {
                problems.add(new ApiError.Detail("until", "the range may cover at most 31 days; replay a longer"
                        + " outage in several jobs"));
            }
        }
        int rate = rate(json.get("ratePerSecond"), problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new ReplayRequest(new ReplayFilter(statuses, rule, destination, since, until), rate);
    }

    private static List<ExecutionStatus> statuses(JsonNode given, List<ApiError.Detail> problems) {
        if (given == null || given.isNull()) {
            return List.of(ExecutionStatus.FAILED);
        }
        List<JsonNode> values = new ArrayList<>();
        if (given.isArray()) {
            given.forEach(values::add);
        } else {
            values.add(given);
        }
        Set<ExecutionStatus> statuses = new LinkedHashSet<>();
        for (JsonNode value : values) {
            ExecutionStatus status = null;
            if (value.isTextual()) {
                try {
                    status = ExecutionStatus.valueOf(value.textValue().strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    status = null;
                }
            }
            if (status == null || !REPLAYABLE.contains(status)) {
                problems.add(new ApiError.Detail("status", "must be FAILED, CANCELED or SUCCEEDED, or a list of them"
                        + " (unfinished executions are still being delivered)"));
                return List.of();
            }
            statuses.add(status);
        }
        if (statuses.isEmpty()) {
            problems.add(new ApiError.Detail("status", "must name at least one status"));
        }
        return List.copyOf(statuses);
    }

    private static String text(JsonNode json, String field, List<ApiError.Detail> problems) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > MAX_TEXT) {
            problems.add(new ApiError.Detail(field, "must be a non-empty string of at most " + MAX_TEXT + " characters"));
            return null;
        }
        return value.textValue().strip();
    }

    private static Instant time(JsonNode json, String field, List<ApiError.Detail> problems) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new ApiError.Detail(field, "must be an ISO-8601 time with offset, such as 2026-11-23T10:00:00Z"));
            return null;
        }
        return PageQuery.parseTime(field, value.textValue(), problems);
    }

    private static int rate(JsonNode given, List<ApiError.Detail> problems) {
        if (given == null || given.isNull()) {
            return DEFAULT_RATE;
        }
        if (!given.isIntegralNumber() || !given.canConvertToInt() || given.intValue() < 1 || given.intValue() > MAX_RATE) {
            problems.add(new ApiError.Detail("ratePerSecond", "must be a whole number from 1 to " + MAX_RATE));
            return DEFAULT_RATE;
        }
        return given.intValue();
    }
}
