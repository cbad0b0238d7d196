package io.hookflow.cli.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.Since;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.error.CliException;
import io.hookflow.cli.http.Json;
import io.hookflow.cli.output.Cells;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Follows executions live by polling the list API: prints each new execution and each change of its status or
 * attempt count, until interrupted or {@code --timeout}. The service has no push API; a poll every two seconds of
 * the recent window is cheap (one indexed query).
 */
@Command(name = "watch", description = {"Follow executions live: one line per new execution and per change of status,"
        + " until Ctrl-C (or --timeout).", "With -j, one JSON object per line (the execution as the list API shows it)."})
public final class WatchExecutions extends ApiCommand {

    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELED");
    /** How far behind the last poll the next one looks, so a clock difference or a slow commit loses nothing. */
    static final Duration OVERLAP = Duration.ofSeconds(60);
    private static final int PAGE = 500;
    private static final String LINE = "%-20s  %-36s  %-9s  %-8s  %-30s  %-25s  %s";

    @Mixin
    ExecutionFilters filters;

    @Option(names = "--since", paramLabel = "AGE|TIME",
            description = "Also show executions created since then (an age such as 10m, or an ISO-8601 time); default:"
                    + " only what happens from now on.")
    String since;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between polls (default 2).")
    double intervalSeconds = 2;

    @Option(names = "--timeout", paramLabel = "AGE", description = "Stop after this long (30s, 10m, 1h); default: never.")
    String timeout;

    /** Per execution id: what was last printed (status and attempt count) and when it was created. */
    private final Map<String, Seen> seen = new HashMap<>();

    private record Seen(String state, Instant createdAt, boolean finished) {
    }

    @Override
    protected void run() {
        if (intervalSeconds < 0.1) {
            throw CliException.usage("--interval must be at least 0.1 seconds");
        }
        Instant started = Instant.now();
        Instant deadline = timeout == null ? null : started.plus(Since.age(timeout, "--timeout"));
        Instant floor;
        if (since != null) {
            floor = Since.instant(since, started);
        } else {
            // What exists already is remembered, not printed: only its later changes are news.
            floor = started.minus(OVERLAP);
            poll(floor).forEach(execution -> remember(execution));
        }
        if (!session().json()) {
            printer().line(String.format(LINE, "TIME", "ID", "STATUS", "ATTEMPTS", "RULE", "DESTINATION", "LAST ERROR")
                    .stripTrailing());
        }
        while (deadline == null || Instant.now().isBefore(deadline)) {
            Instant pollStarted = Instant.now();
            List<JsonNode> executions;
            try {
                executions = poll(floor);
            } catch (CliException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // stopped while a poll was in flight: a normal end of the watch
                }
                throw e;
            }
            for (JsonNode execution : executions) {
                if (remember(execution)) {
                    print(execution);
                }
            }
            floor = nextFloor(floor, pollStarted);
            if (!sleep()) {
                return;
            }
        }
    }

    /** Every execution created since {@code floor} that matches the filters, oldest first. */
    private List<JsonNode> poll(Instant floor) {
        List<JsonNode> found = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = filters.query();
            query.put("since", floor.toString());
            query.put("limit", String.valueOf(PAGE));
            query.put("cursor", cursor);
            JsonNode page = api().get(Service.DELIVERY, ExecutionCommand.PATH, query).json();
            page.path("items").forEach(found::add);
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        Collections.reverse(found);
        return found;
    }

    /** Records the execution's state; true when it is new or changed since last seen. */
    private boolean remember(JsonNode execution) {
        String id = execution.path("id").asText();
        String status = execution.path("status").asText();
        String state = status + "/" + execution.path("attemptCount").asText();
        Instant createdAt = parse(execution.path("createdAt").asText());
        Seen before = seen.put(id, new Seen(state, createdAt, FINAL.contains(status)));
        return before == null || !before.state().equals(state);
    }

    /**
     * The next poll looks back to whichever is older: the overlap behind this poll, or the oldest execution still
     * unfinished (its changes are still news). Finished executions older than that are forgotten, as no later poll
     * returns them.
     */
    private Instant nextFloor(Instant floor, Instant pollStarted) {
        Instant next = pollStarted.minus(OVERLAP);
        for (Seen execution : seen.values()) {
            if (!execution.finished() && execution.createdAt().isBefore(next)) {
                next = execution.createdAt();
            }
        }
        Instant kept = next.isBefore(floor) ? floor : next;
        seen.values().removeIf(execution -> execution.finished() && execution.createdAt().isBefore(kept));
        return kept;
    }

    private void print(JsonNode execution) {
        if (session().json()) {
            printer().line(Json.write(execution));
            return;
        }
        printer().line(String.format(LINE, Cells.time(execution.path("updatedAt")), Cells.text(execution.path("id")),
                Cells.text(execution.path("status")), Cells.text(execution.path("attemptCount")),
                Cells.text(execution.path("ruleRef")), Cells.text(execution.path("destinationHost")),
                Cells.text(execution.path("lastError"))).stripTrailing());
    }

    /** Waits for the next poll; false when interrupted (the watch then ends normally). */
    private boolean sleep() {
        try {
            Thread.sleep((long) (intervalSeconds * 1000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Instant parse(String time) {
        try {
            return Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
