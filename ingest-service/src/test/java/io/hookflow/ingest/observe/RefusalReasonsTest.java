package io.hookflow.ingest.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Refused webhooks are counted by why, finer than the answer's error code where one code has several causes (an
 * operator tells a sender without credentials from one with a wrong key, and a wrong url from a broken body), while
 * the body the sender gets keeps its stable code and never shows the metric's word.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RefusalReasonsTest {

    static final String KEY = "test-bootstrap-key";

    @Test
    void shouldCountAWebhookWithoutCredentialsAsMissingCredentials() {
        double before = refused("st2", "missing_credentials");
        given().contentType("application/json").body(Map.of("trigger", "a.b", "payload", Map.of()))
                .post("/api/v1/webhooks/st2")
                .then().statusCode(401).body("error", equalTo("unauthorized")).body("$", not(hasKey("reason")));
        assertEquals(before + 1, refused("st2", "missing_credentials"));
    }

    @Test
    void shouldCountAWrongApiKeyAsInvalidApiKey() {
        double before = refused("st2", "invalid_api_key");
        given().header("St2-Api-Key", "not-a-key").contentType("application/json")
                .body(Map.of("trigger", "a.b", "payload", Map.of())).post("/api/v1/webhooks/st2")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        assertEquals(before + 1, refused("st2", "invalid_api_key"));
    }

    @Test
    void shouldCountAForgedTokenAsInvalidToken() {
        double before = refused("st2", "invalid_token");
        given().header("X-Auth-Token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged").contentType("application/json")
                .body(Map.of("trigger", "a.b", "payload", Map.of())).post("/api/v1/webhooks/st2")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        assertEquals(before + 1, refused("st2", "invalid_token"));
    }

    @Test
    void shouldCountAUrlNoRuleRegistersAsUnknownWebhook() {
        double before = refused("url", "unknown_webhook");
        given().header("St2-Api-Key", KEY).contentType("application/json").body("{}")
                .post("/api/v1/webhooks/nobody-registers-this")
                .then().statusCode(404).body("error", equalTo("not_found"));
        assertEquals(before + 1, refused("url", "unknown_webhook"));
    }

    @Test
    void shouldCountABrokenBodyAsMalformedBody() {
        double before = refused("st2", "malformed_body");
        given().header("St2-Api-Key", KEY).contentType("application/json").body("{\"trigger\": ")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("error", equalTo("bad_request"));
        assertEquals(before + 1, refused("st2", "malformed_body"));
    }

    @Test
    void shouldCountARefusalMadeBeforeAnyResourceRanByItsOwnReason() {
        double before = refused("st2", "nul_in_uri");
        given().urlEncodingEnabled(false).header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("trigger", "a.b", "payload", Map.of())).post("/api/v1/webhooks/st2?x=%00")
                .then().statusCode(400).body("error", equalTo("bad_request"));
        assertEquals(before + 1, refused("st2", "nul_in_uri"));
    }

    /** The counter's value, read from the service's Prometheus endpoint. */
    private static double refused(String form, String reason) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("(?m)^hookflow_ingest_webhooks_total\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            String labels = matcher.group(1);
            if (labels.contains("form=\"" + form + "\"") && labels.contains("outcome=\"refused\"")
                    && labels.contains("reason=\"" + reason + "\"")) {
                total += Double.parseDouble(matcher.group(2));
            }
        }
        return total;
    }
}
