package io.hookflow.delivery.dispatch;

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
                release.await(60, TimeUnit.SECONDS);
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

        ActionTask fastTask = task("POST", fast.url("/hooks/fast"), Map.of(), "fast", null);
        long published = System.nanoTime();
        publish(fastTask);
        fast.awaitRequestTo("/hooks/fast", Duration.ofSeconds(5));
        long tookMillis = (System.nanoTime() - published) / 1_000_000;
        awaitStatus(fastTask.id(), "SUCCEEDED");
        assertTrue(tookMillis < 5000, "fast destination waited " + tookMillis + " ms");

        // Hold a little longer: no fifth request may arrive while four are held.
        Thread.sleep(1000);
        assertEquals(PER_DESTINATION, mostHeldAtOnce.get());

        release.countDown();
        for (ActionTask task : slowTasks) {
            awaitStatus(task.id(), "SUCCEEDED");
        }
        assertEquals(PER_DESTINATION, mostHeldAtOnce.get(), "never more than the cap at once, also while draining");
    }
}
