package io.hookflow.delivery.signing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.hibernate.query.NativeQuery;

/** The signing_key table, in plain SQL and always scoped to one organisation. */
@ApplicationScoped
public class SigningKeyRepository {

    private static final String COLUMNS = "id, algorithm, public_key, private_key, created_at, retire_at";

    private final EntityManager entityManager;

    SigningKeyRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** A row as stored: the private key still sealed. */
    record StoredKey(String id, SigningAlgorithm algorithm, String publicKey, String sealedPrivateKey,
                     Instant createdAt, Instant retireAt) {
    }

    void insert(String orgId, StoredKey key) {
        sql("insert into {h-schema}signing_key (id, org_id, algorithm, public_key, private_key, created_at, retire_at)"
                + " values (:id, :orgId, :algorithm, :publicKey, :privateKey, :createdAt, :retireAt)")
                .setParameter("id", key.id())
                .setParameter("orgId", orgId)
                .setParameter("algorithm", key.algorithm().id())
                .setParameter("publicKey", key.publicKey(), String.class)
                .setParameter("privateKey", key.sealedPrivateKey())
                .setParameter("createdAt", key.createdAt())
                .setParameter("retireAt", key.retireAt(), Instant.class)
                .executeUpdate();
    }

    /** The organisation's keys, newest first. */
    @SuppressWarnings("unchecked")
    List<StoredKey> listForOrg(String orgId) {
        List<Object[]> rows = sql("select " + COLUMNS + " from {h-schema}signing_key where org_id = :orgId"
                + " order by created_at desc, id").setParameter("orgId", orgId).getResultList();
        return rows.stream().map(SigningKeyRepository::key).toList();
    }

    @SuppressWarnings("unchecked")
    Optional<StoredKey> find(String orgId, String id) {
        List<Object[]> rows = sql("select " + COLUMNS + " from {h-schema}signing_key where org_id = :orgId and id = :id")
                .setParameter("orgId", orgId).setParameter("id", id).getResultList();
        return rows.stream().map(SigningKeyRepository::key).findFirst();
    }

    /**
     * Moves the key's retirement to {@code retireAt}, never later than one already set, unless it is already retired.
     *
     * @return false when the organisation has no such key that still signs at {@code now}
     */
    boolean retire(String orgId, String id, Instant retireAt, Instant now) {
        return sql("update {h-schema}signing_key set retire_at = least(coalesce(retire_at, :retireAt), :retireAt)"
                + " where org_id = :orgId and id = :id and (retire_at is null or retire_at > :now)")
                .setParameter("orgId", orgId)
                .setParameter("id", id)
                .setParameter("retireAt", retireAt)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }

    private static StoredKey key(Object[] row) {
        return new StoredKey((String) row[0], SigningAlgorithm.of((String) row[1]).orElseThrow(), (String) row[2],
                (String) row[3], instant(row[4]), instant(row[5]));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }

    /** A native query on the key table only: Hibernate need not flush loaded executions and attempts before it. */
    @SuppressWarnings("rawtypes")
    private NativeQuery sql(String sql) {
        return entityManager.createNativeQuery(sql).unwrap(NativeQuery.class).addSynchronizedQuerySpace("signing_key");
    }
}
