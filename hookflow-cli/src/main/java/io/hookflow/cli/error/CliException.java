package io.hookflow.cli.error;

/**
 * A failure the user is told about in one line, with the exit code that says what kind it was. Nothing else in the CLI
 * decides exit codes, so scripts can rely on them.
 */
public class CliException extends RuntimeException {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** A service answered, and refused (any non-2xx answer). */
    public static final int REFUSED = 1;
    /** The command line itself was wrong: unknown option, missing argument, unreadable file, malformed JSON. */
    public static final int USAGE = 2;
    /** No answer at all: connection refused, unknown host, timeout. */
    public static final int UNREACHABLE = 3;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
