package io.hookflow.rules.regex;

/**
 * A text that lets a regex engine read at most a budget of characters, so no pattern can run away on it. Criteria and
 * the template filters share it: a pathological pattern gives up instead of hanging the consumer.
 */
public final class BoundedCharSequence implements CharSequence {

    /** The matcher read more characters than the budget allows (catastrophic backtracking, or a huge text). */
    public static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super("regex step budget exceeded", null, false, false);
        }
    }

    private final String text;
    private final long[] budget;
    private final int start;
    private final int end;

    public BoundedCharSequence(String text, long budget) {
        this(text, new long[] {budget}, 0, text.length());
    }

    private BoundedCharSequence(String text, long[] budget, int start, int end) {
        this.text = text;
        this.budget = budget;
        this.start = start;
        this.end = end;
    }

    @Override
    public char charAt(int index) {
        if (--budget[0] < 0) {
            throw new BudgetExceeded();
        }
        return text.charAt(start + index);
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return new BoundedCharSequence(text, budget, start + from, start + to);
    }

    @Override
    public String toString() {
        return text.substring(start, end);
    }
}
