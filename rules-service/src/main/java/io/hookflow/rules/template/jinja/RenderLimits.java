package io.hookflow.rules.template.jinja;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one rendering of a rule's request may spend in Jinja: characters of output, wall-clock time, and loop
 * iterations summed over every loop of every template of the request. Mutable, for one request on one thread.
 */
public final class RenderLimits {

    private final long maxChars;
    private final long maxNanos;
    /** Set when the first node is rendered, so a thread's one-time setup of the engine is not counted. */
    private long deadline;
    private boolean started;
    private final long maxIterations;
    private final LongSupplier clock;
    private long iterations;

    /**
     * @param clock nanoseconds, {@code System::nanoTime} in service; tests pass their own to prove the deadline
     */
    public RenderLimits(long maxChars, Duration maxTime, long maxIterations, LongSupplier clock) {
        this.maxChars = maxChars;
        this.maxNanos = maxTime.toNanos();
        this.maxIterations = maxIterations;
        this.clock = clock;
    }

    public long maxChars() {
        return maxChars;
    }

    /** Fails once the rendering has run past its time. */
    void checkTime() {
        long now = clock.getAsLong();
        if (!started) {
            started = true;
            deadline = now + maxNanos;
        }
        if (now - deadline > 0) {
            throw new JinjaRenderException(JinjaRenderException.Kind.LIMIT, "template took too long: rendering was "
                    + "stopped after " + Duration.ofNanos(maxNanos).toMillis() + " ms (hookflow.rules.max-render-time)");
        }
    }

    /** Counts {@code count} more loop iterations; fails past the limit, before the loop runs. */
    void chargeIterations(long count) {
        iterations += count;
        if (iterations > maxIterations) {
            throw new JinjaRenderException(JinjaRenderException.Kind.LIMIT, "template loops too much: more than "
                    + maxIterations + " loop iterations (hookflow.rules.max-loop-iterations)");
        }
        checkTime();
    }
}
