package io.hookflow.rules.datastore;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.template.KeyValues;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The datastore as templates read it ({@code st2kv.system.x}, {@code st2kv.user.x}): every live key in memory, so a
 * render costs no query. The view checks the datastore's revision at most once per {@code key-value-freshness}, and
 * only when a template reads it, so an idle replica never polls, and another replica's change is seen within that
 * interval; a change made here is seen at once.
 */
@ApplicationScoped
public class Datastore {

    /** A value as a template sees it: a secret's value is ciphertext, for decrypt_kv to turn into a sealed value. */
    public record Entry(String value, boolean secret, Instant expiresAt) {
    }

    private record Snapshot(long revision, long checkedAtNanos, Map<KeyValue.Id, Entry> entries) {
    }

    private final KeyValueRepository keys;
    private final RulesConfig config;
    private final TransactionSynchronizationRegistry transactions;
    private final SecretCipher cipher;
    private volatile Snapshot snapshot;
    private volatile boolean stale = true;

    Datastore(KeyValueRepository keys, RulesConfig config, TransactionSynchronizationRegistry transactions,
              SecretCipher cipher) {
        this.keys = keys;
        this.config = config;
        this.transactions = transactions;
        this.cipher = cipher;
    }

    /**
     * The datastore for one rendering of the organisation's rules: {@code st2kv.user} reads the keys of the user rules
     * run as ({@code hookflow.rules.system-user}, StackStorm's {@code stanley} by default).
     */
    public KeyValues forRendering(String orgId) {
        return new RenderingKeyValues(this, cipher, orgId, config.systemUser());
    }

    /** The live value of a key, if there is one. */
    public Optional<Entry> find(String orgId, Scope scope, String user, String name) {
        Entry entry = fresh().entries().get(new KeyValue.Id(orgId, scope.wire(), scope == Scope.SYSTEM ? "" : user, name));
        if (entry == null || entry.expiresAt() != null && !Instant.now().isBefore(entry.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /** Called inside a writing transaction: once it ends, the next read reloads. */
    void markStaleAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                stale = true;
            }
        });
    }

    private Snapshot fresh() {
        Snapshot current = snapshot;
        long now = System.nanoTime();
        if (!stale && current != null && now - current.checkedAtNanos() < config.keyValueFreshness().toNanos()) {
            return current;
        }
        return refresh();
    }

    private synchronized Snapshot refresh() {
        Snapshot current = snapshot;
        long now = System.nanoTime();
        if (!stale && current != null && now - current.checkedAtNanos() < config.keyValueFreshness().toNanos()) {
            return current; // another thread refreshed meanwhile
        }
        stale = false; // before reading: a change committed during the load marks it stale again
        Snapshot loaded = QuarkusTransaction.requiringNew().call(() -> {
            long revision = keys.revision();
            if (current != null && current.revision() == revision) {
                return new Snapshot(revision, now, current.entries());
            }
            Map<KeyValue.Id, Entry> entries = new HashMap<>();
            for (KeyValue key : keys.listLive(Instant.now())) {
                entries.put(key.id, new Entry(key.value, key.secret, key.expiresAt));
            }
            return new Snapshot(revision, now, Map.copyOf(entries));
        });
        snapshot = loaded;
        return loaded;
    }
}
