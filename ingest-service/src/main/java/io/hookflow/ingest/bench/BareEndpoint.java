package io.hookflow.ingest.bench;

import io.hookflow.common.error.ApiException;
import io.hookflow.ingest.config.IngestConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The benchmark's yardstick: a POST that goes through the same HTTP stack, body limit and authentication as
 * {@code /webhooks/st2} and then answers 202 without doing anything. Off (404) unless
 * {@code hookflow.ingest.bench-endpoint.enabled=true}.
 */
@Path("/api/v1/bench/noop")
public class BareEndpoint {

    private final boolean enabled;

    BareEndpoint(IngestConfig config) {
        this.enabled = config.benchEndpoint().enabled();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response accept() {
        if (!enabled) {
            throw ApiException.notFound("not found");
        }
        return Response.accepted().build();
    }
}
