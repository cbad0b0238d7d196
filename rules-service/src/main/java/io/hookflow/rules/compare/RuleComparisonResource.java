package io.hookflow.rules.compare;

import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.paging.PageQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The rule comparison, under the rules' path ({@code GET /api/v1/rules/compare}). */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules")
public class RuleComparisonResource {

    /** Without since, the comparison covers the day before until. */
    static final Duration DEFAULT_WINDOW = Duration.ofDays(1);

    private final CompareRules compare;
    private final Caller caller;

    RuleComparisonResource(CompareRules compare, Caller caller) {
        this.compare = compare;
        this.caller = caller;
    }

    @GET
    @Path("compare")
    @Operation(summary = "Compare what two rules matched over a time range",
            description = "a and b: rule refs (pack.name) or ids of the caller's organisation (404 otherwise). since "
                    + "(inclusive, default: a day before until) and until (exclusive, default: now), ISO-8601, at most 31 "
                    + "days apart, select enforcements by the time they were recorded. Answers the number of trigger "
                    + "instances matched by both, only a and only b, and the newest ids of each, at most limit "
                    + "(default 50, at most 500) per list; the lists are not paged, the counts are complete. Made for "
                    + "trying a shadow rule (mode: shadow) beside the live rule it may replace.")
    public RuleComparison compare(@QueryParam("a") String a, @QueryParam("b") String b,
                                  @QueryParam("since") String since, @QueryParam("until") String until,
                                  @QueryParam("limit") String limit) {
        List<ApiError.Detail> problems = new ArrayList<>();
        String refA = PageQuery.blankToNull(a);
        String refB = PageQuery.blankToNull(b);
        if (refA == null) {
            problems.add(new ApiError.Detail("a", "is required: a rule ref (pack.name) or id"));
        }
        if (refB == null) {
            problems.add(new ApiError.Detail("b", "is required: a rule ref (pack.name) or id"));
        }
        Instant from = PageQuery.parseTime("since", since, problems);
        Instant to = PageQuery.parseTime("until", until, problems);
        int max = PageQuery.parseLimit(limit, problems);
        if (to == null && PageQuery.blankToNull(until) == null) {
            to = Instant.now();
        }
        if (from == null && PageQuery.blankToNull(since) == null && to != null) {
            from = to.minus(DEFAULT_WINDOW).isBefore(PageQuery.EARLIEST) ? PageQuery.EARLIEST : to.minus(DEFAULT_WINDOW);
        }
        PageQuery.checkWindow(from, to, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return compare.run(caller.orgId(), refA, refB, from, to, max);
    }
}
