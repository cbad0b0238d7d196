package io.hookflow.delivery.dispatch;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.hookflow.common.event.ActionTask;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One slow destination cannot starve the rest: the test profile allows 4 requests in flight per destination. The slow
 * target counts how many requests it holds at once, and would hold far more than 4 if allowed.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ConcurrencyLimitTest {

    static final int PER_DESTINATION = 4;
    static HttpServer slow;
    static ExecutorService slowThreads;
    static final AtomicInteger holding = new AtomicInteger();
    static final AtomicInteger mostHeldAtOnce = new AtomicInteger();
    static final CountDownLatch release = new CountDownLatch(1);
    static RequestSink fast;

    @BeforeAll
    static void startTargets() throws Exception {
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        slowThreads = Executors.newFixedThreadPool(32);
        slow.setExecutor(slowThreads);
        slow.createContext("/", exchange -> {
            int now = holding.incrementAndGet();
            mostHeldAtOnce.accumulateAndGet(now, Math::max);
            try {
                exchange.getRequestBody().readAllBytes();
                // Longer than any wait below: a request is answered only once the test releases it.
                release.await(120, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.decrementAndGet();
                exchange.close();
            }
        });
        slow.start();
        fast = RequestSink.start(0);
    }

    @AfterAll
    static void stopTargets() {
        release.countDown();
        slow.stop(0);
        slowThreads.shutdownNow();
        fast.close();
    }

    @Test
    void shouldDeliverToAFastDestinationPromptlyWhileASlowOneHoldsItsCap() throws Exception {
        String slowUrl = "http://127.0.0.1:" + slow.getAddress().getPort() + "/hooks/slow";
        List<ActionTask> slowTasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ActionTask task = task("POST", slowUrl, Map.of(), "slow " + i, null);
            slowTasks.add(task);
            publish(task);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> holding.get() == PER_DESTINATION);

        // The fast destination must not wait for the slow one's slots. No stopwatch: the slow target holds its four
        // requests until this test releases them (after the fast one arrived), so a fast task stuck behind them would
        // never arrive here at all, however slow or fast the machine.
        ActionTask fastTask = task("POST", fast.url("/hooks/fast"), Map.of(), "fast", null);
        publish(fastTask);
        fast.awaitRequestTo("/hooks/fast", Duration.ofSeconds(60));
        awaitStatus(fastTask.id(), "SUCCEEDED");
        assertEquals(PER_DESTINATION, holding.get(), "the slow requests were all still held meanwhile");

        // The fast task was due after the slow ones, so the worker polls that claimed it saw the other eight due too:
        // they are still waiting for a slot, not sent.
        assertEquals(PER_DESTINATION, mostHeldAtOnce.get());
        long started = slowTasks.stream()
                .filter(task -> (int) api().get("/api/v1/executions/" + task.id()).then().extract().path("attemptCount") > 0)
                .count();
        assertEquals(PER_DESTINATION, started, "only the cap's worth of slow executions has an attempt");

        release.countDown();
        for (ActionTask task : slowTasks) {
            awaitStatus(task.id(), "SUCCEEDED");
        }
        assertEquals(PER_DESTINATION, mostHeldAtOnce.get(), "never more than the cap at once, also while draining");
    }
}
