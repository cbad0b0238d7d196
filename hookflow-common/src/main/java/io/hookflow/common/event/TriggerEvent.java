package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.UUID;

/**
 * One received webhook: a trigger instance. Its id is given at ingest and is the root of every id derived downstream.
 *
 * @param parameters the trigger's parameters, part of its identity as in StackStorm: {@code {"url": "hook"}} for the
 *                   webhook a rule registers at url {@code hook}; null (none) for every other trigger. Only rules whose
 *                   trigger has exactly these parameters fire.
 * @param payload what StackStorm would dispatch: the st2 webhook's {@code payload}, or {@code {url, headers, body}} for a
 *                rule-registered webhook, or {@code {headers, body}} for a webhook created by id
 * @param depth   how many rule firings led to this event (0 for a webhook); bounds rule chains
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TriggerEvent(
        int version,
        String id,
        String orgId,
        String trigger,
        JsonNode parameters,
        Instant receivedAt,
        Source source,
        JsonNode payload,
        int depth) {

    public static final int VERSION = 1;
    /** The trigger a rule-registered webhook dispatches; its parameter {@code url} says which webhook fired. */
    public static final String WEBHOOK_TRIGGER = "core.st2.webhook";

    /** A webhook ingest just received: a new trigger instance id, received now, at the start of any rule chain. */
    public static TriggerEvent received(String orgId, String trigger, JsonNode parameters, Source source,
                                        JsonNode payload) {
        return of(UUID.randomUUID().toString(), orgId, trigger, parameters, Instant.now(), source, payload, 0);
    }

    /**
     * What the webhook a rule registered at {@code url} dispatches: trigger {@link #WEBHOOK_TRIGGER} with the
     * parameters {@code {"url": url}} that only that url's rules have, its source the url.
     *
     * @param url normalised ({@link TriggerIdentity#normaliseWebhookUrl})
     */
    public static TriggerEvent receivedAtWebhookUrl(String orgId, String url, String remoteAddr, JsonNode payload) {
        return received(orgId, WEBHOOK_TRIGGER, JsonNodeFactory.instance.objectNode().put("url", url),
                new Source(url, remoteAddr), payload);
    }

    /** An event of the current version with every field given: one made inside the system or read back from a record. */
    public static TriggerEvent of(String id, String orgId, String trigger, JsonNode parameters, Instant receivedAt,
                                  Source source, JsonNode payload, int depth) {
        return new TriggerEvent(VERSION, id, orgId, trigger, parameters, receivedAt, source, payload, depth);
    }

    /**
     * The parameters that identify this event's trigger. Events written before the field existed carry none; for a
     * rule-registered webhook they are rebuilt from the url it was received at, so such an event still fires only the
     * rules of its own url.
     */
    public JsonNode triggerParameters() {
        if (parameters != null && !parameters.isNull()) {
            return parameters;
        }
        if (WEBHOOK_TRIGGER.equals(trigger) && source != null && source.webhook() != null && payload != null
                && payload.path("url").isTextual() && payload.path("url").textValue().equals(source.webhook())) {
            return JsonNodeFactory.instance.objectNode().put("url", source.webhook());
        }
        return null;
    }

    /** Where the event came from, for operators. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String webhook, String remoteAddr) {
    }
}
