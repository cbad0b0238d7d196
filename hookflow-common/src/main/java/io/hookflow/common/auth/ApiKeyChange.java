package io.hookflow.common.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The current state of one API key, published by ingest-service to the compacted topic
 * {@link io.hookflow.common.event.Topics#API_KEYS} on every create, enable and disable (key: the API key's id); a
 * delete publishes a tombstone. Every service reads the topic ({@link ApiKeyRegistry}) and so accepts the key without
 * reading ingest's tables. The key itself never travels: only its SHA-256 digest.
 *
 * @param digest   SHA-256 of the key's UTF-8 bytes, base64url without padding
 * @param revision grows with every change of the key, so a reader can ignore an older record it sees late
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiKeyChange(int version, String id, String orgId, String digest, boolean enabled, long revision) {

    public static final int VERSION = 1;
}
