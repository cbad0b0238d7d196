package io.hookflow.delivery.loop;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One background thread that runs a round of work, waits as long as the round asked, and runs it again, until
 * {@link #stop}. A {@link #wakeUp} ends the wait at once, so a loop can poll rarely and still act promptly on what
 * happened in this replica. A round that throws is logged and tried again after the failure wait: the work it left
 * (outbox rows, jobs) is still in the database.
 */
public final class PollingLoop {

    private static final Logger LOG = Logger.getLogger(PollingLoop.class);

    /** One round of work. */
    @FunctionalInterface
    public interface Round {

        /** @return how long to wait before the next round (zero or less: at once); a wake-up ends the wait early */
        Duration run();
    }

    private final String name;
    private final Duration afterFailure;
    private final Round round;
    private final Semaphore wakeUps = new Semaphore(0);
    private ExecutorService thread;
    private volatile boolean running;

    /**
     * @param name         the thread's name, also in the log
     * @param afterFailure how long to wait after a round threw
     * @param round        the work
     */
    public PollingLoop(String name, Duration afterFailure, Round round) {
        this.name = name;
        this.afterFailure = afterFailure;
        this.round = round;
    }

    public synchronized void start() {
        running = true;
        thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread daemon = new Thread(runnable, name);
            daemon.setDaemon(true);
            return daemon;
        });
        thread.submit(this::run);
    }

    /** Interrupts the round under way and waits up to five seconds for it to end. */
    public synchronized void stop() {
        running = false;
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the current wait now; wake-ups during a round make the next round start at once, once. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        while (running) {
            Duration wait;
            try {
                wait = round.run();
            } catch (RuntimeException e) {
                LOG.warnf("%s: round failed, again in %s: %s", name, afterFailure, e.toString());
                wait = afterFailure;
            }
            try {
                if (wait.isZero() || wait.isNegative()) {
                    wakeUps.drainPermits();
                } else if (wakeUps.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
