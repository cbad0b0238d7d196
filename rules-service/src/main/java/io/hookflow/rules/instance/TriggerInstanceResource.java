package io.hookflow.rules.instance;

import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.rules.paging.Page;
import io.hookflow.common.paging.PageQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/triggerinstances")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Trigger instances", description = "Every trigger event rules-service consumed, and what became of it")
public class TriggerInstanceResource {

    static final Set<String> STATUSES = Set.of(TriggerInstance.PROCESSED, TriggerInstance.NO_RULE_MATCHED,
            TriggerInstance.FAILED, TriggerInstance.DROPPED);

    private final TriggerInstanceRepository instances;
    private final Caller caller;

    TriggerInstanceResource(TriggerInstanceRepository instances, Caller caller) {
        this.instances = instances;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List trigger instances, newest first",
            description = "Filter by trigger type, status (processed, no_rule_matched, failed, dropped) and time received"
                    + " (since inclusive, until exclusive, ISO-8601); page with limit and cursor.")
    public Page<TriggerInstanceView> list(@QueryParam("trigger") String trigger, @QueryParam("status") String status,
                                          @QueryParam("since") String since, @QueryParam("until") String until,
                                          @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        List<ApiError.Detail> problems = new ArrayList<>();
        String wanted = PageQuery.blankToNull(status);
        if (wanted != null && !STATUSES.contains(wanted)) {
            problems.add(new ApiError.Detail("status", "must be one of " + STATUSES));
        }
        Instant from = PageQuery.parseTime("since", since, problems);
        Instant to = PageQuery.parseTime("until", until, problems);
        PageQuery.checkWindow(from, to, problems);
        int pageSize = PageQuery.parseLimit(limit, problems);
        PageQuery.Cursor after = PageQuery.parseCursor(cursor, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        List<TriggerInstance> rows = instances.search(caller.orgId(), PageQuery.blankToNull(trigger), wanted, from, to, after,
                pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<TriggerInstance> page = more ? rows.subList(0, pageSize) : rows;
        String next = more ? PageQuery.encodeCursor(page.get(page.size() - 1).receivedAt, page.get(page.size() - 1).id) : null;
        return new Page<>(page.stream().map(TriggerInstanceView::of).toList(), next);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one trigger instance",
            description = "The id is the one ingest-service answered when it accepted the webhook.")
    public TriggerInstanceView get(@PathParam("id") String id) {
        return instances.findForOrg(caller.orgId(), id).map(TriggerInstanceView::of)
                .orElseThrow(() -> ApiException.notFound("no trigger instance " + id));
    }
}
