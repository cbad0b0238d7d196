package io.hookflow.ingest.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * An API key as the API shows it: {@code key} only in the answer to its creation, otherwise masked ({@code hint}).
 * Registered for reflection because it also travels inside a {@code Response}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(String id, String orgId, String name, String key, String masked, boolean enabled,
                         Instant createdOn, Instant updatedOn, String createdById, String updatedById) {

    static ApiKeyView of(ApiKey key, String plainKey) {
        return new ApiKeyView(key.id.toString(), key.orgId, key.name, plainKey, key.hint + "********", key.enabled,
                key.audit.createdOn, key.audit.updatedOn, key.audit.createdById,
                key.audit.updatedById);
    }
}
