package io.hookflow.ingest.auth;

import io.hookflow.ingest.audit.Audit;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
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

    @Embedded
    public Audit audit;
}
