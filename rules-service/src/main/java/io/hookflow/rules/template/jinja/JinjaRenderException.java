package io.hookflow.rules.template.jinja;

/** A Jinja template could not be rendered; {@link #kind()} says why, the message says what and where. */
public final class JinjaRenderException extends RuntimeException {

    public enum Kind {
        /** A value the template needs is undefined (or null, as Python's None counts as missing here). */
        UNDEFINED,
        /** The output outgrew the limit it was given. */
        TOO_LARGE,
        /** A limit of the sandbox: render time, loop iterations, or something templates may not touch. */
        LIMIT,
        /** Anything else that failed while rendering: a filter refusing its input, a bad argument, ... */
        FAILED
    }

    private final Kind kind;

    public JinjaRenderException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
