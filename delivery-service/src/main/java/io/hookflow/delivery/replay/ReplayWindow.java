package io.hookflow.delivery.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A job's rate bound as a sliding window: in any second, at most {@code ratePerSecond} executions re-queued. Batches are
 * sized by what the window still allows, and a slow round never lets the next ones catch up in a burst.
 */
final class ReplayWindow {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final int ratePerSecond;
    private final Deque<Batch> recent = new ArrayDeque<>();

    ReplayWindow(int ratePerSecond) {
        this.ratePerSecond = Math.max(1, ratePerSecond);
    }

    /** How many executions may be re-queued at {@code now}. */
    int allowance(Instant now) {
        forget(now);
        int used = recent.stream().mapToInt(Batch::count).sum();
        return Math.max(0, ratePerSecond - used);
    }

    /** Counts a batch re-queued at {@code at} (the time its moves carry). */
    void spent(Instant at, int count) {
        if (count > 0) {
            recent.addLast(new Batch(at, count));
        }
    }

    /** When the allowance grows next: the oldest batch leaves the window; {@code now} when it has room already. */
    Instant nextRoom(Instant now) {
        forget(now);
        if (allowance(now) > 0 || recent.isEmpty()) {
            return now;
        }
        return recent.peekFirst().at().plus(WINDOW);
    }

    private void forget(Instant now) {
        // A batch at t counts for (t - 1 s, t]: one at exactly now - 1 s has left.
        while (!recent.isEmpty() && !recent.peekFirst().at().isAfter(now.minus(WINDOW))) {
            recent.removeFirst();
        }
    }

    private record Batch(Instant at, int count) {
    }
}
