package io.hookflow.rules.template;

import java.io.Writer;

/**
 * How much text one rendering of a rule's request may produce. Placeholders can repeat a large trigger value many
 * times over, so the output is bounded while it is produced, long before it could exhaust memory; going over fails the
 * rendering with {@link TooLargeException}.
 */
public final class RenderBudget {

    private final long limit;
    private long used;

    public RenderBudget(long limit) {
        this.limit = limit;
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
