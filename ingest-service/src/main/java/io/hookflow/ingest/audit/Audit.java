package io.hookflow.ingest.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Who created and last changed a record, and when: the same four columns on every table an operator manages. */
@Embeddable
public class Audit {

    @Column(name = "created_on", nullable = false)
    public Instant createdOn;

    @Column(name = "updated_on", nullable = false)
    public Instant updatedOn;

    @Column(name = "created_by_id", nullable = false)
    public String createdById;

    @Column(name = "updated_by_id", nullable = false)
    public String updatedById;

    /** A record created now by {@code principal}. */
    public static Audit createdBy(String principal) {
        Audit audit = new Audit();
        audit.createdOn = now();
        audit.updatedOn = audit.createdOn;
        audit.createdById = principal;
        audit.updatedById = principal;
        return audit;
    }

    /** Records a change made now by {@code principal}. */
    public void updatedBy(String principal) {
        updatedOn = now();
        updatedById = principal;
    }

    /** Microseconds: what PostgreSQL stores, so an answer shows the same instant a later read does. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
