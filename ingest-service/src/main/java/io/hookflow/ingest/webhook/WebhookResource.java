package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.event.TriggerIdentity;
import io.hookflow.ingest.body.WebhookBody;
import io.hookflow.ingest.idempotency.IdempotencyKey;
import io.hookflow.ingest.trigger.DispatchTrigger;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Everything under {@code /api/v1/webhooks}, in one class so JAX-RS resolves the overlapping paths in one place:
 * {@code POST st2} (literal, wins over the template), {@code POST {url}} (rule-registered urls, nested allowed),
 * {@code GET|DELETE {id}} (webhooks by id) and the collection itself.
 */
@Path("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "Inbound webhooks that become trigger events")
public class WebhookResource {

    /** StackStorm trigger refs are {@code pack.name}. */
    private static final Pattern TRIGGER_REF = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");

    private final WebhookBody webhookBody;
    private final DispatchTrigger dispatch;
    private final WebhookService webhooks;
    private final List<WebhookSource> sources;
    private final Caller caller;
    private final RuleWebhooks ruleWebhooks;

    WebhookResource(WebhookBody webhookBody, DispatchTrigger dispatch, WebhookService webhooks,
                    @All List<WebhookSource> sources, Caller caller, RuleWebhooks ruleWebhooks) {
        this.ruleWebhooks = ruleWebhooks;
        this.webhookBody = webhookBody;
        this.dispatch = dispatch;
        this.webhooks = webhooks;
        this.sources = sources;
        this.caller = caller;
    }

    @POST
    @Path("st2")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fire a trigger through StackStorm's generic st2 webhook",
            description = "JSON body {\"trigger\": \"pack.name\", \"payload\": {...}}, or a form with fields trigger and "
                    + "payload (a JSON object as text). Answers 202 with the trigger instance id once Kafka has stored "
                    + "the event, or 503 with Retry-After if it could not.")
    public Uni<Response> fireSt2(HttpHeaders headers, RoutingContext context) {
        JsonNode json = webhookBody.parse(WebhookBody.raw(context), headers.getMediaType());
        boolean form = WebhookBody.FORM.isCompatible(headers.getMediaType());
        if (!json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {\"trigger\": ..., \"payload\": {...}}");
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        JsonNode trigger = json.path("trigger");
        JsonNode payload = json.path("payload");
        if (trigger.isMissingNode() || trigger.isNull()) {
            problems.add(new ApiError.Detail("trigger", "is required"));
        } else if (!trigger.isTextual() || !TRIGGER_REF.matcher(trigger.asText()).matches()) {
            problems.add(new ApiError.Detail("trigger", "must be a trigger ref string such as \"pack.name\""));
        }
        // A form cannot nest, so there the payload travels as JSON text in one field.
        if (form && payload.isTextual()) {
            payload = webhookBody.json(payload.asText());
        }
        if (payload.isMissingNode() || payload.isNull()) {
            problems.add(new ApiError.Detail("payload", "is required"));
        } else if (!payload.isObject()) {
            problems.add(new ApiError.Detail("payload", form
                    ? "must be a JSON object, sent as text in the payload field" : "must be a JSON object"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        TriggerEvent event = TriggerEvent.received(caller.orgId(), trigger.asText(), null,
                new TriggerEvent.Source("st2", remoteAddress(context.request())), payload);
        return dispatch.run(event, IdempotencyKey.of(headers, "st2"));
    }

    @POST
    @Path("{url: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fire a webhook registered by a rule (core.st2.webhook with parameters.url)",
            description = "Leading and trailing '/' are ignored; nested urls work. Dispatches trigger core.st2.webhook "
                    + "with {\"url\", \"headers\" (lower-cased, credentials removed), \"body\"}. 404 when no enabled "
                    + "rule of the organisation registers the url.")
    public Uni<Response> fireCustom(@PathParam("url") String url, HttpHeaders headers, RoutingContext context) {
        String normalised = TriggerIdentity.normaliseWebhookUrl(url);
        if (ruleWebhooks.find(caller.orgId(), normalised).isEmpty()) {
            throw ApiException.notFound("no webhook is registered at url '" + normalised + "'")
                    .because("unknown_webhook");
        }
        JsonNode body = webhookBody.parse(WebhookBody.raw(context), headers.getMediaType());
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("url", normalised);
        payload.set("headers", DispatchedHeaders.of(headers.getRequestHeaders()));
        payload.set("body", body);
        TriggerEvent event = TriggerEvent.receivedAtWebhookUrl(caller.orgId(), normalised,
                remoteAddress(context.request()), payload);
        return dispatch.run(event, IdempotencyKey.of(headers, "url:" + normalised));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List every webhook of the organisation, like st2 webhook list")
    public List<WebhookListing> list() {
        return sources.stream().flatMap(source -> source.list(caller.orgId()).stream()).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a webhook by id",
            description = "Optional name, description and secret (signs requests; write-only). Fire it with "
                    + "POST /api/v1/trigger-webhooks/{id}, which dispatches trigger type webhookId:<id>.")
    public Response create(HttpHeaders headers, RoutingContext context) {
        // Every field is optional, so no body at all is a valid request; a body is JSON under the webhook body rules.
        byte[] body = WebhookBody.raw(context);
        NewWebhook request = body.length == 0
                ? NewWebhook.EMPTY
                : NewWebhook.from(webhookBody.parse(body, headers.getMediaType()));
        WebhookView created = webhooks.create(caller.orgId(), caller.principal(), request);
        return Response.created(URI.create("/api/v1/webhooks/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read a webhook by id (its secret masked)")
    public WebhookView get(@PathParam("id") String id) {
        return webhooks.get(caller.orgId(), id).orElseThrow(() -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a webhook by id")
    public Response delete(@PathParam("id") String id) {
        if (!webhooks.delete(caller.orgId(), id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("no webhook with id '" + id + "'").because("unknown_webhook");
    }

    static String remoteAddress(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
