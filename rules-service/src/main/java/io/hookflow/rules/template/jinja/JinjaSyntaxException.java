package io.hookflow.rules.template.jinja;

/** A template Jinja cannot parse, with where: line (from 1) and position in that line (from 1). */
public final class JinjaSyntaxException extends IllegalArgumentException {

    private final int line;
    private final int position;

    public JinjaSyntaxException(String message, int line, int position) {
        super(message);
        this.line = line;
        this.position = position;
    }

    public int line() {
        return line;
    }

    public int position() {
        return position;
    }
}
