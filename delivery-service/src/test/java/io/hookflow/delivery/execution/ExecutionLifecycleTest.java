package io.hookflow.delivery.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every move from every status: the legal ones change exactly what they say, the others change nothing and refuse. */
class ExecutionLifecycleTest {

    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(2);

    /** Each move, the status it leads to, and the statuses it may start from. */
    record MoveCase(String name, ExecutionStatus to, Set<ExecutionStatus> from, Function<Execution, ExecutionLifecycle.Move> move) {
    }

    static final List<MoveCase> MOVES = List.of(
            new MoveCase("claim", ExecutionStatus.RUNNING, EnumSet.of(ExecutionStatus.PENDING, ExecutionStatus.RETRYING),
                    e -> ExecutionLifecycle.claim(e, LEASE, NOW)),
            new MoveCase("succeed", ExecutionStatus.SUCCEEDED, EnumSet.of(ExecutionStatus.RUNNING),
                    e -> ExecutionLifecycle.succeed(e, NOW)),
            new MoveCase("scheduleRetry", ExecutionStatus.RETRYING, EnumSet.of(ExecutionStatus.RUNNING),
                    e -> ExecutionLifecycle.scheduleRetry(e, "HTTP 500", NOW.plusSeconds(5), NOW)),
            new MoveCase("fail", ExecutionStatus.FAILED, EnumSet.of(ExecutionStatus.RUNNING, ExecutionStatus.PENDING),
                    e -> ExecutionLifecycle.fail(e, "HTTP 400", NOW)),
            new MoveCase("cancel", ExecutionStatus.CANCELED,
                    EnumSet.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING, ExecutionStatus.RETRYING),
                    e -> ExecutionLifecycle.cancel(e, NOW)));

    static Execution in(ExecutionStatus status, int attempts) {
        Execution execution = new Execution();
        execution.id = UUID.randomUUID();
        execution.status = status;
        execution.attemptCount = attempts;
        execution.nextAttemptAt = NOW.minusSeconds(1);
        execution.leaseExpiresAt = status == ExecutionStatus.RUNNING ? NOW.plusSeconds(60) : null;
        return execution;
    }

    @Test
    void shouldAllowExactlyTheDocumentedMovesFromEveryStatus() {
        for (MoveCase move : MOVES) {
            for (ExecutionStatus from : ExecutionStatus.values()) {
                Execution execution = in(from, 1);
                if (move.from().contains(from)) {
                    ExecutionLifecycle.Move done = move.move().apply(execution);
                    assertEquals(from, done.from(), move.name() + " from " + from);
                    assertEquals(move.to(), done.to());
                    assertEquals(move.to(), execution.status);
                    assertEquals(NOW, execution.updatedAt);
                } else {
                    assertThrows(ExecutionLifecycle.IllegalMove.class, () -> move.move().apply(execution),
                            move.name() + " from " + from + " must be refused");
                    assertEquals(from, execution.status, "a refused move changes nothing");
                }
            }
        }
    }

    @Test
    void shouldKeepTheTransitionTableAndTheMovesInAgreement() {
        for (ExecutionStatus from : ExecutionStatus.values()) {
            for (ExecutionStatus to : ExecutionStatus.values()) {
                boolean retryNow = (to == ExecutionStatus.PENDING || to == ExecutionStatus.RETRYING)
                        && (from == ExecutionStatus.FAILED || from == ExecutionStatus.CANCELED);
                boolean park = to == ExecutionStatus.RETRYING && (from == ExecutionStatus.PENDING || from == ExecutionStatus.RUNNING);
                boolean replaySuccess = to == ExecutionStatus.RETRYING && from == ExecutionStatus.SUCCEEDED;
                boolean anyMove = MOVES.stream().anyMatch(m -> m.to() == to && m.from().contains(from)) || retryNow || park
                        || replaySuccess;
                assertEquals(anyMove, ExecutionLifecycle.allows(from, to), from + " -> " + to);
            }
        }
        for (ExecutionStatus finished : EnumSet.of(ExecutionStatus.SUCCEEDED)) {
            assertTrue(EnumSet.complementOf(EnumSet.of(ExecutionStatus.RETRYING)).stream()
                            .noneMatch(to -> ExecutionLifecycle.allows(finished, to)),
                    "a success is final but for a replay");
        }
    }

    @Test
    void shouldSetWhatGoesWithEachStatus() {
        Execution claimed = in(ExecutionStatus.RETRYING, 2);
        claimed.circuitParked = true;
        ExecutionLifecycle.claim(claimed, LEASE, NOW);
        assertEquals(3, claimed.attemptCount, "a claim is one attempt more");
        assertEquals(NOW.plus(LEASE), claimed.leaseExpiresAt);
        assertTrue(!claimed.circuitParked);

        Execution succeeded = in(ExecutionStatus.RUNNING, 1);
        succeeded.lastError = "HTTP 500";
        ExecutionLifecycle.succeed(succeeded, NOW);
        assertNull(succeeded.lastError);
        assertNull(succeeded.nextAttemptAt);
        assertNull(succeeded.leaseExpiresAt);
        assertEquals(NOW, succeeded.finishedAt);

        Execution retrying = in(ExecutionStatus.RUNNING, 1);
        ExecutionLifecycle.scheduleRetry(retrying, "HTTP 503", NOW.plusSeconds(30), NOW);
        assertEquals(NOW.plusSeconds(30), retrying.nextAttemptAt);
        assertEquals("HTTP 503", retrying.lastError);
        assertNull(retrying.leaseExpiresAt);
        assertNull(retrying.finishedAt);

        Execution canceled = in(ExecutionStatus.RETRYING, 2);
        ExecutionLifecycle.cancel(canceled, NOW);
        assertNull(canceled.nextAttemptAt);
        assertEquals(NOW, canceled.finishedAt);
    }

    @Test
    void shouldRetryNowIntoPendingOnlyWhenNothingWasAttempted() {
        for (ExecutionStatus from : ExecutionStatus.values()) {
            for (int attempts : new int[] {0, 3}) {
                Execution execution = in(from, attempts);
                execution.finishedAt = NOW.minusSeconds(10);
                if (from == ExecutionStatus.FAILED || from == ExecutionStatus.CANCELED) {
                    ExecutionLifecycle.Move move = ExecutionLifecycle.retryNow(execution, NOW);
                    assertEquals(attempts == 0 ? ExecutionStatus.PENDING : ExecutionStatus.RETRYING, move.to());
                    assertEquals(attempts, execution.attemptCount, "the attempt budget is not reset");
                    assertEquals(NOW, execution.nextAttemptAt);
                    assertNull(execution.finishedAt);
                } else {
                    assertThrows(ExecutionLifecycle.IllegalMove.class, () -> ExecutionLifecycle.retryNow(execution, NOW));
                }
            }
        }
    }

    @Test
    void shouldReplayEveryFinishedStatusAndNothingUnfinished() {
        for (ExecutionStatus from : ExecutionStatus.values()) {
            for (int attempts : new int[] {0, 3}) {
                Execution execution = in(from, attempts);
                execution.finishedAt = NOW.minusSeconds(10);
                boolean legal = from.isFinal() && !(from == ExecutionStatus.SUCCEEDED && attempts == 0);
                if (legal) {
                    ExecutionLifecycle.Move move = ExecutionLifecycle.replay(execution, NOW);
                    assertEquals(from, move.from());
                    assertEquals(attempts == 0 ? ExecutionStatus.PENDING : ExecutionStatus.RETRYING, move.to());
                    assertEquals(attempts, execution.attemptCount, "the attempt budget is not reset");
                    assertEquals(NOW, execution.nextAttemptAt);
                    assertNull(execution.finishedAt);
                    assertTrue(ExecutionLifecycle.allows(from, move.to()));
                } else {
                    assertThrows(ExecutionLifecycle.IllegalMove.class, () -> ExecutionLifecycle.replay(execution, NOW),
                            "replay from " + from + " with " + attempts + " attempts must be refused");
                    assertEquals(from, execution.status, "a refused move changes nothing");
                }
            }
        }
        // The operator's single retry still refuses a success: only the bulk replay may send one again.
        assertThrows(ExecutionLifecycle.IllegalMove.class,
                () -> ExecutionLifecycle.retryNow(in(ExecutionStatus.SUCCEEDED, 1), NOW));
    }

    @Test
    void shouldParkWithoutSpendingAnAttemptAndPublishNothingWhenAlreadyRetrying() {
        Map<ExecutionStatus, Boolean> publishes = Map.of(ExecutionStatus.PENDING, true, ExecutionStatus.RUNNING, true,
                ExecutionStatus.RETRYING, false);
        publishes.forEach((from, publishesAMove) -> {
            Execution execution = in(from, 2);
            var move = ExecutionLifecycle.park(execution, NOW.plusSeconds(8), "circuit open", NOW);
            assertEquals(publishesAMove, move.isPresent(), from.name());
            assertEquals(ExecutionStatus.RETRYING, execution.status);
            assertEquals(2, execution.attemptCount);
            assertTrue(execution.circuitParked);
            assertEquals(NOW.plusSeconds(8), execution.nextAttemptAt, "shown: the circuit's next probe");
        });
        for (ExecutionStatus finished : EnumSet.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.CANCELED)) {
            assertThrows(ExecutionLifecycle.IllegalMove.class,
                    () -> ExecutionLifecycle.park(in(finished, 1), NOW.plusSeconds(8), "circuit open", NOW));
        }
    }

    @Test
    void shouldAdmitPendingDueNowAndCheckWhatTheClaimStatementDid() {
        Execution admitted = new Execution();
        ExecutionLifecycle.Move move = ExecutionLifecycle.admit(admitted, NOW);
        assertNull(move.from());
        assertEquals(ExecutionStatus.PENDING, admitted.status);
        assertEquals(NOW, admitted.nextAttemptAt);

        Execution claimedInSql = in(ExecutionStatus.RUNNING, 1);
        assertNotNull(ExecutionLifecycle.claimed(claimedInSql, ExecutionStatus.PENDING, NOW).orElseThrow());
        assertTrue(ExecutionLifecycle.claimed(claimedInSql, ExecutionStatus.RUNNING, NOW).isEmpty(),
                "a lease taken over is no change of status");
        assertThrows(IllegalStateException.class, () -> ExecutionLifecycle.claimed(claimedInSql, ExecutionStatus.FAILED, NOW));
    }
}
