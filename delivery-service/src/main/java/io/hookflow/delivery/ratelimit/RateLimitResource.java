package io.hookflow.delivery.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.OutboundRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/destinations/{destination}/rate-limit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Destinations", description = "Where the organisation's deliveries go, and their circuit breakers")
public class RateLimitResource {

    /** host:port as the execution rows name a destination (lower case, the scheme's default port filled in). */
    private static final Pattern DESTINATION = Pattern.compile("(\\[[0-9a-f:.]+\\]|[a-z0-9._-]+):([0-9]{1,5})");

    private final RateLimits limits;
    private final Caller caller;

    RateLimitResource(RateLimits limits, Caller caller) {
        this.limits = limits;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "A destination's rate limit and its adaptive state",
            description = "perSecond and burst as configured (perSecond null for a limit only 429s created), the rate"
                    + " in force now (currentPerSecond: halved by each 429, climbing back by 10 % of the limit per 10 s"
                    + " without one), when a 429 last slowed it, until when a Retry-After paused it (no request from any"
                    + " replica before then) and the tokens available now. 404 when the destination has neither.")
    public RateLimit get(@PathParam("destination") String destination) {
        String normalised = destination(destination);
        return limits.get(caller.orgId(), normalised)
                .orElseThrow(() -> ApiException.notFound("no rate limit for " + normalised));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(schema = @Schema(implementation = Limit.class),
            example = "{\"perSecond\": 10, \"burst\": 20}"))
    @Operation(summary = "Set a destination's rate limit",
            description = "Requests per second to this destination (host:port) from all replicas together, perSecond"
                    + " 0.01-10000, and burst (1-10000, default one second's worth): how many may go at once after a"
                    + " quiet spell. A rule's own rate_limit applies as well; the stricter wins. 400 for anything else.")
    public RateLimit put(@PathParam("destination") String destination, JsonNode body) {
        String normalised = destination(destination);
        Limit limit = limit(body);
        return limits.set(caller.orgId(), normalised, limit.perSecond(),
                RateLimits.boundedBurst(limit.burst(), limit.perSecond()));
    }

    @DELETE
    @Operation(summary = "Remove a destination's rate limit",
            description = "Removes the limit and any adaptive state (a Retry-After's pause included); 204, or 404 when"
                    + " there was none.")
    public Response delete(@PathParam("destination") String destination) {
        String normalised = destination(destination);
        if (!limits.remove(caller.orgId(), normalised)) {
            throw ApiException.notFound("no rate limit for " + normalised);
        }
        return Response.noContent().build();
    }

    static String destination(String raw) {
        String normalised = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        var match = DESTINATION.matcher(normalised);
        if (!match.matches() || Integer.parseInt(match.group(2)) < 1 || Integer.parseInt(match.group(2)) > 65535) {
            throw ApiException.invalid(List.of(new ApiError.Detail("destination",
                    "must be host:port, as GET /api/v1/destinations lists it (e.g. hooks.example.com:443)")));
        }
        return normalised;
    }

    static Limit limit(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {\"perSecond\": 10, \"burst\": 20}");
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("perSecond") && !name.equals("burst")) {
                problems.add(new ApiError.Detail(name, "unknown field; a rate limit has perSecond and burst"));
            }
        }
        JsonNode perSecond = body.get("perSecond");
        if (perSecond == null || !perSecond.isNumber() || !Double.isFinite(perSecond.doubleValue())
                || perSecond.doubleValue() < OutboundRequest.RateLimit.MIN_PER_SECOND
                || perSecond.doubleValue() > OutboundRequest.RateLimit.MAX_PER_SECOND) {
            problems.add(new ApiError.Detail("perSecond", "required, a number from "
                    + OutboundRequest.RateLimit.MIN_PER_SECOND + " to " + (int) OutboundRequest.RateLimit.MAX_PER_SECOND));
        }
        JsonNode burst = body.get("burst");
        boolean burstGiven = burst != null && !burst.isNull();
        if (burstGiven && (!burst.isIntegralNumber() || !burst.canConvertToInt() || burst.intValue() < 1
                || burst.intValue() > OutboundRequest.RateLimit.MAX_BURST)) {
            problems.add(new ApiError.Detail("burst", "a whole number from 1 to " + OutboundRequest.RateLimit.MAX_BURST));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new Limit(perSecond.doubleValue(), burstGiven ? burst.intValue() : null);
    }

    /** The body of a PUT. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Limit(
            @Schema(description = "requests per second, 0.01-10000", example = "10") double perSecond,
            @Schema(description = "requests at once after a quiet spell, 1-10000; default one second's worth",
                    example = "20") Integer burst) {
    }
}
