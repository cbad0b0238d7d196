package io.hookflow.bench.e2e;

import io.hookflow.stack.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the system asks of PostgreSQL, read from its own statistics: committed transactions and rows inserted, updated
 * and deleted in the hookflow database (pg_stat_database), and WAL written by the whole server (pg_current_wal_lsn).
 * Two snapshots around a step, divided by the webhooks it accepted, give the cost of one webhook; times a rate, what a
 * database must sustain.
 */
final class DatabaseLoad {

    static final String[] MEASURES = {"commits", "inserted", "updated", "deleted", "walBytes"};

    /** PostgreSQL's PGSTAT_IDLE_INTERVAL (10 s) and a second. */
    static final int STATS_DELAY_SECONDS = 11;

    private final Postgres postgres;

    DatabaseLoad(Postgres postgres) {
        this.postgres = postgres;
    }

    /**
     * The counters now. A busy backend reports its statistics at most once a second, an idle one within
     * {@link #STATS_DELAY_SECONDS}: take the snapshot after a step that long after its last transaction.
     */
    Map<String, Double> snapshot() {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement sql = db.createStatement()) {
            try (ResultSet row = sql.executeQuery("""
                    select xact_commit, tup_inserted, tup_updated, tup_deleted,
                           pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')
                    from pg_stat_database where datname = current_database()""")) {
                row.next();
                Map<String, Double> counters = new LinkedHashMap<>();
                for (int i = 0; i < MEASURES.length; i++) {
                    counters.put(MEASURES[i], row.getDouble(i + 1));
                }
                return counters;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read PostgreSQL's statistics", e);
        }
    }

    /** Each counter's growth from {@code before} to {@code after}, per webhook. */
    static Map<String, Double> perWebhook(Map<String, Double> before, Map<String, Double> after, int webhooks) {
        Map<String, Double> per = new LinkedHashMap<>();
        for (String measure : MEASURES) {
            per.put(measure, webhooks == 0 ? Double.NaN : (after.get(measure) - before.get(measure)) / webhooks);
        }
        return per;
    }
}
