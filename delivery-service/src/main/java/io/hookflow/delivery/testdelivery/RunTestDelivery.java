package io.hookflow.delivery.testdelivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.http.HttpResult;
import io.hookflow.delivery.attempt.SendAttempt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The Pact Broker's "test a webhook": one send through the same secrets, signing, whitelists, SSRF guard and timeouts
 * as a real attempt, but no execution, no attempt row, no retry, no circuit. The {@code webhook-id} is a fresh id.
 */
@ApplicationScoped
public class RunTestDelivery {

    private final SendAttempt sendAttempt;
    private final ObjectMapper mapper;

    RunTestDelivery(SendAttempt sendAttempt, ObjectMapper mapper) {
        this.sendAttempt = sendAttempt;
        this.mapper = mapper;
    }

    public CompletionStage<TestDeliveryResult> run(String orgId, OutboundRequest request) {
        long started = System.nanoTime();
        return sendAttempt.run(orgId, request, UUID.randomUUID(), Instant.now())
                .map(sent -> {
                    HttpResult result = sent.result();
                    TestDeliveryResult.Response response = result.status() == null ? null
                            : new TestDeliveryResult.Response(result.status(), result.headers(), result.body());
                    return new TestDeliveryResult(sent.request().redacted(mapper), response, result.error(),
                            (System.nanoTime() - started) / 1_000_000);
                })
                .toCompletionStage();
    }
}
