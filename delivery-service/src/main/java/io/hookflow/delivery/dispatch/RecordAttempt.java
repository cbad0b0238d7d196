package io.hookflow.delivery.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.delivery.attempt.Attempt;
import io.hookflow.delivery.attempt.AttemptOutcome;
import io.hookflow.delivery.attempt.AttemptRepository;
import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.event.ExecutionEventOutbox;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.hookflow.delivery.execution.ExecutionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Stores one attempt and moves its execution on: succeeded, retrying at a time, or failed for good. */
@ApplicationScoped
public class RecordAttempt {

    private static final Logger LOG = Logger.getLogger(RecordAttempt.class);

    private final ExecutionRepository executions;
    private final AttemptRepository attempts;
    private final RetryPolicy retryPolicy;
    private final ObjectMapper mapper;
    private final ExecutionEventOutbox events;
    private final CircuitBreaker breaker;

    RecordAttempt(ExecutionRepository executions, AttemptRepository attempts, RetryPolicy retryPolicy, ObjectMapper mapper,
                  ExecutionEventOutbox events, CircuitBreaker breaker) {
        this.breaker = breaker;
        this.executions = executions;
        this.attempts = attempts;
        this.retryPolicy = retryPolicy;
        this.mapper = mapper;
        this.events = events;
    }

    /** @return whether this attempt closed its destination's circuit (see {@link CircuitBreaker#record}) */
    @Transactional
    public boolean record(ClaimedExecution claimed, PreparedRequest sent, Instant startedAt, HttpResult result) {
        Attempt attempt = new Attempt();
        attempt.id = UUID.randomUUID();
        attempt.executionId = claimed.id();
        attempt.number = claimed.attemptNumber();
        attempt.startedAt = startedAt;
        attempt.durationMs = result.durationMs();
        attempt.request = sent.redacted(mapper);
        attempt.responseStatus = result.status();
        attempt.responseHeaders = result.status() == null ? null : result.headers();
        attempt.responseBody = result.body();
        attempt.error = result.error();
        attempt.outcome = result.succeeded() ? AttemptOutcome.SUCCESS : AttemptOutcome.FAILURE;
        attempts.persist(attempt);
        // The destination's health counts every attempt, even one whose verdict no longer matters below.
        boolean closed = breaker.record(claimed.orgId(), claimed.destination(), result, Instant.now());

        // Locked, so an operator's cancel and this verdict cannot overwrite each other.
        Execution execution = executions.findById(claimed.id(), LockModeType.PESSIMISTIC_WRITE);
        if (execution == null || execution.status != ExecutionStatus.RUNNING
                || execution.attemptCount != claimed.attemptNumber()) {
            // Canceled meanwhile, or our lease ran out and another worker owns it now: keep the attempt, not the verdict.
            LOG.infof("Execution %s moved on during attempt %d; recorded the attempt only", claimed.id(), claimed.attemptNumber());
            return closed;
        }
        Instant now = Instant.now();
        execution.updatedAt = now;
        execution.leaseExpiresAt = null;
        if (result.succeeded()) {
            execution.status = ExecutionStatus.SUCCEEDED;
            execution.lastError = null;
            execution.nextAttemptAt = null;
            execution.finishedAt = now;
            events.statusChanged(execution, ExecutionStatus.RUNNING, now);
            return closed;
        }
        execution.lastError = result.error() != null ? result.error() : "HTTP " + result.status();
        Optional<Duration> delay = retryPolicy.nextDelay(claimed.attemptNumber(), result, claimed.request().retry());
        if (delay.isPresent()) {
            execution.status = ExecutionStatus.RETRYING;
            execution.nextAttemptAt = now.plus(delay.get());
        } else {
            execution.status = ExecutionStatus.FAILED;
            execution.nextAttemptAt = null;
            execution.finishedAt = now;
        }
        events.statusChanged(execution, ExecutionStatus.RUNNING, now);
        return closed;
    }
}
