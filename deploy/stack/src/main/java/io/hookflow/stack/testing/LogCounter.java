package io.hookflow.stack.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts a service's log messages that start with a given text, inside a {@code @QuarkusTest} (same JVM, same log
 * manager): how a test sees that work is under way and failing at a given step (each retry logs), instead of guessing
 * with a sleep. The prefix is matched against the message's format, before its parameters are filled in.
 */
public final class LogCounter extends Handler {

    private final Logger logger;
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    public LogCounter(Class<?> source, String prefix) {
        this.logger = Logger.getLogger(source.getName());
        this.prefix = prefix;
    }

    /** Starts counting from zero. */
    public void attach() {
        count.set(0);
        logger.addHandler(this);
    }

    public void detach() {
        logger.removeHandler(this);
    }

    public int count() {
        return count.get();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getMessage() != null && record.getMessage().startsWith(prefix)) {
            count.incrementAndGet();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
