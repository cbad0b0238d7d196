package io.hookflow.rules.records;

import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.paging.PageQuery;
import io.hookflow.rules.paging.Page;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/ruleenforcements")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rule enforcements", description = "Each (trigger instance, matched rule): the execution it produced or why it failed")
public class RuleEnforcementResource {

    private final RuleEnforcementRepository enforcements;
    private final Caller caller;

    RuleEnforcementResource(RuleEnforcementRepository enforcements, Caller caller) {
        this.enforcements = enforcements;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List rule enforcements, newest first",
            description = "Filter by rule (id or ref), trigger instance id and time (since inclusive, until exclusive,"
                    + " ISO-8601); page with limit and cursor.")
    public Page<RuleEnforcementView> list(@QueryParam("rule") String rule,
                                          @QueryParam("triggerInstance") String triggerInstance,
                                          @QueryParam("since") String since, @QueryParam("until") String until,
                                          @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        List<ApiError.Detail> problems = new ArrayList<>();
        Instant from = PageQuery.parseTime("since", since, problems);
        Instant to = PageQuery.parseTime("until", until, problems);
        PageQuery.checkWindow(from, to, problems);
        int pageSize = PageQuery.parseLimit(limit, problems);
        PageQuery.Cursor after = PageQuery.parseCursor(cursor, problems);
        if (after != null && RuleEnforcementRepository.uuid(after.id()).isEmpty()) {
            problems.add(new ApiError.Detail("cursor", "is not a cursor this API returned"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        List<RuleEnforcement> rows = enforcements.search(caller.orgId(), PageQuery.blankToNull(rule),
                PageQuery.blankToNull(triggerInstance), from, to, after, pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<RuleEnforcement> page = more ? rows.subList(0, pageSize) : rows;
        String next = more ? PageQuery.encodeCursor(page.get(page.size() - 1).createdAt, page.get(page.size() - 1).id.toString())
                : null;
        return new Page<>(page.stream().map(RuleEnforcementView::of).toList(), next);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one rule enforcement")
    public RuleEnforcementView get(@PathParam("id") String id) {
        return RuleEnforcementRepository.uuid(id)
                .flatMap(uuid -> enforcements.findForOrg(caller.orgId(), uuid))
                .map(RuleEnforcementView::of)
                .orElseThrow(() -> ApiException.notFound("no rule enforcement " + id));
    }
}
