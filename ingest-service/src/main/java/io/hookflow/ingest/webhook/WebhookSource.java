package io.hookflow.ingest.webhook;

import java.util.List;

/**
 * Something that registers webhooks: the built-in st2 webhook, the webhooks created by id, and (later) the urls that
 * rules register with {@code core.st2.webhook}. The listing joins every source, so a new one is one more bean.
 */
public interface WebhookSource {

    List<WebhookListing> list(String orgId);
}
