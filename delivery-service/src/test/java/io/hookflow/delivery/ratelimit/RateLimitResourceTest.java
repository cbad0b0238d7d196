package io.hookflow.delivery.ratelimit;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Setting, showing and removing a destination's rate limit, and every refusal a 4xx with the one error body. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RateLimitResourceTest {

    private static String path(String destination) {
        return "/api/v1/destinations/" + destination + "/rate-limit";
    }

    private static String fresh() {
        return "limits-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com:443";
    }

    @Test
    void shouldSetShowAndRemoveADestinationsLimit() {
        String destination = fresh();
        api().get(path(destination)).then().statusCode(404).body("error", equalTo("not_found"));
        api().contentType("application/json").body("{\"perSecond\": 10, \"burst\": 20}")
                .put(path(destination.toUpperCase())).then().statusCode(200)
                .body("destination", equalTo(destination))
                .body("perSecond", equalTo(10.0f))
                .body("burst", equalTo(20))
                .body("currentPerSecond", equalTo(10.0f))
                .body("pausedUntil", nullValue())
                .body("tokens", equalTo(20.0f));
        api().contentType("application/json").body("{\"perSecond\": 2.5}").put(path(destination)).then()
                .statusCode(200).body("perSecond", equalTo(2.5f)).body("burst", equalTo(3));
        api().get(path(destination)).then().statusCode(200).body("perSecond", equalTo(2.5f));
        api().delete(path(destination)).then().statusCode(204);
        api().get(path(destination)).then().statusCode(404);
        api().delete(path(destination)).then().statusCode(404).body("error", equalTo("not_found"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"perSecond\": 0}", "{\"perSecond\": -1}", "{\"perSecond\": 10001}",
            "{\"perSecond\": \"ten\"}", "{\"perSecond\": null}", "{\"perSecond\": 10, \"burst\": 0}",
            "{\"perSecond\": 10, \"burst\": 1.5}", "{\"perSecond\": 10, \"burst\": 10001}",
            "{\"perSecond\": 10, \"burst\": \"many\"}", "{\"perSecond\": 10, \"rate\": 3}", "[10]", "10", "null"})
    void shouldRefuseALimitThatIsNotOne(String body) {
        String destination = fresh();
        api().contentType("application/json").body(body).put(path(destination)).then().statusCode(400)
                .body("error", org.hamcrest.Matchers.anyOf(equalTo("validation_failed"), equalTo("bad_request")))
                .body("message", org.hamcrest.Matchers.notNullValue());
        api().get(path(destination)).then().statusCode(404);
    }

    @Test
    void shouldNameEveryProblemOfALimit() {
        api().contentType("application/json").body("{\"perSecond\": 0, \"burst\": 0, \"rate\": 1}").put(path(fresh()))
                .then().statusCode(400).body("error", equalTo("validation_failed"))
                .body("details.path", hasItem("perSecond")).body("details.path", hasItem("burst"))
                .body("details.path", hasItem("rate"));
    }

    @Test
    void shouldRefuseMalformedJsonAndOtherMediaTypes() {
        api().contentType("application/json").body("{\"perSecond\": ").put(path(fresh())).then().statusCode(400)
                .body("error", org.hamcrest.Matchers.notNullValue());
        api().contentType("text/plain").body("perSecond=10").put(path(fresh())).then().statusCode(415);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-port.example.com", "example.com:0", "example.com:70000", "example.com:https",
            "exa mple.com:443", ":443"})
    void shouldRefuseADestinationThatIsNotHostAndPort(String destination) {
        api().contentType("application/json").body("{\"perSecond\": 10}").put(path(destination)).then().statusCode(400)
                .body("error", equalTo("validation_failed")).body("details[0].path", equalTo("destination"));
        api().get(path(destination)).then().statusCode(400);
        api().delete(path(destination)).then().statusCode(400);
    }

    @Test
    void shouldRequireAnApiKey() {
        given().get(path(fresh())).then().statusCode(401);
    }
}
