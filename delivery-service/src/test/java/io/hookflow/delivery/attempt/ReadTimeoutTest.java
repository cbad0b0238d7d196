package io.hookflow.delivery.attempt;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A target that accepts connections and never answers: only the action's own read timeout ends the attempt. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ReadTimeoutTest {

    static ServerSocket silent;
    static final List<Socket> held = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSilentTarget() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stopSilentTarget() throws IOException {
        silent.close();
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void shouldTimeOutWithTheActionsReadTimeoutWhenTheTargetNeverAnswers() throws Exception {
        ActionTask task = task(new OutboundRequest("POST", "http://127.0.0.1:" + silent.getLocalPort() + "/slow",
                Map.of(), "x", null, null, null, 1));
        publish(task);

        // The default read timeout is 30 s; the message names the 1 s the action asked for.
        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(3))
                .body("attempts[0].responseStatus", nullValue())
                .body("attempts[0].error", containsString("timed out"))
                .body("attempts[0].error", containsString("1000ms"));
    }
}
