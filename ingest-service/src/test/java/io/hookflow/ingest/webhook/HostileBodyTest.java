package io.hookflow.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies that are not what they claim to be are refused with a 4xx and never reach the broker: the sum of the
 * trigger-events end offsets over every partition is the same after the request as before it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class HostileBodyTest {

    static final String KEY = "test-bootstrap-key";

    long endBefore;

    @BeforeEach
    void noteEndOffsets() {
        // The first accepted webhook creates the topic; every test below then starts from the same end.
        given().header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("trigger", "test.warmup", "payload", Map.of())).post("/api/v1/webhooks/st2")
                .then().statusCode(202);
        endBefore = endOffsets();
    }

    @AfterEach
    void assertNothingPublished() {
        assertEquals(endBefore, endOffsets(), "a refused request must publish nothing, on any partition");
    }

    @Test
    void shouldRefuseJsonWithTrailingContent() {
        json("{\"trigger\":\"a.b\",\"payload\":{}}}").then().statusCode(400)
                .body("error", equalTo("bad_request")).body("message", containsString("malformed JSON"));
        json("{\"trigger\":\"a.b\",\"payload\":{}} {\"second\": 1}").then().statusCode(400);
    }

    @Test
    void shouldRefuseALoneSurrogateInAKeyOrAValue() {
        json("{\"trigger\":\"sur2.t\",\"payload\":{\"a\":\"x\",\"\\ud800\":1}}").then().statusCode(400)
                .body("message", containsString("lone surrogate")).body("message", containsString("key"));
        json("{\"trigger\":\"sur2.t\",\"payload\":{\"a\":[\"ok\", \"\\udc00x\"]}}").then().statusCode(400)
                .body("message", containsString("$.payload.a[1]"));
        json("{\"trigger\":\"sur2.t\",\"payload\":{\"a\":\"\\ud83d\"}}").then().statusCode(400);
    }

    @Test
    void shouldAcceptAPairedSurrogateEscape() {
        json("{\"trigger\":\"sur2.ok\",\"payload\":{\"emoji\":\"\\ud83d\\ude00\"}}").then().statusCode(202)
                .body("payload.emoji", equalTo("\uD83D\uDE00"));
        endBefore++;
    }

    @Test
    void shouldRefuseAFormValueThatDecodesToInvalidUtf8() {
        WebhookBodyRulesTest.form().header("St2-Api-Key", KEY).body("trigger=mypack.form&payload=%7B%22a%22%3A%22%FF%22%7D")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("message", containsString("not valid UTF-8"));
        WebhookBodyRulesTest.form().header("St2-Api-Key", KEY).body("trigger=mypack.form%FF&payload=%7B%7D")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400);
    }

    @Test
    void shouldRefuseACompressedBodyWith415() {
        for (String encoding : new String[] {"gzip", "deflate", "br", "x-custom"}) {
            given().header("St2-Api-Key", KEY).contentType("application/json").header("Content-Encoding", encoding)
                    .body("{\"trigger\":\"a.b\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/webhooks/st2")
                    .then().statusCode(415).body("error", equalTo("unsupported_media_type"))
                    .body("message", containsString(encoding));
        }
        given().header("St2-Api-Key", KEY).contentType("application/json").header("Content-Encoding", "identity")
                .body("{\"trigger\":\"a.identity\",\"payload\":{}}").post("/api/v1/webhooks/st2")
                .then().statusCode(202);
        endBefore++;
    }

    @Test
    void shouldAnswer413NotARetryableErrorForABodyAtTheLimitWhoseEventTheBrokerCannotTake() {
        String head = "{\"trigger\":\"big.t\",\"payload\":{\"big\":\"";
        String tail = "\"}}";
        String body = head + "x".repeat(1024 * 1024 - head.length() - tail.length()) + tail;
        json(body).then().statusCode(413).body("error", equalTo("payload_too_large"))
                .body("message", containsString("broker"));
    }

    @Test
    void shouldAcceptAWebhookFromAClientThatOffersHttp2() throws Exception {
        // Java's HttpClient (like curl --http2) asks to upgrade a cleartext request with a body to HTTP/2 (h2c).
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:" + io.restassured.RestAssured.port + "/api/v1/webhooks/st2"))
                .header("St2-Api-Key", KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"trigger\":\"h2.t\",\"payload\":{\"a\":1}}"))
                .build();
        var answer = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
        endBefore++;
    }

    private static io.restassured.response.Response json(String body) {
        return given().header("St2-Api-Key", KEY).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/webhooks/st2");
    }

    private static long endOffsets() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            int partitions = admin.describeTopics(java.util.List.of(Topics.TRIGGER_EVENTS)).allTopicNames().get()
                    .get(Topics.TRIGGER_EVENTS).partitions().size();
            Map<TopicPartition, OffsetSpec> wanted = java.util.stream.IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(Topics.TRIGGER_EVENTS, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(wanted).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets of " + Topics.TRIGGER_EVENTS, e);
        }
    }
}
