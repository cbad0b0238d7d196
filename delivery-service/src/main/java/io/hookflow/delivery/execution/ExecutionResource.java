package io.hookflow.delivery.execution;

import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.paging.PageQuery;
import io.hookflow.delivery.execution.ExecutionRepository.ExecutionCursor;
import io.hookflow.delivery.execution.ExecutionRepository.ExecutionFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Executions", description = "Outbound webhook executions and their attempts")
public class ExecutionResource {


    private static final Duration DEFAULT_STATS_WINDOW = Duration.ofHours(24);

    private final ExecutionRepository executions;
    private final AttemptRepository attempts;
    private final RetryExecution retryExecution;
    private final CancelExecution cancelExecution;
    private final ComputeStats computeStats;
    private final jakarta.enterprise.event.Event<ExecutionsDue> due;
    private final Caller caller;

    ExecutionResource(ExecutionRepository executions, AttemptRepository attempts, RetryExecution retryExecution,
                      CancelExecution cancelExecution, ComputeStats computeStats, jakarta.enterprise.event.Event<ExecutionsDue> due, Caller caller) {
        this.executions = executions;
        this.attempts = attempts;
        this.retryExecution = retryExecution;
        this.cancelExecution = cancelExecution;
        this.computeStats = computeStats;
        this.due = due;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List executions, newest first",
            description = "Filter by status, rule (id or ref), trigger instance, destination host and creation time"
                    + " (since inclusive, until exclusive, ISO-8601); page with limit and cursor.")
    public ExecutionPage list(@QueryParam("status") String status,
                              @QueryParam("rule") String rule,
                              @QueryParam("triggerInstance") String triggerInstance,
                              @QueryParam("host") String host,
                              @QueryParam("since") String since,
                              @QueryParam("until") String until,
                              @QueryParam("limit") String limit,
                              @QueryParam("cursor") String cursor) {
        List<ApiError.Detail> problems = new ArrayList<>();
        ExecutionStatus wanted = parseStatus(status, problems);
        Instant from = PageQuery.parseTime("since", since, problems);
        Instant to = PageQuery.parseTime("until", until, problems);
        PageQuery.checkWindow(from, to, problems);
        int pageSize = PageQuery.parseLimit(limit, problems);
        ExecutionCursor after = parseCursor(cursor, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        ExecutionFilter filter = new ExecutionFilter(wanted, PageQuery.blankToNull(rule), PageQuery.blankToNull(triggerInstance),
                PageQuery.blankToNull(host), from, to);
        List<Execution> rows = executions.search(caller.orgId(), filter, after, pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<Execution> page = more ? rows.subList(0, pageSize) : rows;
        String next = more ? encodeCursor(page.get(page.size() - 1)) : null;
        return new ExecutionPage(page.stream().map(execution -> ExecutionView.of(execution, null)).toList(), next);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one execution with every attempt")
    public ExecutionView get(@PathParam("id") String id) {
        Execution execution = parseId(id)
                .flatMap(uuid -> executions.findForOrg(caller.orgId(), uuid))
                .orElseThrow(() -> ApiException.notFound("no execution " + id));
        return ExecutionView.of(execution, attempts.listForExecution(execution.id), executions.transitions(execution.id));
    }

    @GET
    @Path("stats")
    @Operation(summary = "Execution statistics over a time window",
            description = "Counts by status of the executions created in [since, until), the success rate of those"
                    + " finished, and p50/p95/p99 latency of the attempts started in the window. Defaults: the last"
                    + " 24 hours.")
    public ExecutionStats stats(@QueryParam("since") String since, @QueryParam("until") String until) {
        List<ApiError.Detail> problems = new ArrayList<>();
        Instant from = PageQuery.parseTime("since", since, problems);
        Instant to = PageQuery.parseTime("until", until, problems);
        Instant now = Instant.now();
        to = to == null ? now : to;
        from = from == null ? to.minus(DEFAULT_STATS_WINDOW) : from;
        PageQuery.checkWindow(from, to, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return computeStats.run(caller.orgId(), from, to);
    }

    @POST
    @Path("{id}/retry")
    @Operation(summary = "Re-run a FAILED or CANCELED execution now",
            description = "The next attempt is numbered after the last; 409 if the execution is not FAILED or CANCELED.")
    public Response retry(@PathParam("id") String id) {
        UUID uuid = parseId(id).orElseThrow(() -> ApiException.notFound("no execution " + id));
        Execution execution = retryExecution.run(caller.orgId(), uuid, Instant.now());
        // The worker looks for due work now rather than at its next poll.
        due.fire(new ExecutionsDue());
        return Response.accepted(ExecutionView.of(execution, null)).build();
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel an unfinished execution",
            description = "PENDING, RETRYING or RUNNING become CANCELED (an attempt in flight is still recorded);"
                    + " 409 if the execution has finished.")
    public ExecutionView cancel(@PathParam("id") String id) {
        UUID uuid = parseId(id).orElseThrow(() -> ApiException.notFound("no execution " + id));
        ExecutionView canceled = ExecutionView.of(cancelExecution.run(caller.orgId(), uuid, Instant.now()), null);
        // A canceled lane head lets the next execution of its lane go: the worker looks now rather than at its poll.
        due.fire(new ExecutionsDue());
        return canceled;
    }

    private static java.util.Optional<UUID> parseId(String id) {
        try {
            return java.util.Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static ExecutionStatus parseStatus(String status, List<ApiError.Detail> problems) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return ExecutionStatus.valueOf(status.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new ApiError.Detail("status", "must be one of " + Arrays.toString(ExecutionStatus.values())));
            return null;
        }
    }

    private static ExecutionCursor parseCursor(String cursor, List<ApiError.Detail> problems) {
        PageQuery.Cursor parsed = PageQuery.parseCursor(cursor, problems);
        if (parsed == null) {
            return null;
        }
        try {
            return new ExecutionCursor(parsed.time(), UUID.fromString(parsed.id()));
        } catch (IllegalArgumentException e) {
            problems.add(new ApiError.Detail("cursor", "is not a cursor this API returned"));
            return null;
        }
    }

    private static String encodeCursor(Execution last) {
        return PageQuery.encodeCursor(last.createdAt, last.id.toString());
    }
}
