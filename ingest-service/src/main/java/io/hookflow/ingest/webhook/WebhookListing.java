package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of {@code GET /api/v1/webhooks}, like {@code st2 webhook list}.
 *
 * @param kind    {@code st2} (the generic webhook), {@code id} (created by id) or {@code rule} (registered by rules)
 * @param url     where to POST
 * @param trigger the trigger type a request fires, when fixed
 * @param rules   the rules that registered the url, for rule-registered webhooks
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WebhookListing(String kind, String url, String trigger, String id, String name, List<String> rules) {
}
