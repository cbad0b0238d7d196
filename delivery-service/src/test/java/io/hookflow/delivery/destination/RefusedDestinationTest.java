package io.hookflow.delivery.destination;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.delivery.http.HttpResult;
import io.hookflow.delivery.attempt.HttpSender;
import io.hookflow.delivery.attempt.PreparedRequest;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refused destinations end FAILED after one recorded attempt that never reached the network. The test profile allows
 * http, the common methods and 127.0.0.1 by name, plus any public host (see application.properties).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RefusedDestinationTest {

    static RequestSink sink;

    @Inject
    HttpSender sender;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldFailWithoutSendingWhenTheMethodIsNotWhitelisted() throws Exception {
        ActionTask task = task("TRACE", sink.url("/hooks/trace"), Map.of(), null, null);
        publish(task);

        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(1))
                .body("lastError", containsString("method TRACE is not allowed"))
                .body("nextAttemptAt", nullValue())
                .body("attempts", hasSize(1))
                .body("attempts[0].outcome", equalTo("FAILURE"))
                .body("attempts[0].responseStatus", nullValue())
                .body("attempts[0].error", containsString("refused: method TRACE"));
        assertTrue(sink.requests().stream().noneMatch(r -> r.path().startsWith("/hooks/trace")), sink.requests().toString());
    }

    @Test
    void shouldFailWithoutRetryingWhenTheDestinationIsCloudMetadata() throws Exception {
        ActionTask task = task("POST", "http://169.254.169.254/latest/meta-data/", Map.of(), "{}", null);
        publish(task);

        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(1))
                .body("lastError", containsString("link-local / cloud metadata"));
    }

    @Test
    void shouldFailWithoutRetryingWhenTheDestinationIsPrivate() throws Exception {
        ActionTask task = task("POST", "http://10.0.0.1:8080/internal", Map.of(), "{}", null);
        publish(task);

        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(1))
                .body("lastError", containsString("a private address"));
    }

    @Test
    void shouldFailWhenTheSchemeIsNotWhitelisted() throws Exception {
        ActionTask task = task("POST", "ftp://127.0.0.1:" + sink.port() + "/file", Map.of(), "{}", null);
        publish(task);

        awaitStatus(task.id(), "FAILED").body("lastError", containsString("scheme 'ftp' is not allowed"));
    }

    @Test
    void shouldConnectToTheCheckedAddressWhileKeepingTheUrlsHostName() throws Exception {
        // The name does not resolve anywhere: reaching the sink proves the connection went to the pinned address.
        String url = "http://hooks.pinned.invalid:" + sink.port() + "/pinned?x=1";
        PreparedRequest request = new PreparedRequest("POST", url, Map.of("X-Probe", "pinned"), "hello", Set.of(), null);
        Destination.Allowed checked = new Destination.Allowed("http", "hooks.pinned.invalid", sink.port(), "/pinned?x=1",
                InetAddress.getByName("127.0.0.1"));

        HttpResult result = sender.send(request, checked).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(200, result.status(), String.valueOf(result.error()));
        RecordedRequest received = sink.requests().stream().filter(r -> r.path().equals("/pinned?x=1")).findFirst()
                .orElseThrow();
        assertEquals("hooks.pinned.invalid:" + sink.port(), received.headers().get("host"));
        assertEquals("hello", received.body());
    }

    @Test
    void shouldNeverFollowARedirectToAPrivateAddress() throws Exception {
        // A second listener stands for the private network: loopback is a non-public address, and this one records any
        // request that reaches it. The first target answers 302 pointing there.
        try (RequestSink internal = RequestSink.start(0)) {
            sink.redirect("/hooks/redirect", internal.url("/internal/secrets"));
            // A GET: the request a client would repeat at the new location (a POST would only be followed on a 307).
            ActionTask task = task("GET", sink.url("/hooks/redirect"), Map.of(), null, null);
            publish(task);

            // A follow would happen inside the attempt, so once the execution has finished (whatever its outcome) any
            // request to the internal listener has already arrived.
            DeliveryTestSupport.awaitQuiet(List.of(task.id()));
            assertEquals(List.of(), internal.requests(), "the redirect target was contacted");
            // The redirect is the attempt's answer, recorded as it came.
            awaitStatus(task.id(), "FAILED")
                    .body("attemptCount", equalTo(1))
                    .body("attempts[0].responseStatus", equalTo(302));
            assertEquals(1, sink.requests().stream().filter(r -> r.path().contains("/internal/")
                    || r.path().startsWith("/hooks/redirect")).count(), sink.requests().toString());
        }
    }

    @Test
    void shouldDeliverToAWhitelistedLoopbackTarget() throws Exception {
        ActionTask task = task("PUT", sink.url("/hooks/allowed"), Map.of(), "ok", null);
        publish(task);

        awaitStatus(task.id(), "SUCCEEDED").body("attempts[0].responseStatus", equalTo(200));
        assertTrue(sink.requests().stream().anyMatch(r -> r.path().equals("/hooks/allowed") && r.method().equals("PUT")));
    }

}
