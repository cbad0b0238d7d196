package io.hookflow.delivery.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.error.ApiExceptionMappers;
import io.hookflow.common.paging.PageQuery;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/executions/replay")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Replay", description = "Send many finished executions again after an outage, as one job with progress")
public class ReplayResource {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final ReplayJobs jobs;
    private final ReplayRunner runner;
    private final Caller caller;
    private final ObjectMapper mapper;

    ReplayResource(ReplayJobs jobs, ReplayRunner runner, Caller caller, ObjectMapper mapper) {
        this.jobs = jobs;
        this.runner = runner;
        this.caller = caller;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Start a bulk replay",
            description = "Re-queues every execution of the organisation that matches the filter as a new attempt of the"
                    + " same execution (its attempts and history stay), at most ratePerSecond a second. Body:"
                    + " {\"since\" (required, creation time, inclusive), \"until\" (exclusive, default and at most now;"
                    + " the range at most 31 days), \"status\": FAILED (default), CANCELED, SUCCEEDED or a list of them,"
                    + " \"ruleId\" (id or ref), \"destination\" (host:port, or a host), \"ratePerSecond\" (1-1000,"
                    + " default 50)}. 202 with the job; follow it with GET /api/v1/executions/replay/{id}.")
    public Response start(String body, HttpHeaders headers) {
        ReplayRequest request = ReplayRequest.parse(parse(body, headers.getMediaType()), Instant.now());
        ReplayJob job = jobs.start(caller.orgId(), request, Instant.now());
        runner.wakeUp();
        return Response.accepted(job).build();
    }

    @GET
    @Operation(summary = "The organisation's replay jobs, newest first",
            description = "Page with limit (1-100, default 20) and the cursor of the previous answer.")
    public JobList list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        List<ApiError.Detail> problems = new ArrayList<>();
        int size = limit(limit, problems);
        PageQuery.Cursor after = PageQuery.parseCursor(cursor, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        List<ReplayJob> rows = jobs.list(caller.orgId(), after == null ? null : after.time(),
                after == null ? null : after.id(), size + 1);
        boolean more = rows.size() > size;
        List<ReplayJob> page = more ? rows.subList(0, size) : rows;
        ReplayJob last = more ? page.get(page.size() - 1) : null;
        return new JobList(page, last == null ? null : PageQuery.encodeCursor(last.createdAt(), last.id()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A replay job's progress",
            description = "status (running, completed, canceled, failed), matched and queued so far. 404 for a job of"
                    + " another organisation.")
    public ReplayJob get(@PathParam("id") String id) {
        return jobs.get(caller.orgId(), id);
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel a running replay job",
            description = "Nothing more is re-queued once this answers; what was queued already is delivered. 409 for"
                    + " a job that has finished.")
    public ReplayJob cancel(@PathParam("id") String id) {
        return jobs.cancel(caller.orgId(), id, Instant.now());
    }

    private JsonNode parse(String body, MediaType type) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("send the filter as a JSON object, e.g. {\"since\": \"2026-12-01T00:00:00Z\"}");
        }
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || type.isWildcardSubtype()) {
            throw new ApiException(415, "unsupported_media_type", "send the body as application/json (got "
                    + (type == null ? "no Content-Type" : type) + ")");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ApiExceptionMappers.describe(e));
        }
    }

    private static int limit(String limit, List<ApiError.Detail> problems) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new ApiError.Detail("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    @RegisterForReflection
    public record JobList(List<ReplayJob> items, String nextCursor) {
    }
}
