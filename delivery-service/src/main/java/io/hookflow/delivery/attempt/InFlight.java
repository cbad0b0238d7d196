package io.hookflow.delivery.attempt;

import io.hookflow.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This replica's slots: attempts in flight, in all and per destination, and finished sends waiting to be recorded.
 * Admission and the claim loop ask it what fits; an attempt takes its slots here and frees them here when its request
 * is over. It also carries the signals between them: a slot freed, work that may be due, and whether slots are open
 * at all (not while the service drains).
 */
@ApplicationScoped
public class InFlight {

    private static final int MAX_RECORD_BACKLOG_FACTOR = 4;
    /** How long one wait for a freed slot lasts, before the waiter looks again. */
    public static final long SLOT_WAIT_MILLIS = 20;

    private final DeliveryConfig config;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByDestination = new ConcurrentHashMap<>();
    /**
     * Executions whose attempt is being sent. Whoever removes an id (holding this set's lock) decides its fate: the
     * send's completion (then it is recorded) or a drain that ran out of time (then it is handed back), never both.
     */
    private final Set<UUID> sending = ConcurrentHashMap.newKeySet();
    /** Released when there may be new work: a task arrived or an attempt finished. */
    private final Semaphore wakeUps = new Semaphore(0);
    /** One claim at a time, whichever thread makes it, so the in-flight limits are counted right. */
    private final ReentrantLock claiming = new ReentrantLock();
    /** Finished sends waiting to be recorded, a batch per transaction. */
    private final BlockingQueue<Recorder.Finished> finished = new LinkedBlockingQueue<>();
    /** Notified when an attempt frees its slot, for a batch waiting to be admitted. */
    private final Object slotFreed = new Object();
    private volatile boolean running;

    InFlight(DeliveryConfig config) {
        this.config = config;
    }

    /** Slots open: the service started. */
    public void open() {
        running = true;
    }

    /** No slot any more: the service is draining. */
    public void close() {
        running = false;
    }

    /** False once the service is stopping. */
    public boolean running() {
        return running;
    }

    /**
     * Sends in flight are limited by configuration; sends waiting to be recorded, so that a slow database slows intake
     * down rather than filling the heap.
     */
    public int perDestination() {
        return Math.max(1, config.maxInFlightPerDestination());
    }

    public int capacity() {
        if (!running) {
            return 0; // draining: what arrives now is recorded PENDING for the other replicas
        }
        return Math.min(config.maxInFlight() - inFlight.get(),
                MAX_RECORD_BACKLOG_FACTOR * config.maxInFlight() - finished.size());
    }

    /** Whether every slot in all is taken by a send. */
    public boolean full() {
        return inFlight.get() >= config.maxInFlight();
    }

    public Map<String, Integer> busyDestinations() {
        Map<String, Integer> busy = new HashMap<>();
        inFlightByDestination.forEach((destination, count) -> {
            if (count.get() > 0) {
                busy.put(destination, count.get());
            }
        });
        return busy;
    }

    /** Takes the claim lock: one claim at a time, so what fits is counted right. */
    public void lockClaims() {
        claiming.lock();
    }

    public void unlockClaims() {
        claiming.unlock();
    }

    /** Takes an attempt's slots, in all and for its destination, before its send starts. */
    void take(ClaimedExecution claimed) {
        inFlight.incrementAndGet();
        if (claimed.destination() != null) {
            inFlightByDestination.computeIfAbsent(claimed.destination(), ignored -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** The attempt's send is under way: until it completes, a drain may hand it back instead. */
    void sending(UUID id) {
        sending.add(id);
    }

    /**
     * The request is over: its slots are free for the next send while this one waits to be recorded, unless a drain
     * handed it back meanwhile (another replica attempts it, so this outcome is not recorded).
     */
    void sent(Recorder.Finished done) {
        ClaimedExecution claimed = done.claimed();
        if (claimed.destination() != null) {
            inFlightByDestination.get(claimed.destination()).decrementAndGet();
        }
        inFlight.decrementAndGet();
        synchronized (sending) {
            if (sending.remove(claimed.id())) {
                finished.add(done);
            } // else a drain handed it back: another replica attempts it, so this outcome is not recorded
        }
        synchronized (slotFreed) {
            slotFreed.notifyAll();
        }
        wakeUp();
    }

    /** Waits a little for any attempt to finish, which frees a slot in all and one of its destination's. */
    public void awaitSlotFreed() {
        synchronized (slotFreed) {
            try {
                slotFreed.wait(SLOT_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** Waits a little for an attempt to finish and free its slot. */
    public void awaitFreeSlot() {
        synchronized (slotFreed) {
            if (capacity() <= 0) {
                try {
                    slotFreed.wait(SLOT_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /** Tells the claim loop there may be due work now, instead of at the next poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Waits until {@link #wakeUp} or the poll interval, whichever comes first. */
    public void awaitWakeUp(long millis) throws InterruptedException {
        wakeUps.tryAcquire(millis, TimeUnit.MILLISECONDS);
        wakeUps.drainPermits();
    }

    /**
     * For a drain: waits for a claim under way (the worker loop's or intake's starts its sends while it holds the
     * lock), so that what is in flight is known before the drain looks.
     */
    public void awaitClaimUnderWay(long deadlineNanos) {
        try {
            if (claiming.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                claiming.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many sends are under way. */
    public int sendingCount() {
        return sending.size();
    }

    /** For a drain: waits until every send under way completed, or the deadline. */
    public void awaitSent(long deadlineNanos) {
        synchronized (slotFreed) {
            while (!sending.isEmpty() && System.nanoTime() < deadlineNanos) {
                try {
                    slotFreed.wait(SLOT_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    /** For a drain that ran out of time: the sends still under way, which are then no longer recorded. */
    public List<UUID> giveUpSending() {
        synchronized (sending) {
            // Under the lock a completion takes to queue its outcome: each attempt is either queued or handed back.
            List<UUID> unfinished = List.copyOf(sending);
            sending.clear();
            return unfinished;
        }
    }

    /** Finished sends not yet recorded. */
    public int unrecorded() {
        return finished.size();
    }

    boolean nothingSending() {
        return sending.isEmpty();
    }

    Recorder.Finished nextFinished(long millis) throws InterruptedException {
        return finished.poll(millis, TimeUnit.MILLISECONDS);
    }

    void moreFinished(List<Recorder.Finished> batch, int max) {
        finished.drainTo(batch, max);
    }
}
