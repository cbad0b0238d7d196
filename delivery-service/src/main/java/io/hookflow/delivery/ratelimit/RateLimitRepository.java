package io.hookflow.delivery.ratelimit;

import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.config.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The token buckets in PostgreSQL ({@code rate_limit}), one statement per operation. Every replica takes tokens from
 * the same row under its lock, so the rate holds across replicas; the refill is computed from the time elapsed since
 * {@code refreshed_at}, never by a timer. The rate in force is a pure function of the row and the time (see
 * {@link #rate}), so a bucket recovering from 429s needs no background job to climb back.
 */
@ApplicationScoped
public class RateLimitRepository {

    static final String DESTINATION = "DESTINATION";
    static final String RULE = "RULE";

    private final Jdbc jdbc;
    private final String grantSql;
    private final String throttleSql;
    private final String findSql;
    private final String forgetRecoveredSql;
    private final String countThrottledSql;

    RateLimitRepository(Jdbc jdbc, DeliveryConfig config) {
        this.jdbc = jdbc;
        DeliveryConfig.RateLimit limits = config.rateLimit();
        double step = limits.recoveryStep();
        double interval = Math.max(0.001, limits.recoveryInterval().toMillis() / 1000.0);
        // Tokens: what was left plus the rate in force times the seconds since the last refill, at most burst; the
        // claim gets what it wants of the whole tokens. refreshed_at never moves back (a replica's clock behind another's
        // then refills nothing rather than twice), and a pause has put it in the future: no token before then.
        this.grantSql = """
                with p(now, wanted) as (values (cast(? as timestamptz), cast(? as integer))),
                b as (
                    select r.org_id, r.scope, r.key, %1$s as rate,
                           least(r.burst, r.tokens + greatest(0, extract(epoch from (p.now - r.refreshed_at))) * %1$s)
                               as available
                    from {schema}.rate_limit r, p
                    where r.org_id = ? and r.scope = ? and r.key = ?
                    for update of r),
                g as (select b.*, least(p.wanted, floor(b.available + 1e-9)) as granted from b, p)
                update {schema}.rate_limit r
                set tokens = g.available - g.granted, refreshed_at = greatest(r.refreshed_at, p.now), updated_at = p.now
                from g, p
                where r.org_id = g.org_id and r.scope = g.scope and r.key = g.key
                returning g.granted, r.tokens, g.rate, r.refreshed_at""".formatted(rate("r", "p.now", step, interval));
        // A 429 halves the rate in force, once per second however many answers of the same burst say so (they were all
        // sent at the old rate); a Retry-After pauses the bucket until then. A destination without a limit gets an
        // adaptive bucket, which starts at adaptive-start and is removed once it has climbed back there.
        this.throttleSql = """
                insert into {schema}.rate_limit as r (org_id, scope, key, configured_per_second, burst, ceiling_per_second,
                    throttled_per_second, throttled_at, paused_until, tokens, refreshed_at, updated_at)
                values (?, 'DESTINATION', ?, null, ?, ?, ?, ?, ?, 0, ?, ?)
                on conflict (org_id, scope, key) do update set
                    throttled_per_second = case when r.throttled_at > excluded.throttled_at - interval '1 second'
                        then r.throttled_per_second else greatest(%2$s, %1$s / 2) end,
                    throttled_at = case when r.throttled_at > excluded.throttled_at - interval '1 second'
                        then r.throttled_at else excluded.throttled_at end,
                    paused_until = greatest(r.paused_until, excluded.paused_until),
                    tokens = case when excluded.paused_until is null then r.tokens else 0 end,
                    refreshed_at = greatest(r.refreshed_at, excluded.paused_until),
                    updated_at = excluded.updated_at"""
                .formatted(rate("r", "excluded.throttled_at", step, interval), limits.minPerSecond());
        this.findSql = """
                select r.key, r.configured_per_second, r.burst, %1$s, r.throttled_at, r.paused_until,
                       least(r.burst, r.tokens + greatest(0, extract(epoch from (cast(? as timestamptz) - r.refreshed_at)))
                           * %1$s),
                       r.updated_at
                from {schema}.rate_limit r where r.org_id = ? and r.scope = 'DESTINATION' and r.key = ?"""
                .formatted(rate("r", "cast(? as timestamptz)", step, interval));
        this.forgetRecoveredSql = """
                delete from {schema}.rate_limit r
                where r.configured_per_second is null and (r.paused_until is null or r.paused_until <= cast(? as timestamptz))
                  and %s >= r.ceiling_per_second""".formatted(rate("r", "cast(? as timestamptz)", step, interval));
        this.countThrottledSql = """
                select count(*) from {schema}.rate_limit r
                where r.paused_until > cast(? as timestamptz) or %s < r.ceiling_per_second"""
                .formatted(rate("r", "cast(? as timestamptz)", step, interval));
    }

    /**
     * The rate in force at {@code now}: the ceiling, or after a 429 the halved rate plus {@code step} of the ceiling per
     * whole {@code interval} since, up to the ceiling.
     */
    private static String rate(String row, String now, double step, double intervalSeconds) {
        return ("(case when %1$s.throttled_at is null then %1$s.ceiling_per_second else least(%1$s.ceiling_per_second,"
                + " %1$s.throttled_per_second + %1$s.ceiling_per_second * %3$s"
                + " * floor(greatest(0, extract(epoch from (%2$s - %1$s.throttled_at))) / %4$s)) end)")
                .formatted(row, now, step, intervalSeconds);
    }

    /** Takes up to {@code wanted} tokens from a bucket; empty when it has none (no limit there). */
    Optional<Grant> take(String orgId, String scope, String key, int wanted, Instant now) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql(grantSql))) {
                Jdbc.setInstant(statement, 1, now);
                statement.setInt(2, wanted);
                statement.setString(3, orgId);
                statement.setString(4, scope);
                statement.setString(5, key);
                try (ResultSet result = statement.executeQuery()) {
                    if (!result.next()) {
                        return Optional.empty();
                    }
                    int granted = (int) Math.round(result.getDouble(1));
                    double left = result.getDouble(2);
                    double rate = result.getDouble(3);
                    Instant refreshedAt = instant(result, 4);
                    Instant next = left >= 1 ? null
                            : refreshedAt.plusNanos((long) Math.ceil((1 - left) / Math.max(rate, 1e-6) * 1e9));
                    return Optional.of(new Grant(granted, next));
                }
            }
        });
    }

    /** Gives back tokens a claim took but did not use (another bucket of the same execution refused it). */
    void giveBack(String orgId, String scope, String key, int tokens) {
        if (tokens <= 0) {
            return;
        }
        jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    update {schema}.rate_limit set tokens = least(burst, tokens + ?)
                    where org_id = ? and scope = ? and key = ?"""))) {
                statement.setInt(1, tokens);
                statement.setString(2, orgId);
                statement.setString(3, scope);
                statement.setString(4, key);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Sets a limit: a new bucket starts full; an existing one keeps its tokens (at most the new burst) and its adaptive
     * state, a halved rate no higher than the new limit.
     */
    void configure(String orgId, String scope, String key, double perSecond, int burst, Instant now) {
        jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    insert into {schema}.rate_limit as r (org_id, scope, key, configured_per_second, burst,
                        ceiling_per_second, tokens, refreshed_at, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (org_id, scope, key) do update set
                        configured_per_second = excluded.configured_per_second, burst = excluded.burst,
                        ceiling_per_second = excluded.ceiling_per_second,
                        throttled_per_second = least(r.throttled_per_second, excluded.ceiling_per_second),
                        tokens = least(r.tokens, excluded.burst), updated_at = excluded.updated_at
                    where r.configured_per_second is distinct from excluded.configured_per_second
                       or r.burst <> excluded.burst"""))) {
                statement.setString(1, orgId);
                statement.setString(2, scope);
                statement.setString(3, key);
                statement.setDouble(4, perSecond);
                statement.setInt(5, burst);
                statement.setDouble(6, perSecond);
                statement.setDouble(7, burst);
                Jdbc.setInstant(statement, 8, now);
                Jdbc.setInstant(statement, 9, now);
                return statement.executeUpdate();
            }
        });
    }

    /** @return whether there was a bucket */
    boolean remove(String orgId, String scope, String key) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql(
                    "delete from {schema}.rate_limit where org_id = ? and scope = ? and key = ?"))) {
                statement.setString(1, orgId);
                statement.setString(2, scope);
                statement.setString(3, key);
                return statement.executeUpdate() > 0;
            }
        });
    }

    /** Records a 429 from the destination; {@code pausedUntil} null when it said no Retry-After. */
    void throttle(String orgId, String destination, Instant pausedUntil, double adaptiveStart, double minPerSecond,
                  Instant now) {
        jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql(throttleSql))) {
                statement.setString(1, orgId);
                statement.setString(2, destination);
                statement.setInt(3, Math.max(1, (int) Math.ceil(adaptiveStart)));
                statement.setDouble(4, adaptiveStart);
                statement.setDouble(5, Math.max(minPerSecond, adaptiveStart / 2));
                Jdbc.setInstant(statement, 6, now);
                Jdbc.setInstant(statement, 7, pausedUntil);
                Jdbc.setInstant(statement, 8, pausedUntil == null || pausedUntil.isBefore(now) ? now : pausedUntil);
                Jdbc.setInstant(statement, 9, now);
                return statement.executeUpdate();
            }
        });
    }

    Optional<RateLimit> find(String orgId, String destination, Instant now) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql(findSql))) {
                Jdbc.setInstant(statement, 1, now);
                Jdbc.setInstant(statement, 2, now);
                Jdbc.setInstant(statement, 3, now);
                statement.setString(4, orgId);
                statement.setString(5, destination);
                try (ResultSet result = statement.executeQuery()) {
                    if (!result.next()) {
                        return Optional.empty();
                    }
                    double configured = result.getDouble(2);
                    Double perSecond = result.wasNull() ? null : configured;
                    Instant pausedUntil = instant(result, 6);
                    return Optional.of(new RateLimit(result.getString(1), perSecond, result.getInt(3),
                            result.getDouble(4), instant(result, 5),
                            pausedUntil == null || !pausedUntil.isAfter(now) ? null : pausedUntil,
                            Math.max(0, result.getDouble(7)), instant(result, 8)));
                }
            }
        });
    }

    /** Of these destinations of the organisation, those with a bucket (a limit, or a 429's adaptive state). */
    public Set<String> limitedDestinations(String orgId, Set<String> destinations) {
        if (destinations.isEmpty()) {
            return Set.of();
        }
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    select key from {schema}.rate_limit where org_id = ? and scope = 'DESTINATION' and key = any (?)"""))) {
                statement.setString(1, orgId);
                statement.setArray(2, connection.createArrayOf("text", destinations.toArray()));
                Set<String> limited = new HashSet<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        limited.add(result.getString(1));
                    }
                }
                return limited;
            }
        });
    }

    /** What the claim needs to know of its chosen executions: rule, the rule's own limit, a destination bucket. */
    List<Candidate> candidates(List<UUID> ids) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    select e.id, e.org_id, e.destination, e.rule_id,
                           cast(e.request -> 'rateLimit' ->> 'perSecond' as double precision),
                           cast(e.request -> 'rateLimit' ->> 'burst' as integer),
                           exists (select 1 from {schema}.rate_limit r
                                   where r.org_id = e.org_id and r.scope = 'DESTINATION' and r.key = e.destination)
                    from {schema}.execution e where e.id = any (?)"""))) {
                statement.setArray(1, Jdbc.uuids(connection, ids));
                List<Candidate> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        double perSecond = result.getDouble(5);
                        Double rulePerSecond = result.wasNull() ? null : perSecond;
                        int burst = result.getInt(6);
                        Integer ruleBurst = result.wasNull() ? null : burst;
                        rows.add(new Candidate((UUID) result.getObject(1), result.getString(2), result.getString(3),
                                result.getString(4), rulePerSecond, ruleBurst, result.getBoolean(7)));
                    }
                }
                return rows;
            }
        });
    }

    /** Removes adaptive buckets whose rate has climbed back and that are not paused: the destination is unlimited again. */
    public int forgetRecovered(Instant now) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql(forgetRecoveredSql))) {
                Jdbc.setInstant(statement, 1, now);
                Jdbc.setInstant(statement, 2, now);
                return statement.executeUpdate();
            }
        });
    }

    /** Buckets paused or below their ceiling after 429s, all organisations: for the gauge. */
    public long countThrottled(Instant now) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql(countThrottledSql))) {
                Jdbc.setInstant(statement, 1, now);
                Jdbc.setInstant(statement, 2, now);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        });
    }

    private static Instant instant(ResultSet result, int column) throws SQLException {
        Timestamp timestamp = result.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** A chosen execution as the rate limits see it. */
    record Candidate(UUID id, String orgId, String destination, String ruleId, Double rulePerSecond, Integer ruleBurst,
                     boolean destinationLimited) {
    }
}
