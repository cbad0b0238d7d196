package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.ingest.body.WebhookBody;
import io.hookflow.ingest.idempotency.IdempotencyKey;
import io.hookflow.ingest.signature.SignatureVerifier;
import io.hookflow.ingest.trigger.DispatchTrigger;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/trigger-webhooks")
@Tag(name = "Webhooks")
public class TriggerWebhookResource {

    private final WebhookBody webhookBody;
    private final WebhookService webhooks;
    private final SignatureVerifier signatures;
    private final DispatchTrigger dispatch;
    private final Caller caller;

    TriggerWebhookResource(WebhookBody webhookBody, WebhookService webhooks, SignatureVerifier signatures,
                           DispatchTrigger dispatch, Caller caller) {
        this.webhookBody = webhookBody;
        this.webhooks = webhooks;
        this.signatures = signatures;
        this.dispatch = dispatch;
        this.caller = caller;
    }

    @POST
    @Path("{id}")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fire a webhook by id",
            description = "Dispatches trigger type webhookId:<id> with {\"body\": ..., \"headers\": ...} (header names "
                    + "lower-cased, credentials removed). Authenticated by an API key, or, for a webhook with a secret, "
                    + "by an HMAC-SHA256 signature over the raw body (X-Hub-Signature-256 or Standard Webhooks). "
                    + "Answers 202 with the trigger instance id once Kafka has stored the event, else 503.")
    public Uni<Response> fire(@PathParam("id") String id, HttpHeaders headers, RoutingContext context) {
        byte[] body = WebhookBody.raw(context);
        Webhook webhook = authorised(id, body, headers);
        JsonNode parsed = webhookBody.parse(body, headers.getMediaType());
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.set("body", parsed);
        payload.set("headers", DispatchedHeaders.of(headers.getRequestHeaders()));
        TriggerEvent event = TriggerEvent.received(webhook.orgId, webhook.triggerType(), null,
                new TriggerEvent.Source(webhook.triggerType(), WebhookResource.remoteAddress(context.request())), payload);
        return dispatch.run(event, IdempotencyKey.of(headers, webhook.triggerType()));
    }

    /**
     * With an API key, the caller's own webhook. Without one (the auth filter let it through only because the request
     * is signed), any organisation's webhook whose secret verifies the signature; the event then belongs to that
     * webhook's organisation.
     */
    private Webhook authorised(String id, byte[] body, HttpHeaders headers) {
        if (caller.orgId() != null) {
            return webhooks.find(caller.orgId(), id).orElseThrow(() -> WebhookResource.notFound(id));
        }
        Webhook webhook = webhooks.find(id).orElse(null);
        if (webhook == null || webhook.secret == null) {
            // Same answer as for any unauthenticated call, so an unsigned guess learns nothing about which ids exist.
            throw ApiException.unauthorized("missing API key: send it in the St2-Api-Key header or the st2-api-key "
                    + "query parameter, or sign the request with the webhook's secret").because("missing_credentials");
        }
        signatures.verify(webhooks.secretOf(webhook), body, headers);
        return webhook;
    }
}
