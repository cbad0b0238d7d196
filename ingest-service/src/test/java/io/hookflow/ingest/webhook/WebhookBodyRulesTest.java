package io.hookflow.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.ingest.RawHttp;
import io.hookflow.ingest.TriggerTopic;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Body rules over real HTTP with the real broker: forms, limits, encodings, the /v1 aliases. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class WebhookBodyRulesTest {

    static final String KEY = "test-bootstrap-key";
    static final int LIMIT = 1024 * 1024;

    TriggerTopic topic;

    @BeforeEach
    void openTopic() {
        topic = TriggerTopic.atEnd();
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    @Test
    void shouldDecodeAFormEncodedSt2WebhookWithItsPayloadAsJsonText() {
        form().header("St2-Api-Key", KEY)
                .body("trigger=mypack.form&payload=%7B%22attribute1%22%3A%22value1%22%2C%22n%22%3A2%7D")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202).body("payload.attribute1", equalTo("value1"));
        JsonNode event = topic.nextEvent();
        assertEquals("mypack.form", event.get("trigger").asText());
        assertEquals("{\"attribute1\":\"value1\",\"n\":2}", event.get("payload").toString());
    }

    @Test
    void shouldRefuseAFormPayloadThatIsNotAJsonObject() {
        form().header("St2-Api-Key", KEY)
                .body("trigger=mypack.form&payload=%5B1%5D")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("details[0].path", equalTo("payload"))
                .body("details[0].message", containsString("sent as text"));
        form().header("St2-Api-Key", KEY)
                .body("trigger=mypack.form&payload=%7Bbroken")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("message", containsString("malformed JSON"));
        assertNothingPublished();
    }

    @Test
    void shouldAnswer413WithTheJsonErrorBeforeReadingAnAnnouncedOversizedBody() {
        // The body is announced but never sent: a 413 proves the limit is applied before reading it.
        String answer = RawHttp.exchange(RestAssured.port, """
                POST /api/v1/webhooks/st2 HTTP/1.1
                Host: localhost
                St2-Api-Key: %s
                Content-Type: application/json
                Content-Length: %d
                """.formatted(KEY, LIMIT + 1), new byte[0]);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"error\":\"payload_too_large\""), answer);
        assertNothingPublished();
    }

    @Test
    void shouldAnswer413WithTheJsonErrorWhileAChunkedBodyIsStillArriving() {
        // One chunk just over the limit, and the body never ends: the answer comes without waiting for the rest.
        byte[] chunk = new byte[LIMIT + 1];
        Arrays.fill(chunk, (byte) ' ');
        byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] partial = new byte[size.length + chunk.length];
        System.arraycopy(size, 0, partial, 0, size.length);
        System.arraycopy(chunk, 0, partial, size.length, chunk.length);
        String answer = RawHttp.exchange(RestAssured.port, """
                POST /api/v1/webhooks/st2 HTTP/1.1
                Host: localhost
                St2-Api-Key: %s
                Content-Type: application/json
                Transfer-Encoding: chunked
                """.formatted(KEY), partial);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"error\":\"payload_too_large\""), answer);
        assertNothingPublished();
    }

    @Test
    void shouldAcceptABodyJustUnderTheLimit() {
        String padding = " ".repeat(LIMIT - 64);
        given().header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"mypack.big\", \"payload\": {}}" + padding)
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202);
        assertEquals("mypack.big", TriggerTopic.trigger(topic.next()));
    }

    @Test
    void shouldRefuseInvalidUtf8AndDeepNestingWithClearMessages() {
        byte[] latin1 = "{\"trigger\": \"a.b\", \"payload\": {\"name\": \"Jos\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        given().header("St2-Api-Key", KEY).contentType("application/json").body(latin1)
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("error", equalTo("bad_request")).body("message", containsString("not valid UTF-8"));
        String deep = "[".repeat(65) + "]".repeat(65);
        given().header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"a.b\", \"payload\": {\"x\": " + deep + "}}")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("message", containsString("nested deeper than the limit of 64"));
        given().header("St2-Api-Key", KEY).contentType("application/json").body("   ")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("message", containsString("empty"));
        assertNothingPublished();
    }

    @Test
    void shouldServeTheSt2WebhookUnderTheV1AliasForStackStormClients() {
        fireJson(Map.of("trigger", "mypack.alias", "payload", Map.of("k", "v")), "/v1/webhooks/st2");
        assertEquals("mypack.alias", TriggerTopic.trigger(topic.next()));
        given().queryParam("st2-api-key", KEY).get("/v1/webhooks")
                .then().statusCode(200).body("[0].kind", equalTo("st2"));
        given().get("/v1/webhooks").then().statusCode(401).body("error", equalTo("unauthorized"));
    }

    /** A form as senders send it: without RestAssured's default ISO-8859-1 charset parameter. */
    static RequestSpecification form() {
        return given().config(RestAssuredConfig.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("application/x-www-form-urlencoded");
    }

    private void assertNothingPublished() {
        String marker = TriggerTopic.marker();
        fireJson(Map.of("trigger", marker, "payload", Map.of()), "/api/v1/webhooks/st2");
        topic.assertOnlyMarkerSince(marker);
    }

    private static void fireJson(Object body, String path) {
        given().header("St2-Api-Key", KEY).contentType("application/json").body(body).post(path)
                .then().statusCode(202);
    }
}
