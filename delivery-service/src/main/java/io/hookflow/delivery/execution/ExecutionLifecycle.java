package io.hookflow.delivery.execution;

import static io.hookflow.delivery.execution.ExecutionStatus.CANCELED;
import static io.hookflow.delivery.execution.ExecutionStatus.FAILED;
import static io.hookflow.delivery.execution.ExecutionStatus.PENDING;
import static io.hookflow.delivery.execution.ExecutionStatus.RETRYING;
import static io.hookflow.delivery.execution.ExecutionStatus.RUNNING;
import static io.hookflow.delivery.execution.ExecutionStatus.SUCCEEDED;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place an execution's status changes. Each move checks that it is legal from the status the execution is in,
 * sets every field that goes with the new status (times, lease, error), and answers the {@link Move} that the history
 * and the outbox record. Repositories persist what it decided; the two bulk statements that move many rows at once in
 * SQL (the claim, the release of parked work) take their statuses from here ({@link #CLAIMABLE}) and hand each row
 * back through {@link #claimed} so it is checked the same way.
 *
 * <pre>
 *   (new) ──admit──► PENDING ──claim──► RUNNING ──succeed──► SUCCEEDED
 *                       │  ▲               │ ├──scheduleRetry──► RETRYING ──claim──► RUNNING
 *                       │  └──retryNow──┐  │ └──fail──► FAILED ──retryNow──► PENDING | RETRYING
 *                       └──park──► RETRYING (behind an open circuit, no attempt spent)
 *   cancel: PENDING | RUNNING | RETRYING ──► CANCELED ──retryNow──► PENDING | RETRYING
 *   replay (a bulk replay job): FAILED | CANCELED ──► PENDING | RETRYING;  SUCCEEDED ──► RETRYING
 * </pre>
 */
public final class ExecutionLifecycle {

    /** Statuses a worker may claim when due (and RUNNING whose lease ran out: a takeover, no change of status). */
    public static final Set<ExecutionStatus> CLAIMABLE = EnumSet.of(PENDING, RETRYING);

    // The statuses each move may start from.
    private static final Set<ExecutionStatus> CLAIM_FROM = CLAIMABLE;
    private static final Set<ExecutionStatus> SUCCEED_FROM = EnumSet.of(RUNNING);
    private static final Set<ExecutionStatus> RETRY_FROM = EnumSet.of(RUNNING);
    /** RUNNING: the attempt's answer was final; PENDING: the task can never be sent (refused content). */
    private static final Set<ExecutionStatus> FAIL_FROM = EnumSet.of(RUNNING, PENDING);
    private static final Set<ExecutionStatus> CANCEL_FROM = EnumSet.of(PENDING, RUNNING, RETRYING);
    private static final Set<ExecutionStatus> RETRY_NOW_FROM = EnumSet.of(FAILED, CANCELED);
    /** A bulk replay may also send a success again (a receiver that lost what it got); never one that is unfinished. */
    private static final Set<ExecutionStatus> REPLAY_FROM = EnumSet.of(FAILED, CANCELED, SUCCEEDED);
    /** RUNNING: a lease that expired behind a circuit that opened meanwhile. */
    private static final Set<ExecutionStatus> PARK_FROM = EnumSet.of(PENDING, RUNNING, RETRYING);

    /** Every legal change of status, from → to: the moves above, together. */
    static final Map<ExecutionStatus, Set<ExecutionStatus>> LEGAL = legal();

    private static Map<ExecutionStatus, Set<ExecutionStatus>> legal() {
        Map<ExecutionStatus, Set<ExecutionStatus>> legal = new EnumMap<>(ExecutionStatus.class);
        for (ExecutionStatus status : ExecutionStatus.values()) {
            legal.put(status, EnumSet.noneOf(ExecutionStatus.class));
        }
        CLAIM_FROM.forEach(from -> legal.get(from).add(RUNNING));
        SUCCEED_FROM.forEach(from -> legal.get(from).add(SUCCEEDED));
        RETRY_FROM.forEach(from -> legal.get(from).add(RETRYING));
        FAIL_FROM.forEach(from -> legal.get(from).add(FAILED));
        CANCEL_FROM.forEach(from -> legal.get(from).add(CANCELED));
        RETRY_NOW_FROM.forEach(from -> legal.get(from).addAll(EnumSet.of(PENDING, RETRYING)));
        // A success always had an attempt, so its replay is RETRYING; the others as retryNow.
        REPLAY_FROM.forEach(from -> legal.get(from).add(RETRYING));
        REPLAY_FROM.stream().filter(from -> from != SUCCEEDED).forEach(from -> legal.get(from).add(PENDING));
        PARK_FROM.stream().filter(from -> from != RETRYING).forEach(from -> legal.get(from).add(RETRYING));
        return legal;
    }

    private ExecutionLifecycle() {
    }

    /** A change of status: {@code from} is null for the one that created the execution. */
    public record Move(Execution execution, ExecutionStatus from, ExecutionStatus to, Instant at) {
    }

    /** A move the execution's status does not allow (a bug, or an operator racing a worker: the caller decides). */
    public static final class IllegalMove extends IllegalStateException {
        IllegalMove(Execution execution, ExecutionStatus to) {
            super("execution " + execution.id + " cannot move from " + execution.status + " to " + to);
        }
    }

    /** Whether the status may change to {@code to}. */
    public static boolean allows(ExecutionStatus from, ExecutionStatus to) {
        return LEGAL.get(from).contains(to);
    }

    /** A new execution: PENDING and due now. */
    public static Move admit(Execution execution, Instant now) {
        execution.status = PENDING;
        execution.attemptCount = 0;
        execution.nextAttemptAt = now;
        execution.leaseExpiresAt = null;
        execution.updatedAt = now;
        return new Move(execution, null, PENDING, now);
    }

    /** PENDING or RETRYING → RUNNING under a lease, one attempt more. */
    public static Move claim(Execution execution, Duration lease, Instant now) {
        ExecutionStatus from = check(execution, CLAIM_FROM, RUNNING);
        execution.status = RUNNING;
        execution.attemptCount++;
        execution.leaseExpiresAt = now.plus(lease);
        execution.circuitParked = false;
        execution.updatedAt = now;
        return new Move(execution, from, RUNNING, now);
    }

    /**
     * A row the claim statement moved to RUNNING in SQL, with the status it had before: checked like {@link #claim}.
     * RUNNING before means a lease taken over from a worker that died: no change of status, so no move (empty).
     */
    public static java.util.Optional<Move> claimed(Execution execution, ExecutionStatus before, Instant now) {
        if (before == RUNNING) {
            return java.util.Optional.empty();
        }
        if (!CLAIMABLE.contains(before) || execution.status != RUNNING) {
            throw new IllegalStateException("the claim moved execution " + execution.id + " from " + before + " to "
                    + execution.status);
        }
        return java.util.Optional.of(new Move(execution, before, RUNNING, now));
    }

    /** RUNNING → SUCCEEDED: the target accepted the request. */
    public static Move succeed(Execution execution, Instant now) {
        ExecutionStatus from = check(execution, SUCCEED_FROM, SUCCEEDED);
        execution.status = SUCCEEDED;
        execution.lastError = null;
        execution.nextAttemptAt = null;
        execution.leaseExpiresAt = null;
        execution.finishedAt = now;
        execution.circuitParked = false;
        execution.updatedAt = now;
        return new Move(execution, from, SUCCEEDED, now);
    }

    /** RUNNING → RETRYING at {@code at}: the attempt failed and the policy allows another. */
    public static Move scheduleRetry(Execution execution, String error, Instant at, Instant now) {
        ExecutionStatus from = check(execution, RETRY_FROM, RETRYING);
        execution.status = RETRYING;
        execution.lastError = error;
        execution.nextAttemptAt = at;
        execution.leaseExpiresAt = null;
        execution.circuitParked = false;
        execution.updatedAt = now;
        return new Move(execution, from, RETRYING, now);
    }

    /** → FAILED for good: attempts exhausted, or the task can never be sent (its reason says why). */
    public static Move fail(Execution execution, String error, Instant now) {
        ExecutionStatus from = check(execution, FAIL_FROM, FAILED);
        execution.status = FAILED;
        execution.lastError = error;
        execution.nextAttemptAt = null;
        execution.leaseExpiresAt = null;
        execution.finishedAt = now;
        execution.circuitParked = false;
        execution.updatedAt = now;
        return new Move(execution, from, FAILED, now);
    }

    /** An unfinished execution → CANCELED; an attempt in flight is still recorded when it ends, but changes nothing. */
    public static Move cancel(Execution execution, Instant now) {
        ExecutionStatus from = check(execution, CANCEL_FROM, CANCELED);
        execution.status = CANCELED;
        execution.nextAttemptAt = null;
        execution.leaseExpiresAt = null;
        execution.finishedAt = now;
        execution.circuitParked = false;
        execution.updatedAt = now;
        return new Move(execution, from, CANCELED, now);
    }

    /**
     * An operator's "try again now": FAILED or CANCELED → due at once, PENDING if it never had an attempt, else
     * RETRYING (its next attempt numbered after the last; the budget is not reset).
     */
    public static Move retryNow(Execution execution, Instant now) {
        ExecutionStatus to = execution.attemptCount == 0 ? PENDING : RETRYING;
        ExecutionStatus from = check(execution, RETRY_NOW_FROM, to);
        execution.status = to;
        execution.nextAttemptAt = now;
        execution.finishedAt = null;
        execution.leaseExpiresAt = null;
        execution.circuitParked = false;
        execution.updatedAt = now;
        return new Move(execution, from, to, now);
    }

    /**
     * A bulk replay's "send it again": FAILED, CANCELED or SUCCEEDED → due at once, as {@link #retryNow} (a new attempt
     * numbered after the last, the history kept, the budget not reset). A success is final for everything else.
     */
    public static Move replay(Execution execution, Instant now) {
        ExecutionStatus to = execution.attemptCount == 0 ? PENDING : RETRYING;
        ExecutionStatus from = check(execution, REPLAY_FROM, to);
        if (!allows(from, to)) {
            throw new IllegalMove(execution, to);
        }
        execution.status = to;
        execution.nextAttemptAt = now;
        execution.finishedAt = null;
        execution.leaseExpiresAt = null;
        execution.circuitParked = false;
        execution.updatedAt = now;
        return new Move(execution, from, to, now);
    }

    /**
     * Parked behind an open circuit: RETRYING, out of the due queue until the circuit closes (which makes it due at
     * once) or it is taken as the probe; {@code nextProbe} is shown as its next attempt. No attempt is spent (the
     * attempt budget is for the target's answers, not for our own restraint). Already RETRYING: parked, but no change of
     * status (empty).
     */
    public static java.util.Optional<Move> park(Execution execution, Instant nextProbe, String reason, Instant now) {
        Instant until = nextProbe;
        ExecutionStatus from = check(execution, PARK_FROM, RETRYING);
        execution.status = RETRYING;
        execution.nextAttemptAt = until;
        execution.leaseExpiresAt = null;
        execution.circuitParked = true;
        execution.lastError = reason;
        execution.updatedAt = now;
        return from == RETRYING ? java.util.Optional.empty() : java.util.Optional.of(new Move(execution, from, RETRYING, now));
    }

    private static ExecutionStatus check(Execution execution, Set<ExecutionStatus> from, ExecutionStatus to) {
        if (execution.status == null || !from.contains(execution.status)) {
            throw new IllegalMove(execution, to);
        }
        return execution.status;
    }
}
