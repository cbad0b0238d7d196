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
    private final long deadline;
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
        this.deadline = clock.getAsLong() + maxNanos;
    }

    public long maxChars() {
        return maxChars;
    }

    /** Fails once the rendering has run past its time. */
    void checkTime() {
        if (clock.getAsLong() - deadline > 0) {
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
