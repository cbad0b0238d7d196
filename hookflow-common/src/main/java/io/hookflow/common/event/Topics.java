package io.hookflow.common.event;

/** The Kafka topics the services talk through; the messaging channels carry the same names. */
public final class Topics {

    /** Received webhooks, published by ingest-service, consumed by rules-service. Key: trigger type. */
    public static final String TRIGGER_EVENTS = "trigger-events";

    /** Requests to execute, published by rules-service, consumed by delivery-service. Key: task id. */
    public static final String ACTION_TASKS = "action-tasks";

    /** Execution status changes, published by delivery-service. Key: execution id. */
    public static final String EXECUTION_EVENTS = "execution-events";

    /**
     * Changes of a destination ({@link DestinationEvent}: disabled after failing for days), published by
     * delivery-service, consumed by rules-service as system triggers. Key: organisation + " " + destination.
     */
    public static final String DESTINATION_EVENTS = "destination-events";

    /** Compacted: the latest state of every rule ({@link RuleChange}), published by rules-service. Key: rule id. */
    public static final String RULE_CHANGES = "rule-changes";

    /** Compacted: API key digests and their state, published by ingest-service, read by every service. Key: key id. */
    public static final String API_KEYS = "api-keys";
    /** Compacted, key = base64url(SHA-256(token)), value = {@link io.hookflow.common.auth.TokenRevocation}. */
    public static final String TOKEN_REVOCATIONS = "token-revocations";

    /**
     * Events rules-service could not use (unreadable, or without an id, organisation or trigger), as they arrived, with
     * headers saying why and where from. Key: the original key.
     */
    public static final String RULES_DEAD_LETTERS = "rules-dead-letters";

    private Topics() {
    }
}
