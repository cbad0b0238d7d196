package io.hookflow.delivery.attempt;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.OutboundRequest.RetryOverride;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A rule's own retry policy and connect timeout win over the delivery defaults (test profile: 200ms, 400ms; 10 s). */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class PerRulePolicyTest {

    static RequestSink sink;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
        sink.respondWith(500);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldFollowTheRulesScheduleAndAttemptLimitWhenTheRequestCarriesThem() throws Exception {
        ActionTask task = task(new OutboundRequest("POST", sink.url("/hooks/own-policy"), Map.of(), "x", null, null, null,
                null, null, new RetryOverride(4, List.of(1))));
        publish(task);

        var execution = awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(4))
                .body("attempts", hasSize(4))
                .body("request.retry.maxAttempts", equalTo(4));
        // The rule's 1 s, repeated, not the profile's 200 ms / 400 ms. Only a lower bound (a late attempt never
        // fails it), with 50 ms for clock granularity between the recorded start times.
        List<String> starts = execution.extract().path("attempts.startedAt");
        for (int i = 1; i < starts.size(); i++) {
            Duration gap = Duration.between(Instant.parse(starts.get(i - 1)), Instant.parse(starts.get(i)));
            assertTrue(gap.toMillis() >= 950, "gap before attempt " + (i + 1) + ": " + gap);
        }
    }

    @Test
    void shouldStopConnectingAfterTheRulesConnectTimeoutWhenTheTargetNeverAccepts() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect hangs until it times out.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
                } catch (IOException queueFull) {
                    // expected once the queue is full
                }
                fillers.add(filler);
            }
            ActionTask task = task(new OutboundRequest("POST", "http://127.0.0.1:" + full.getLocalPort() + "/never",
                    Map.of(), "x", null, null, null, null, 1, new RetryOverride(1, null)));
            publish(task);

            awaitStatus(task.id(), "FAILED")
                    .body("attemptCount", equalTo(1))
                    .body("attempts[0].error", containsString("time"))
                    // The rule's 1 s, not the default 10 s. The bound sits halfway, so it holds even if a loaded
                    // 2-core machine delays the timer by seconds, and still fails when the default applies.
                    .body("attempts[0].durationMs", lessThan(5500));
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
