package io.hookflow.bench.e2e;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Everything known about one batch of webhooks, by index: when each was planned to be sent, how ingest answered, when
 * (and how often) it reached the target. A webhook's id is {@code <step key>-<index>}, so the target finds its slot
 * without a map. Written by the sender's thread and two event loops; every field is atomic or set before sending.
 */
final class Step {

    /** {@link #status} before an answer arrives, and for a request that failed without one (refused, timed out). */
    static final int NO_ANSWER = 0;
    static final int FAILED = -1;

    final String key;
    final String label;
    /** Webhooks per second planned; 0 for webhooks sent one at a time. */
    final int rate;
    final int capacity;
    /** Planned send time (System.nanoTime) per index; latency counts from here, not from when the request left. */
    final AtomicLongArray plannedNanos;
    final AtomicLongArray answeredNanos;
    final AtomicIntegerArray status;
    /** First arrival at the target; 0 = not arrived. */
    final AtomicLongArray arrivedNanos;
    final AtomicIntegerArray deliveries;

    final AtomicInteger planned = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger arrived = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    /** One reason a request was not accepted (a status or an exception), for the report's notes. */
    volatile String failure;
    /** Planned start of the first and end of the last send; set by the sender. */
    volatile long startNanos;
    volatile long endNanos;

    Step(String key, String label, int rate, int capacity) {
        this.key = key;
        this.label = label;
        this.rate = rate;
        this.capacity = capacity;
        this.plannedNanos = new AtomicLongArray(capacity);
        this.answeredNanos = new AtomicLongArray(capacity);
        this.status = new AtomicIntegerArray(capacity);
        this.arrivedNanos = new AtomicLongArray(capacity);
        this.deliveries = new AtomicIntegerArray(capacity);
    }

    String id(int index) {
        return key + "-" + index;
    }

    void plan(int index, long nanos) {
        plannedNanos.set(index, nanos);
        planned.incrementAndGet();
    }

    void failed(int index, String reason, long nanos) {
        failure = reason;
        answered(index, FAILED, nanos);
    }

    void answered(int index, int httpStatus, long nanos) {
        answeredNanos.set(index, nanos);
        status.set(index, httpStatus);
        if (httpStatus == 202) {
            accepted.incrementAndGet();
        } else {
            failed.incrementAndGet();
            if (httpStatus != FAILED) {
                failure = "HTTP " + httpStatus;
            }
        }
    }

    /** The target saw this webhook's delivery; a second delivery of the same id is a duplicate. */
    void arrived(int index, long nanos) {
        if (deliveries.getAndIncrement(index) == 0) {
            arrivedNanos.set(index, nanos);
            arrived.incrementAndGet();
        } else {
            duplicates.incrementAndGet();
        }
    }

    /** Accepted webhooks not delivered yet: what is still somewhere inside the system. */
    int backlog() {
        return accepted.get() - arrived.get();
    }

    boolean settled() {
        return accepted.get() + failed.get() == planned.get() && backlog() <= 0;
    }
}
