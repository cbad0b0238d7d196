package io.hookflow.common.retry;

import java.time.Duration;

/**
 * The delays of a retry loop that waits for something to come back (a broker, a database): each twice the one before,
 * never more than the cap. One per loop; not shared between threads.
 */
public final class Backoff {

    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        this.next = first;
        this.max = max;
    }

    /** The delay to wait now; the one after it is twice as long, up to the cap. */
    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }
}
