package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.ingest.trigger.TriggerPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

@Path("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "Inbound webhooks that become trigger events")
public class St2WebhookResource {

    private static final Logger LOG = Logger.getLogger(St2WebhookResource.class);
    /** StackStorm trigger refs are {@code pack.name}. */
    private static final Pattern TRIGGER_REF = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");
    private static final String RETRY_AFTER_SECONDS = "5";

    private final WebhookBody webhookBody;
    private final TriggerPublisher publisher;
    private final Caller caller;

    St2WebhookResource(WebhookBody webhookBody, TriggerPublisher publisher, Caller caller) {
        this.webhookBody = webhookBody;
        this.publisher = publisher;
        this.caller = caller;
    }

    @POST
    @Path("st2")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fire a trigger through StackStorm's generic st2 webhook",
            description = "Body {\"trigger\": \"pack.name\", \"payload\": {...}}. Answers 202 with the trigger instance id "
                    + "once Kafka has stored the event, or 503 with Retry-After if it could not.")
    public Uni<Response> fireSt2(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        JsonNode json = webhookBody.parse(body, headers.getMediaType());
        List<ApiError.Detail> problems = new java.util.ArrayList<>();
        JsonNode trigger = json.path("trigger");
        JsonNode payload = json.path("payload");
        if (!json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {\"trigger\": ..., \"payload\": {...}}");
        }
        if (trigger.isMissingNode() || trigger.isNull()) {
            problems.add(new ApiError.Detail("trigger", "is required"));
        } else if (!trigger.isTextual() || !TRIGGER_REF.matcher(trigger.asText()).matches()) {
            problems.add(new ApiError.Detail("trigger", "must be a trigger ref string such as \"pack.name\""));
        }
        if (payload.isMissingNode() || payload.isNull()) {
            problems.add(new ApiError.Detail("payload", "is required"));
        } else if (!payload.isObject()) {
            problems.add(new ApiError.Detail("payload", "must be a JSON object"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        TriggerEvent event = new TriggerEvent(TriggerEvent.VERSION, UUID.randomUUID().toString(), caller.orgId(),
                trigger.asText(), Instant.now(), new TriggerEvent.Source("st2", remoteAddress(request)), payload, 0);
        return publisher.publish(event)
                .map(ack -> Response.accepted(new WebhookAccepted(event.id(), event.trigger(), event.receivedAt(), payload)).build())
                .onFailure().recoverWithItem(failure -> brokerUnavailable(event, failure));
    }

    private static Response brokerUnavailable(TriggerEvent event, Throwable failure) {
        LOG.warnf("Refused trigger %s: the broker did not acknowledge it (%s)", event.trigger(), failure.toString());
        return Response.status(503)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("broker_unavailable",
                        "the event could not be stored durably and was not accepted; retry later"))
                .build();
    }

    private static String remoteAddress(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
