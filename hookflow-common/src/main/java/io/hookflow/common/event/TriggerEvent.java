package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One received webhook: a trigger instance. Its id is given at ingest and is the root of every id derived downstream.
 *
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
        Instant receivedAt,
        Source source,
        JsonNode payload,
        int depth) {

    public static final int VERSION = 1;

    /** Where the event came from, for operators. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String webhook, String remoteAddr) {
    }
}
