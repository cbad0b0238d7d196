package io.hookflow.ingest.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API key of an organisation; only its digest is kept. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    public String name;

    @Column(nullable = false)
    public String digest;

    @Column(nullable = false)
    public String hint;

    @Column(nullable = false)
    public boolean enabled;

    @Column(nullable = false)
    public long revision;

    @Column(name = "created_on", nullable = false)
    public Instant createdOn;

    @Column(name = "updated_on", nullable = false)
    public Instant updatedOn;

    @Column(name = "created_by_id", nullable = false)
    public String createdById;

    @Column(name = "updated_by_id", nullable = false)
    public String updatedById;
}
