package io.hookflow.rules.datastore;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One datastore value. A secret's {@link #value} is ciphertext. */
@Entity
@Table(name = "key_value")
public class KeyValue {

    /** A key's full name: organisation, scope, user ('' for system keys) and name. */
    @Embeddable
    public record Id(@Column(name = "org_id") String orgId, @Column(name = "scope") String scope,
                     @Column(name = "user_name") String user, @Column(name = "name") String name)
            implements Serializable {
    }

    @EmbeddedId
    public Id id;

    @Column(nullable = false)
    public String value;

    @Column(nullable = false)
    public boolean secret;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
