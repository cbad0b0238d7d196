package io.hookflow.ingest.trigger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With the broker unreachable nothing is acknowledged that is not stored: 503 with Retry-After, never 202. */
@QuarkusTest
@TestProfile(BrokerOutageTest.BrokerUnreachable.class)
class BrokerOutageTest {

    static final String KEY = "test-bootstrap-key";

    /** The real database, and a broker address where nothing listens. */
    public static class BrokerUnreachable implements QuarkusTestProfile {

        /**
         * A loopback port bound for the whole run but never listening: connections to it are refused, and unlike a
         * port found free by opening and closing a socket, nothing else can start listening there meanwhile.
         */
        private static final Socket NOTHING_LISTENS = reservePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + NOTHING_LISTENS.getLocalPort());
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresTestResource.class));
        }

        private static Socket reservePort() {
            try {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return socket;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void shouldNotBeReadyBeforeTheApiKeysAndRuleChangesTopicsAreRead() {
        // The other half of ReadinessTest: with the compacted topics unreadable, valid keys and registered urls would
        // be refused, so neither check may say UP. Failing readiness for the broker alone would not show that.
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'api-keys' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'rule-webhooks' }.status", equalTo("DOWN"));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheBrokerIsUnreachable() {
        given().header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("trigger", "mypack.outage", "payload", Map.of("k", "v")))
                .post("/api/v1/webhooks/st2")
                .then().statusCode(503)
                .header("Retry-After", equalTo("5"))
                .body("error", equalTo("broker_unavailable"))
                .body("message", containsString("retry later"));
    }

    @Test
    void shouldReleaseAnIdempotencyKeyWhoseEventWasNotStored() {
        // Were the key kept, the sender's retry would be answered 409 or, worse, replayed as if it had been accepted.
        String key = java.util.UUID.randomUUID().toString();
        for (int attempt = 0; attempt < 2; attempt++) {
            given().header("St2-Api-Key", KEY).header("Idempotency-Key", key).contentType("application/json")
                    .body(Map.of("trigger", "mypack.outage", "payload", Map.of()))
                    .post("/api/v1/webhooks/st2")
                    .then().statusCode(503).header("Retry-After", equalTo("5"));
        }
    }

    @Test
    void shouldNotCreateAnApiKeyTheOtherServicesCannotLearn() {
        // Published before the answer or not made at all: a key only this service knew would fail everywhere else.
        String name = "outage-" + java.util.UUID.randomUUID();
        given().header("St2-Api-Key", KEY).contentType("application/json").body(Map.of("name", name))
                .post("/api/v1/apikeys")
                .then().statusCode(503)
                .body("error", equalTo("broker_unavailable"));
        given().header("St2-Api-Key", KEY).get("/api/v1/apikeys")
                .then().statusCode(200)
                .body("name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));
    }
}
