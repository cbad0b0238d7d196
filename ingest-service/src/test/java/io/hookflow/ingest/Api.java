package io.hookflow.ingest;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;

/** REST calls the tests share: as a given key, and creating keys. */
public final class Api {

    public static final String BOOTSTRAP = "test-bootstrap-key";
    /**
     * How long a change on a compacted topic (rule-changes, api-keys) may take to reach the service. It takes well
     * under a second (the readers poll every few hundred milliseconds); the deadline only stops a test whose change
     * never arrives, so it is generous: a 2-core machine shared by other builds can stall a JVM for seconds (GC,
     * scheduling), and a tight deadline would then fail a correct service.
     */
    public static final Duration PROPAGATION = Duration.ofSeconds(30);

    private Api() {
    }

    public static RequestSpecification as(String key) {
        return given().header("St2-Api-Key", key).contentType("application/json");
    }

    /** Creates an API key with the creator's key and the body; answers its id, key and orgId. */
    public static Map<String, String> createKey(String creator, Object body) {
        var response = as(creator).body(body).post("/api/v1/apikeys").then().statusCode(201).extract();
        return Map.of("id", response.path("id"), "key", response.path("key"), "orgId", response.path("orgId"));
    }
}
