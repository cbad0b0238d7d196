package io.hookflow.ingest.webhook;

import io.hookflow.ingest.audit.Audit;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
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

    @Embedded
    public Audit audit;

    public String triggerType() {
        return triggerType(id);
    }

    public static String triggerType(UUID id) {
        return "webhookId:" + id;
    }
}
