package io.hookflow.delivery.testdelivery;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class TestDeliveryTest {

    static RequestSink sink;

    /** The test profile's key, as rules-service would encrypt with it. */
    static final SecretCipher cipher = DeliveryTestSupport.cipher();

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldSendOnceSignedAndShowTheAnswerWithoutRecordingAnExecution() throws Exception {
        String secret = "test-delivery-secret";
        sink.respondWith("/hooks/try", 202);
        String body = "{\"hello\":\"world\"}";
        Map<String, Object> request = Map.of("method", "POST", "url", sink.url("/hooks/try"),
                "headers", Map.of("Content-Type", "application/json", "X-Api-Token", "t0k3n"), "body", body,
                "secret", cipher.encrypt(secret));

        String answer = api().contentType("application/json").body(request).post("/api/v1/test-deliveries")
                .then().statusCode(200)
                .body("request.method", equalTo("POST"))
                .body("request.url", equalTo(sink.url("/hooks/try")))
                .body("request.body", equalTo(body))
                .body("request.headers.X-Api-Token", equalTo("********"))
                .body("request.headers.X-Hookflow-Signature", equalTo("********"))
                .body("response.status", equalTo(202))
                .body("error", nullValue())
                .body("durationMs", greaterThanOrEqualTo(0))
                .extract().asString();
        assertFalse(answer.contains(secret) || answer.contains("t0k3n"), answer);

        RecordedRequest received = sink.awaitRequestTo("/hooks/try", Duration.ofSeconds(5));
        assertEquals("sha256=" + hexHmac(secret, received.body()), received.headers().get("x-hookflow-signature"));
        assertEquals(1, sink.requestsTo("/hooks/try").size());
        api().queryParam("host", "127.0.0.1").get("/api/v1/executions").then().statusCode(200)
                .body("items.findAll { it.request.url == '" + sink.url("/hooks/try") + "' }.size()", equalTo(0));
    }

    @Test
    void shouldAnswerWithTheRefusalAndNoResponseWhenTheWhitelistRefuses() {
        api().contentType("application/json")
                .body(Map.of("method", "POST", "url", "http://169.254.169.254/latest/meta-data/", "body", "{}"))
                .post("/api/v1/test-deliveries")
                .then().statusCode(200)
                .body("response", nullValue())
                .body("error", containsString("refused"))
                .body("error", containsString("cloud metadata"));
        api().contentType("application/json").body(Map.of("method", "TRACE", "url", sink.url("/hooks/trace")))
                .post("/api/v1/test-deliveries")
                .then().statusCode(200).body("response", nullValue()).body("error", containsString("method TRACE"));
        assertTrue(sink.requestsTo("/hooks/trace").isEmpty());
    }

    @Test
    void shouldReportAConnectionErrorAsAnErrorWithoutAResponse() {
        api().contentType("application/json").body(Map.of("url", "http://127.0.0.1:1/closed"))
                .post("/api/v1/test-deliveries")
                .then().statusCode(200).body("response", nullValue()).body("error", containsString("connection failed"));
    }

    @Test
    void shouldAnswerBadRequestsWithJsonErrors() {
        api().contentType("application/json").body("{not json").post("/api/v1/test-deliveries")
                .then().statusCode(400).body("error", equalTo("bad_request")).body("message", containsString("malformed JSON"));
        api().contentType("application/json").body("").post("/api/v1/test-deliveries")
                .then().statusCode(400).body("error", equalTo("bad_request"));
        api().contentType("application/json").body(Map.of("method", "POST")).post("/api/v1/test-deliveries")
                .then().statusCode(400).body("error", equalTo("validation_failed")).body("details[0].path", equalTo("url"));
        api().contentType("application/json").body(Map.of("url", sink.url("/x"), "connectTimeoutSeconds", 0))
                .post("/api/v1/test-deliveries")
                .then().statusCode(400).body("details[0].path", equalTo("connectTimeoutSeconds"));
        given().contentType("application/json").body(Map.of("url", sink.url("/x"))).post("/api/v1/test-deliveries")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
    }

    private static String hexHmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
