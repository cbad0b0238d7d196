package io.hookflow.delivery.attempt;

import io.hookflow.common.observe.WebhookTrail;
import io.hookflow.delivery.observe.AttemptTraces;
import io.hookflow.delivery.http.HttpResult;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.delivery.execution.Attempt;
import io.hookflow.delivery.execution.AttemptOutcome;
import io.hookflow.delivery.execution.AttemptRepository;
import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.execution.ExecutionEventOutbox;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionLifecycle;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.hookflow.delivery.ratelimit.RateLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Stores finished attempts and moves their executions on: succeeded, retrying at a time, or failed for good. */
@ApplicationScoped
public class RecordAttempt {

    private static final Logger LOG = Logger.getLogger(RecordAttempt.class);
    private static final int TOO_MANY_REQUESTS = 429;

    private final VerdictRepository executions;
    private final AttemptRepository attempts;
    private final RetryPolicy retryPolicy;
    private final ObjectMapper mapper;
    private final ExecutionEventOutbox events;
    private final CircuitBreaker breaker;
    private final RateLimits rateLimits;

    RecordAttempt(VerdictRepository executions, AttemptRepository attempts, RetryPolicy retryPolicy, ObjectMapper mapper,
                  ExecutionEventOutbox events, CircuitBreaker breaker, RateLimits rateLimits) {
        this.executions = executions;
        this.attempts = attempts;
        this.retryPolicy = retryPolicy;
        this.mapper = mapper;
        this.events = events;
        this.breaker = breaker;
        this.rateLimits = rateLimits;
    }

    /**
     * Records many finished attempts in the caller's transaction (or a new one): their executions locked with one
     * query, their events written with one statement, and a destination already confirmed healthy in this batch not
     * asked again.
     *
     * @return per outcome, whether it closed its destination's circuit (see {@link CircuitBreaker#record})
     */
    @Transactional
    public List<Boolean> recordAll(List<Outcome> outcomes) {
        // Locked, so an operator's cancel and these verdicts cannot overwrite each other.
        List<UUID> ids = outcomes.stream().map(outcome -> outcome.claimed().id()).toList();
        Map<UUID, Execution> locked = executions.lockForVerdict(ids);
        List<Attempt> recorded = new ArrayList<>(outcomes.size());
        List<Execution> decided = new ArrayList<>(outcomes.size());
        Set<String> healthy = new HashSet<>();
        List<ExecutionEventOutbox.Change> changes = new ArrayList<>();
        List<Boolean> closedCircuits = new ArrayList<>(outcomes.size());
        Map<String, Duration> throttled = new java.util.TreeMap<>(); // "org destination" -> Retry-After (zero: none)
        Instant now = Instant.now();
        for (Outcome outcome : outcomes) {
            ClaimedExecution claimed = outcome.claimed();
            HttpResult result = outcome.result();
            recorded.add(attempt(outcome));
            // The destination's health counts every attempt, even one whose verdict no longer matters below.
            String key = claimed.orgId() + " " + claimed.destination();
            boolean closed = false;
            if (CircuitBreaker.isFailure(result) || !healthy.contains(key)) {
                closed = breaker.record(claimed.orgId(), claimed.destination(), result, now);
                if (CircuitBreaker.isFailure(result)) {
                    healthy.remove(key);
                } else {
                    healthy.add(key);
                }
            }
            closedCircuits.add(closed);
            if (result.status() != null && result.status() == TOO_MANY_REQUESTS && claimed.destination() != null) {
                // The target is up but wants less: every replica slows down (and with Retry-After stops) for it.
                Duration retryAfter = result.retryAfter(now);
                throttled.merge(key, retryAfter == null ? Duration.ZERO : retryAfter, RecordAttempt::longer);
            }
            Execution execution = locked.get(claimed.id());
            WebhookTrail.about(claimed.orgId(), execution == null ? null : execution.triggerInstanceId, claimed.id().toString());
            AttemptTraces.inLogs(claimed.traceparent(), outcome.sent() == null ? null : outcome.sent().headers());
            verdict(execution, claimed, result, now).ifPresent(change -> {
                changes.add(change);
                decided.add(execution);
            });
            WebhookTrail.attempted(claimed.attemptNumber(), result.status(), execution == null ? "gone" : execution.status.name());
        }
        // In one order (sorted), as claims lock buckets, so recording and claiming never deadlock on two of them.
        throttled.forEach((key, retryAfter) -> {
            int space = key.indexOf(' ');
            rateLimits.tooManyRequests(key.substring(0, space), key.substring(space + 1), retryAfter, now);
        });
        attempts.insertAll(recorded);
        executions.saveVerdicts(decided, changes);
        events.publish(changes);
        WebhookTrail.clear();
        return closedCircuits;
    }

    private Attempt attempt(Outcome outcome) {
        HttpResult result = outcome.result();
        Attempt attempt = new Attempt();
        attempt.id = UUID.randomUUID();
        attempt.executionId = outcome.claimed().id();
        attempt.number = outcome.claimed().attemptNumber();
        attempt.startedAt = outcome.startedAt();
        attempt.durationMs = result.durationMs();
        attempt.request = outcome.sent().redacted(mapper);
        attempt.responseStatus = result.status();
        attempt.responseHeaders = result.status() == null ? null : result.headers();
        attempt.responseBody = result.body();
        attempt.error = result.error();
        attempt.outcome = result.succeeded() ? AttemptOutcome.SUCCESS : AttemptOutcome.FAILURE;
        return attempt;
    }

    /** Moves the execution on: succeeded, retrying at a time, or failed for good; the status event, if any. */
    private Optional<ExecutionEventOutbox.Change> verdict(Execution execution, ClaimedExecution claimed, HttpResult result,
                                                          Instant now) {
        if (execution == null || execution.status != ExecutionStatus.RUNNING
                || execution.attemptCount != claimed.attemptNumber()) {
            // Canceled meanwhile, or our lease ran out and another worker owns it now: keep the attempt, not the verdict.
            LOG.infof("Execution %s moved on during attempt %d; recorded the attempt only", claimed.id(), claimed.attemptNumber());
            return Optional.empty();
        }
        if (result.succeeded()) {
            return Optional.of(events.change(ExecutionLifecycle.succeed(execution, now)));
        }
        String error = result.error() != null ? result.error() : "HTTP " + result.status();
        Optional<Duration> delay = retryPolicy.nextDelay(claimed.attemptNumber(), result, claimed.request().retry());
        return Optional.of(events.change(delay.isPresent()
                ? ExecutionLifecycle.scheduleRetry(execution, error, now.plus(delay.get()), now)
                : ExecutionLifecycle.fail(execution, error, now)));
    }

    /** The longer of two Retry-After delays (zero: none said). */
    private static Duration longer(Duration one, Duration other) {
        return one.compareTo(other) >= 0 ? one : other;
    }

    /** A finished send: the attempt as made and what came of it. */
    public record Outcome(ClaimedExecution claimed, PreparedRequest sent, Instant startedAt, HttpResult result) {
    }
}
