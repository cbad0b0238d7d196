package io.hookflow.delivery.dispatch;

import io.hookflow.delivery.attempt.ClaimedExecution;
import io.hookflow.delivery.attempt.RecordAttempt;
import io.hookflow.delivery.attempt.SendAttempt;
import io.hookflow.delivery.observe.AttemptTraces;
import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.destination.Destinations;
import io.hookflow.delivery.intake.IntakeRepository;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.hookflow.delivery.execution.ExecutionsDue;
import io.hookflow.delivery.queue.ClaimDue;
import io.hookflow.delivery.queue.QueueRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Pulls due executions from PostgreSQL and attempts them, up to the in-flight limits (in all and per destination).
 * The database is the queue: whatever this replica claims but never finishes comes back to any replica once its lease
 * expires.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final java.time.Duration GAUGE_INTERVAL = java.time.Duration.ofSeconds(5);
    private static final int MAX_RECORD_BATCH = 256;
    private static final int MAX_RECORD_BACKLOG_FACTOR = 4;
    /** How long a polled batch waits for free slots before the rest of it is queued in the database. */
    private static final java.time.Duration MAX_ADMISSION_WAIT = java.time.Duration.ofSeconds(1);
    private static final long SLOT_WAIT_MILLIS = 20;

    private final IntakeRepository executions;
    private final QueueRepository queue;
    private final ClaimDue claimDue;
    private final SendAttempt sendAttempt;
    private final RecordAttempt recordAttempt;
    private final CircuitBreaker breaker;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig config;
    private Instant gaugesAt = Instant.EPOCH;
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
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    /** Notified when an attempt frees its slot, for a batch waiting to be admitted. */
    private final Object slotFreed = new Object();
    /**
     * Whether due work may be waiting in the database (retries, PENDING executions, expired leases): new tasks then
     * queue behind it instead of taking the free slots first. Unknown at start, so true until the first claim.
     */
    private volatile boolean dueBacklog = true;
    private ExecutorService loop;
    private ExecutorService recorder;
    private volatile boolean running;
    /** Set once a drain handed back what was still in flight: the recorder may stop once its queue is empty. */
    private volatile boolean handedBack;

    DeliveryWorker(IntakeRepository executions, QueueRepository queue, ClaimDue claimDue, SendAttempt sendAttempt,
                   RecordAttempt recordAttempt, CircuitBreaker breaker, DeliveryMetrics metrics, DeliveryConfig config) {
        this.executions = executions;
        this.queue = queue;
        this.claimDue = claimDue;
        this.sendAttempt = sendAttempt;
        this.recordAttempt = recordAttempt;
        this.breaker = breaker;
        this.metrics = metrics;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        loop = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "delivery-worker");
            thread.setDaemon(true);
            return thread;
        });
        loop.submit(this::run);
        recorder = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "delivery-recorder");
            thread.setDaemon(true);
            return thread;
        });
        recorder.submit(this::recordFinished);
    }

    /**
     * Graceful drain on shutdown, before the Kafka consumer closes and the event relay stops (a lower priority runs
     * first): no new claims, in-flight attempts finish and are recorded within {@code hookflow.delivery.drain-timeout},
     * and what is still in flight then is handed back (lease cleared) for another replica, not left RUNNING until its
     * lease would expire.
     */
    void stop(@Observes @Priority(DRAIN_PRIORITY) ShutdownEvent shutdown) {
        drain(config.drainTimeout());
    }

    /** Observers of shutdown that run before the default ones (2500), in this order: intake stops, then the worker. */
    public static final int DRAIN_PRIORITY = 1100;

    /** @return what the drain did, for the log and tests */
    Drained drain(java.time.Duration timeout) {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        running = false;
        wakeUp();
        loop.shutdown();
        // A claim under way (the worker loop's or intake's) starts its sends while it holds this lock: wait for it, so
        // that what is in flight is known before the drain looks; every later claim sees running false and takes nothing.
        try {
            if (claiming.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                claiming.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int inFlightAtStart = sending.size();
        synchronized (slotFreed) {
            while (!sending.isEmpty() && System.nanoTime() < deadline) {
                try {
                    slotFreed.wait(SLOT_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<UUID> unfinished;
        synchronized (sending) {
            // Under the lock a completion takes to queue its outcome: each attempt is either queued or handed back.
            unfinished = List.copyOf(sending);
            sending.clear();
        }
        int handedBackCount = handBack(unfinished);
        handedBack = true;
        recorder.shutdown();
        try {
            // The last records get a moment beyond the drain deadline: a transaction already under way should commit.
            if (!recorder.awaitTermination(Math.max(0, deadline - System.nanoTime()) / 1_000_000 + 2_000,
                    TimeUnit.MILLISECONDS)) {
                recorder.shutdownNow();
            }
        } catch (InterruptedException e) {
            recorder.shutdownNow();
            Thread.currentThread().interrupt();
        }
        Drained drained = new Drained(inFlightAtStart, handedBackCount, finished.size(),
                java.time.Duration.ofNanos(System.nanoTime() - begin));
        LOG.infof("Delivery drained in %d ms: %d attempt(s) were in flight, %d handed back unfinished, %d left "
                        + "unrecorded (they come back after their lease)", drained.took().toMillis(),
                drained.inFlight(), drained.handedBack(), drained.unrecorded());
        return drained;
    }

    /** What a drain found and did. */
    record Drained(int inFlight, int handedBack, int unrecorded, java.time.Duration took) {
    }

    private int handBack(List<UUID> unfinished) {
        if (unfinished.isEmpty()) {
            return 0;
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> queue.releaseLeases(unfinished, Instant.now()));
        } catch (RuntimeException e) {
            // The database is away: they come back after their lease instead, as after a crash.
            LOG.warnf("Could not hand back %d unfinished execution(s): %s", unfinished.size(), e.toString());
            return 0;
        }
    }

    /**
     * Records a polled batch of tasks and starts their first attempts, in as few transactions as capacity allows.
     * While nothing older is due in the database, a task that has a free slot (in all and for its destination) is
     * recorded already claimed and sent as soon as that commits: one commit between its arrival and its send, one
     * insert and one update for its whole life, and its request never read back. A task without a slot waits a moment
     * for one, here, while the tasks behind it that have slots go ahead (Kafka keeps the backlog meanwhile:
     * backpressure instead of a second queue in the database): up to {@link #MAX_ADMISSION_WAIT} for capacity, up to
     * {@code hookflow.delivery.destination-slot-wait} for a destination's slots. Whatever cannot start within that moment (no slot, a
     * circuit that is not closed, or older due work first) is recorded PENDING, and the worker loop claims it in due
     * order.
     *
     * @return how many executions were new (a redelivered task's execution exists already)
     */
    public int admit(List<ActionTask> tasks) {
        int recorded = 0;
        List<ActionTask> waiting = tasks;
        long waitUntil = System.nanoTime() + MAX_ADMISSION_WAIT.toNanos();
        long holdUntil = System.nanoTime() + config.destinationSlotWait().toNanos();
        while (!waiting.isEmpty()) {
            boolean mayWait = running && !dueBacklog && System.nanoTime() < waitUntil;
            if (mayWait && capacity() <= 0) {
                awaitFreeSlot();
                continue;
            }
            List<ActionTask> held = List.of();
            claiming.lock();
            try {
                int capacity = capacity();
                if (mayWait && capacity <= 0) {
                    continue;
                }
                if (mayWait) {
                    List<ActionTask> fitting = new ArrayList<>();
                    held = new ArrayList<>();
                    fit(waiting, capacity, fitting, held);
                    recorded += fitting.isEmpty() ? 0 : admitClaimed(fitting);
                    if (!held.isEmpty() && fitting.size() < capacity && System.nanoTime() >= holdUntil) {
                        // Held for their destinations' slots, not for capacity, and those are not freeing up: they
                        // queue in the database, so a slow destination cannot hold up the next batches' others.
                        recorded += admitPending(held, capacity());
                        held = List.of();
                    }
                } else {
                    // Waited long enough, or older work is due: the rest goes into the database queue in one go.
                    recorded += admitPending(waiting, capacity);
                }
            } finally {
                claiming.unlock();
            }
            if (!held.isEmpty() && held.size() == waiting.size()) {
                awaitSlotFreed(); // nothing fitted: every task left waits for its destination
            }
            waiting = held;
        }
        return recorded;
    }

    /**
     * Splits the tasks, in order, into those that fit the free slots (at most {@code capacity}, and no destination beyond
     * its limit counting what is in flight) and those held back for a slot; a destination's tasks keep their order.
     */
    private void fit(List<ActionTask> tasks, int capacity, List<ActionTask> fitting, List<ActionTask> held) {
        Map<String, Integer> used = busyDestinations();
        for (ActionTask task : tasks) {
            String destination = Destinations.destinationOf(task.request().url());
            boolean fits = fitting.size() < capacity && (destination == null
                    || used.getOrDefault(destination, 0) < perDestination());
            if (fits) {
                fitting.add(task);
                if (destination != null) {
                    used.merge(destination, 1, Integer::sum);
                }
            } else {
                held.add(task);
                if (destination != null) {
                    used.put(destination, Integer.MAX_VALUE); // its later tasks wait behind it
                }
            }
        }
    }

    /** Records the chunk (no larger than the free slots), claiming what may start now, and starts those. */
    private int admitClaimed(List<ActionTask> chunk) {
        Map<String, Integer> used = busyDestinations();
        Instant now = Instant.now();
        List<Execution> recorded = QuarkusTransaction.requiringNew().call(() -> {
            Set<UUID> startNow = new HashSet<>();
            Map<String, Set<String>> destinationsByOrg = new HashMap<>();
            for (ActionTask task : chunk) {
                String destination = Destinations.destinationOf(task.request().url());
                if (destination == null || used.getOrDefault(destination, 0) < perDestination()) {
                    startNow.add(UUID.fromString(task.id()));
                    if (destination != null) {
                        used.merge(destination, 1, Integer::sum);
                        destinationsByOrg.computeIfAbsent(task.orgId(), ignored -> new HashSet<>()).add(destination);
                    }
                }
            }
            // Behind a circuit that is not closed, a task waits as PENDING: the claim parks it or makes it the probe.
            destinationsByOrg.forEach((org, destinations) -> {
                Set<String> notClosed = breaker.notClosed(org, destinations).keySet();
                if (!notClosed.isEmpty()) {
                    chunk.stream().filter(task -> task.orgId().equals(org)
                                    && notClosed.contains(Destinations.destinationOf(task.request().url())))
                            .forEach(task -> startNow.remove(UUID.fromString(task.id())));
                }
            });
            return executions.record(chunk, startNow, config.lease(), now);
        });
        boolean leftPending = false;
        for (Execution execution : recorded) {
            if (execution.status == ExecutionStatus.RUNNING) {
                attempt(new ClaimedExecution(execution.id, execution.orgId, execution.destination, 1,
                        execution.request, execution.traceparent));
            } else {
                leftPending = true;
            }
        }
        if (leftPending) {
            dueBacklog = true;
            wakeUp();
        }
        return recorded.size();
    }

    /** Records the tasks PENDING and, in the same transaction, claims what is due in due order, them included. */
    private int admitPending(List<ActionTask> tasks, int capacity) {
        Map<String, Integer> busy = busyDestinations();
        List<ClaimedExecution> claimed = new ArrayList<>();
        int recorded = QuarkusTransaction.requiringNew().call(() -> {
            int added = executions.recordPending(tasks, Instant.now());
            if (capacity > 0) {
                claimed.addAll(claim(capacity, busy));
            }
            return added;
        });
        claimed.forEach(this::attempt);
        wakeUp();
        return recorded;
    }

    /** Waits a little for any attempt to finish, which frees a slot in all and one of its destination's. */
    private void awaitSlotFreed() {
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
    private void awaitFreeSlot() {
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

    /** False once the service is stopping. */
    public boolean running() {
        return running;
    }

    void onExecutionsDue(@Observes ExecutionsDue due) {
        wakeUp();
    }

    /** Tells the worker there may be due work now, instead of at the next poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        while (running) {
            try {
                refreshGauges();
                int claimed;
                claiming.lock();
                try {
                    claimed = claimAndDispatch();
                } finally {
                    claiming.unlock();
                }
                if (claimed == 0 || inFlight.get() >= config.maxInFlight()) {
                    wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be away; the work is safe in it, so wait and try again.
                LOG.warnf("Delivery worker could not claim work: %s", e.toString());
                sleepQuietly();
            }
        }
    }

    /** Every few seconds at most: the gauges need no fresher figures than that. */
    private void refreshGauges() {
        Instant now = Instant.now();
        if (now.isAfter(gaugesAt.plus(GAUGE_INTERVAL))) {
            gaugesAt = now;
            QuarkusTransaction.requiringNew().run(() -> {
                metrics.dueExecutions(queue.countDue(now));
                metrics.openCircuits(breaker.countOpen());
            });
        }
    }

    /**
     * Sends in flight are limited by configuration; sends waiting to be recorded, so that a slow database slows intake
     * down rather than filling the heap.
     */
    private int perDestination() {
        return Math.max(1, config.maxInFlightPerDestination());
    }

    private int capacity() {
        if (!running) {
            return 0; // draining: what arrives now is recorded PENDING for the other replicas
        }
        return Math.min(config.maxInFlight() - inFlight.get(),
                MAX_RECORD_BACKLOG_FACTOR * config.maxInFlight() - finished.size());
    }

    private Map<String, Integer> busyDestinations() {
        Map<String, Integer> busy = new HashMap<>();
        inFlightByDestination.forEach((destination, count) -> {
            if (count.get() > 0) {
                busy.put(destination, count.get());
            }
        });
        return busy;
    }

    private int claimAndDispatch() {
        int capacity = capacity();
        if (capacity <= 0) {
            return 0;
        }
        List<ClaimedExecution> claimed = claim(capacity, busyDestinations());
        claimed.forEach(this::attempt);
        return claimed.size();
    }

    /** Claims due work and notes whether due work was left behind, which new tasks then queue behind. */
    private List<ClaimedExecution> claim(int capacity, Map<String, Integer> busy) {
        ClaimDue.Claimed claimed = claimDue.run(capacity, busy, Instant.now());
        dueBacklog = claimed.dueLeft();
        return claimed.executions();
    }

    /** Reads top to bottom: send (open secrets, sign, check the destination), record (which moves the status on). */
    private void attempt(ClaimedExecution claimed) {
        inFlight.incrementAndGet();
        AtomicInteger perDestination = claimed.destination() == null ? null
                : inFlightByDestination.computeIfAbsent(claimed.destination(), ignored -> new AtomicInteger());
        if (perDestination != null) {
            perDestination.incrementAndGet();
        }
        Instant startedAt = Instant.now();
        sending.add(claimed.id());
        AttemptTraces.sending(claimed.id(), claimed.attemptNumber(), claimed.traceparent());
        sendAttempt.run(claimed.orgId(), claimed.request(), claimed.id(), startedAt).onComplete(done -> {
            AttemptTraces.sent(claimed.id(), done.result().result().status(), done.result().result().succeeded(),
                    done.result().result().refused());
            // The request is over: its slots are free for the next send while this one waits to be recorded.
            if (perDestination != null) {
                perDestination.decrementAndGet();
            }
            inFlight.decrementAndGet();
            synchronized (sending) {
                if (sending.remove(claimed.id())) {
                    finished.add(new Finished(claimed, done.result(), startedAt));
                } // else a drain handed it back: another replica attempts it, so this outcome is not recorded
            }
            synchronized (slotFreed) {
                slotFreed.notifyAll();
            }
            wakeUp();
        });
    }

    /**
     * Records finished attempts, everything that finished meanwhile in one transaction: one commit for many attempts is
     * what lets a replica record as fast as targets answer. Should a batch fail, each is tried on its own, so one bad
     * record cannot hold back the rest.
     */
    private void recordFinished() {
        List<Finished> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Finished first = finished.poll(SLOT_WAIT_MILLIS * 5, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (handedBack && sending.isEmpty()) {
                        return; // drained: nothing in flight, nothing left to record
                    }
                    continue;
                }
                batch.add(first);
                finished.drainTo(batch, MAX_RECORD_BATCH - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                recordBatch(batch);
            } catch (RuntimeException e) {
                // Never let the recorder die: unrecorded attempts come back after their lease, recorded ones are safe.
                LOG.errorf(e, "Recording %d finished attempts failed", batch.size());
            }
            batch.clear();
            wakeUp();
        }
    }

    private void recordBatch(List<Finished> batch) {
        List<Boolean> closed;
        try {
            closed = QuarkusTransaction.requiringNew().call(() -> recordAttempt.recordAll(
                    batch.stream().map(Finished::outcome).toList()));
        } catch (RuntimeException batchFailed) {
            closed = batch.stream().map(one -> recordAlone(one)).toList();
        }
        for (int i = 0; i < batch.size(); i++) {
            Finished one = batch.get(i);
            metrics.attempted(one.sent().result());
            if (Boolean.TRUE.equals(closed.get(i))) {
                releaseParked(one.claimed());
            }
        }
    }

    private boolean record(Finished one) {
        return recordAttempt.recordAll(List.of(one.outcome())).get(0);
    }

    private boolean recordAlone(Finished one) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> record(one));
        } catch (RuntimeException e) {
            // Not recorded: the lease expires and the execution is attempted again, never lost.
            LOG.errorf(e, "Could not record attempt %d of execution %s", one.claimed().attemptNumber(), one.claimed().id());
            return false;
        }
    }

    private void releaseParked(ClaimedExecution claimed) {
        try {
            breaker.releaseParked(claimed.orgId(), claimed.destination());
        } catch (RuntimeException e) {
            // They stay parked until the probe time they were given: late, not lost.
            LOG.warnf("Could not release what the circuit of %s parked: %s", claimed.destination(), e.toString());
        }
    }

    /** A send that has finished and waits to be recorded. */
    private record Finished(ClaimedExecution claimed, SendAttempt.Sent sent, Instant startedAt) {

        RecordAttempt.Outcome outcome() {
            return new RecordAttempt.Outcome(claimed, sent.request(), startedAt, sent.result());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
