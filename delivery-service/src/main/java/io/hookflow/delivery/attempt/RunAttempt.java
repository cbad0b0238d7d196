package io.hookflow.delivery.attempt;

import io.hookflow.delivery.observe.AttemptTraces;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * One claimed execution's attempt, top to bottom: take its slots, send (open secrets, sign, check the destination),
 * free the slots, and hand the outcome to the {@link Recorder} (which moves the status on).
 */
@ApplicationScoped
public class RunAttempt {

    private final InFlight inFlight;
    private final SendAttempt sendAttempt;

    RunAttempt(InFlight inFlight, SendAttempt sendAttempt) {
        this.inFlight = inFlight;
        this.sendAttempt = sendAttempt;
    }

    public void run(ClaimedExecution claimed) {
        inFlight.take(claimed);
        Instant startedAt = Instant.now();
        inFlight.sending(claimed.id());
        AttemptTraces.sending(claimed.id(), claimed.attemptNumber(), claimed.traceparent());
        sendAttempt.run(claimed.orgId(), claimed.request(), claimed.id(), startedAt).onComplete(done -> {
            AttemptTraces.sent(claimed.id(), done.result().result().status(), done.result().result().succeeded(),
                    done.result().result().refused());
            inFlight.sent(new Recorder.Finished(claimed, done.result(), startedAt));
        });
    }
}
