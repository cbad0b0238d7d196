package io.hookflow.ingest.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A webhook created by id: {@code POST /api/v1/trigger-webhooks/{id}} fires trigger {@code webhookId:<id>}. */
@Entity
@Table(name = "webhook")
public class Webhook {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    public String name;

    public String description;

    /** Signs requests (HMAC-SHA256); null when callers must use an API key. */
    public String secret;

    @Column(name = "created_on", nullable = false)
    public Instant createdOn;

    @Column(name = "updated_on", nullable = false)
    public Instant updatedOn;

    @Column(name = "created_by_id", nullable = false)
    public String createdById;

    @Column(name = "updated_by_id", nullable = false)
    public String updatedById;

    public String triggerType() {
        return triggerType(id);
    }

    public static String triggerType(UUID id) {
        return "webhookId:" + id;
    }
}
