package io.hookflow.delivery.intake;

import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.attempt.ClaimedExecution;
import io.hookflow.delivery.attempt.InFlight;
import io.hookflow.delivery.attempt.RunAttempt;
import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.destination.Destinations;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.hookflow.delivery.queue.DeliveryWorker;
import io.hookflow.delivery.ratelimit.RateLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Admission: a polled batch of tasks becomes executions, and those that fit the free slots start at once; the rest
 * waits in the database queue for the claim loop ({@link DeliveryWorker}).
 */
@ApplicationScoped
public class Admission {

    /** How long a polled batch waits for free slots before the rest of it is queued in the database. */
    private static final java.time.Duration MAX_ADMISSION_WAIT = java.time.Duration.ofSeconds(1);

    private final IntakeRepository executions;
    private final InFlight inFlight;
    private final RunAttempt runAttempt;
    private final DeliveryWorker worker;
    private final CircuitBreaker breaker;
    private final RateLimits rateLimits;
    private final DeliveryConfig config;

    Admission(IntakeRepository executions, InFlight inFlight, RunAttempt runAttempt, DeliveryWorker worker,
              CircuitBreaker breaker, RateLimits rateLimits, DeliveryConfig config) {
        this.executions = executions;
        this.inFlight = inFlight;
        this.runAttempt = runAttempt;
        this.worker = worker;
        this.breaker = breaker;
        this.rateLimits = rateLimits;
        this.config = config;
    }

    /** False once the service is stopping. */
    public boolean running() {
        return inFlight.running();
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
     * <p>Ordered tasks (with a lane) never start from here: they are recorded PENDING first, in task order (their place
     * in the lane is taken as they are inserted), and start through the claim, which takes only a lane's head
     * (docs/delivery.md, Ordered lanes). Splitting them by free slots as below could record a later task of a lane
     * before an earlier one.
     *
     * @return how many executions were new (a redelivered task's execution exists already)
     */
    public int admit(List<ActionTask> tasks) {
        int recorded = 0;
        List<ActionTask> waiting = tasks;
        if (tasks.stream().anyMatch(ActionTask::ordered)) {
            inFlight.lockClaims();
            try {
                recorded += admitPending(tasks.stream().filter(ActionTask::ordered).toList(), inFlight.capacity());
            } finally {
                inFlight.unlockClaims();
            }
            waiting = tasks.stream().filter(task -> !task.ordered()).toList();
        }
        long waitUntil = System.nanoTime() + MAX_ADMISSION_WAIT.toNanos();
        long holdUntil = System.nanoTime() + config.destinationSlotWait().toNanos();
        while (!waiting.isEmpty()) {
            boolean mayWait = inFlight.running() && !worker.dueBacklog() && System.nanoTime() < waitUntil;
            if (mayWait && inFlight.capacity() <= 0) {
                inFlight.awaitFreeSlot();
                continue;
            }
            List<ActionTask> held = List.of();
            inFlight.lockClaims();
            try {
                int capacity = inFlight.capacity();
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
                        recorded += admitPending(held, inFlight.capacity());
                        held = List.of();
                    }
                } else {
                    // Waited long enough, or older work is due: the rest goes into the database queue in one go.
                    recorded += admitPending(waiting, capacity);
                }
            } finally {
                inFlight.unlockClaims();
            }
            if (!held.isEmpty() && held.size() == waiting.size()) {
                inFlight.awaitSlotFreed(); // nothing fitted: every task left waits for its destination
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
        Map<String, Integer> used = inFlight.busyDestinations();
        for (ActionTask task : tasks) {
            String destination = Destinations.destinationOf(task.request().url());
            boolean fits = fitting.size() < capacity && (destination == null
                    || used.getOrDefault(destination, 0) < inFlight.perDestination());
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
        Map<String, Integer> used = inFlight.busyDestinations();
        Instant now = Instant.now();
        List<Execution> recorded = QuarkusTransaction.requiringNew().call(() -> {
            Set<UUID> startNow = new HashSet<>();
            Map<String, Set<String>> destinationsByOrg = new HashMap<>();
            for (ActionTask task : chunk) {
                String destination = Destinations.destinationOf(task.request().url());
                if (task.request().rateLimit() != null) {
                    continue; // its rule's limit: the claim takes its token, in due order
                }
                if (destination == null || used.getOrDefault(destination, 0) < inFlight.perDestination()) {
                    startNow.add(UUID.fromString(task.id()));
                    if (destination != null) {
                        used.merge(destination, 1, Integer::sum);
                        destinationsByOrg.computeIfAbsent(task.orgId(), ignored -> new HashSet<>()).add(destination);
                    }
                }
            }
            // Behind a circuit that is not closed, a task waits as PENDING: the claim parks it or makes it the probe.
            // So does one whose destination has a rate limit (or a 429's pause): only the claim takes tokens.
            destinationsByOrg.forEach((org, destinations) -> {
                Set<String> mustWait = new HashSet<>(breaker.notClosed(org, destinations).keySet());
                mustWait.addAll(rateLimits.limitedDestinations(org, destinations));
                if (!mustWait.isEmpty()) {
                    chunk.stream().filter(task -> task.orgId().equals(org)
                                    && mustWait.contains(Destinations.destinationOf(task.request().url())))
                            .forEach(task -> startNow.remove(UUID.fromString(task.id())));
                }
            });
            return executions.record(chunk, startNow, config.lease(), now);
        });
        boolean leftPending = false;
        for (Execution execution : recorded) {
            if (execution.status == ExecutionStatus.RUNNING) {
                runAttempt.run(new ClaimedExecution(execution.id, execution.orgId, execution.destination, 1,
                        execution.request, execution.traceparent));
            } else {
                leftPending = true;
            }
        }
        if (leftPending) {
            worker.dueWorkLeft();
        }
        return recorded.size();
    }

    /** Records the tasks PENDING and, in the same transaction, claims what is due in due order, them included. */
    private int admitPending(List<ActionTask> tasks, int capacity) {
        Map<String, Integer> busy = inFlight.busyDestinations();
        List<ClaimedExecution> claimed = new ArrayList<>();
        int recorded = QuarkusTransaction.requiringNew().call(() -> {
            int added = executions.recordPending(tasks, Instant.now());
            if (capacity > 0) {
                claimed.addAll(worker.claim(capacity, busy));
            }
            return added;
        });
        claimed.forEach(runAttempt::run);
        inFlight.wakeUp();
        return recorded;
    }
}
