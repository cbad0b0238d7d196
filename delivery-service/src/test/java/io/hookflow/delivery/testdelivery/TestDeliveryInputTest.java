package io.hookflow.delivery.testdelivery;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A test delivery's request must be what it says it is: JSON in UTF-8, with no credentials hidden in its url. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class TestDeliveryInputTest {

    static final String REQUEST = "{\"method\": \"POST\", \"url\": \"https://hooks.example.com/in\"}";

    @Test
    void shouldAnswer415ForAnythingButJson() {
        for (String type : new String[] {"text/plain", "application/xml", "application/json; charset=latin1"}) {
            api().contentType(type).body(REQUEST.getBytes(StandardCharsets.UTF_8)).post("/api/v1/test-deliveries")
                    .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
        }
    }

    @Test
    void shouldAnswer400ForABodyThatIsNotUtf8() {
        byte[] latin1 = "{\"method\": \"POST\", \"url\": \"https://hooks.example.com/\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        api().contentType("application/json").body(latin1).post("/api/v1/test-deliveries")
                .then().statusCode(400).body("message", containsString("UTF-8"));
    }

    @Test
    void shouldReadAMegabyteRequestWhole() {
        // Under the body limit (2 MiB); the refused destination answers without sending, so only the reading is tested.
        String body = "{\"method\": \"POST\", \"url\": \"https://hooks.example.com:1/in\", \"body\": \""
                + "b".repeat(1_000_000) + "\"}";
        api().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/test-deliveries")
                .then().statusCode(200).body("request.body.length()", org.hamcrest.Matchers.equalTo(1_000_000));
        api().contentType("application/json").body(("{\"url\": \"" + "c".repeat(3 * 1024 * 1024) + "\"}")
                        .getBytes(StandardCharsets.UTF_8)).post("/api/v1/test-deliveries")
                .then().statusCode(413).body("error", equalTo("payload_too_large"));
    }

    @Test
    void shouldRefuseCredentialsInTheUrlWithoutEchoingThem() {
        api().contentType("application/json")
                .body("{\"method\": \"POST\", \"url\": \"https://user:s3cr3t@hooks.example.com/in\"}")
                .post("/api/v1/test-deliveries")
                .then().statusCode(400).body("details.path", hasItem("url"))
                .body("details.message", hasItem(containsString("username and password")))
                .body(not(containsString("s3cr3t")));
    }
}
