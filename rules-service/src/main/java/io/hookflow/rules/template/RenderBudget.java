package io.hookflow.rules.template;

import io.hookflow.rules.template.jinja.RenderLimits;
import java.io.Writer;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one rendering of a rule's request may spend. Text: placeholders can repeat a large trigger value many times
 * over, so the output is bounded while it is produced, long before it could exhaust memory; going over fails the
 * rendering with {@link TooLargeException}. Jinja templates also get a time limit and a number of loop iterations,
 * shared by every template of the request.
 */
public final class RenderBudget {

    /** The limits a request is rendered with (hookflow.rules.max-task-size, max-render-time, max-loop-iterations). */
    public record Limits(long maxChars, Duration maxTime, long maxLoopIterations) {

        public RenderBudget start() {
            return new RenderBudget(maxChars, maxTime, maxLoopIterations, System::nanoTime);
        }
    }

    /** The defaults of the configuration, for a template rendered on its own (a criteria pattern, a test). */
    static final Limits DEFAULTS = new Limits(524_288, Duration.ofSeconds(1), 100_000);

    private final long limit;
    private final Duration maxTime;
    private final long maxLoopIterations;
    private final LongSupplier clock;
    private long used;
    private RenderLimits jinja;

    public RenderBudget(long limit) {
        this(limit, DEFAULTS.maxTime(), DEFAULTS.maxLoopIterations(), System::nanoTime);
    }

    /** @param clock nanoseconds ({@code System::nanoTime}); tests pass their own to reach the time limit. */
    public RenderBudget(long limit, Duration maxTime, long maxLoopIterations, LongSupplier clock) {
        this.limit = limit;
        this.maxTime = maxTime;
        this.maxLoopIterations = maxLoopIterations;
        this.clock = clock;
    }

    /** A budget with the default limits. */
    public static RenderBudget standalone() {
        return DEFAULTS.start();
    }

    public long limit() {
        return limit;
    }

    /** The Jinja limits of this rendering; its clock starts at the first Jinja template. */
    RenderLimits jinja() {
        if (jinja == null) {
            jinja = new RenderLimits(limit, maxTime, maxLoopIterations, clock);
        }
        return jinja;
    }

    /** Fails when {@code chars} more would not fit, without using them (for text still being built). */
    void check(long chars) {
        if (used + chars > limit) {
            throw new TooLargeException(limit);
        }
    }

    /** Uses {@code chars} of the budget. */
    public void charge(long chars) {
        check(chars);
        used += chars;
    }

    /** A writer that charges every character written to it. */
    public Writer writer(StringBuilder out) {
        return new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                charge(length);
                out.append(buffer, offset, length);
            }

            @Override
            public void write(String text, int offset, int length) {
                charge(length);
                out.append(text, offset, offset + length);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** The rendered request would be larger than the limit. */
    public static final class TooLargeException extends RuntimeException {

        TooLargeException(long limit) {
            super("request too large: the rendered request exceeds " + limit + " characters"
                    + " (hookflow.rules.max-task-size)", null, false, false);
        }
    }
}
