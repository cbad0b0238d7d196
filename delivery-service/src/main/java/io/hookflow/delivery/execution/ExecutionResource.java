package io.hookflow.delivery.execution;

import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.delivery.attempt.AttemptRepository;
import io.hookflow.delivery.execution.ExecutionRepository.ExecutionCursor;
import io.hookflow.delivery.execution.ExecutionRepository.ExecutionFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Executions", description = "Outbound webhook executions and their attempts")
public class ExecutionResource {

    private static final int MAX_LIMIT = 500;

    private final ExecutionRepository executions;
    private final AttemptRepository attempts;
    private final Caller caller;

    ExecutionResource(ExecutionRepository executions, AttemptRepository attempts, Caller caller) {
        this.executions = executions;
        this.attempts = attempts;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List executions, newest first",
            description = "Filter by status, rule (id or ref) and trigger instance; page with limit and cursor.")
    public ExecutionPage list(@QueryParam("status") String status,
                              @QueryParam("rule") String rule,
                              @QueryParam("triggerInstance") String triggerInstance,
                              @QueryParam("limit") String limit,
                              @QueryParam("cursor") String cursor) {
        List<ApiError.Detail> problems = new ArrayList<>();
        ExecutionStatus wanted = parseStatus(status, problems);
        int pageSize = parseLimit(limit, problems);
        ExecutionCursor after = parseCursor(cursor, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        List<Execution> rows = executions.search(caller.orgId(), new ExecutionFilter(wanted, rule, triggerInstance),
                after, pageSize + 1);
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
        return ExecutionView.of(execution, attempts.listForExecution(execution.id));
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

    private static int parseLimit(String limit, List<ApiError.Detail> problems) {
        if (limit == null || limit.isBlank()) {
            return 50;
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
        return 0;
    }

    private static ExecutionCursor parseCursor(String cursor, List<ApiError.Detail> problems) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new ExecutionCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            problems.add(new ApiError.Detail("cursor", "is not a cursor this API returned"));
            return null;
        }
    }

    private static String encodeCursor(Execution last) {
        String raw = last.createdAt + "|" + last.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
