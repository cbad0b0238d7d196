package io.hookflow.ingest;

import static io.hookflow.ingest.Api.BOOTSTRAP;
import static io.hookflow.ingest.Api.as;
import static io.hookflow.ingest.Api.createKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two organisations with their own keys and tokens: each fires and sees only its own webhooks; the other's answer 404
 * and stay out of listings, and every event carries the organisation of the caller that fired it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class TenancyTest {

    @Test
    void shouldKeepEachOrganisationsWebhooksInvisibleToTheOther() throws Exception {
        String acme = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        String acmeKey = createKey(BOOTSTRAP, Map.of("orgId", acme)).get("key");
        String acmeToken = as(acmeKey).post("/api/v1/auth/tokens").then().statusCode(201).extract().path("token");
        String otherKey = createKey(BOOTSTRAP, Map.of()).get("key");

        String acmeHook = given().header("X-Auth-Token", acmeToken).post("/api/v1/webhooks")
                .then().statusCode(201).body("orgId", equalTo(acme)).extract().path("id");
        String ownHook = as(otherKey).post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        String acmeUrl = "acme-only-" + UUID.randomUUID().toString().substring(0, 8);
        Broker.publishRule(UUID.randomUUID().toString(), acme, "acme.rule", true, acmeUrl, 1);

        try (TriggerTopic topic = TriggerTopic.atEnd(() -> as(otherKey)
                .body(Map.of("trigger", "test.warmup", "payload", Map.of())).post("/api/v1/webhooks/st2"))) {
            // The default organisation's key cannot see, delete or fire acme's webhooks.
            as(otherKey).get("/api/v1/webhooks/" + acmeHook).then().statusCode(404);
            as(otherKey).delete("/api/v1/webhooks/" + acmeHook).then().statusCode(404);
            as(otherKey).body(Map.of()).post("/api/v1/trigger-webhooks/" + acmeHook).then().statusCode(404);
            as(otherKey).get("/api/v1/webhooks").then().statusCode(200)
                    .body("id", not(hasItem(acmeHook))).body("id", hasItem(ownHook)).body("name", not(hasItem(acmeUrl)));
            // Nor can acme see the default organisation's.
            given().header("X-Auth-Token", acmeToken).get("/api/v1/webhooks/" + ownHook).then().statusCode(404);
            given().header("X-Auth-Token", acmeToken).get("/api/v1/webhooks").then()
                    .body("id", not(hasItem(ownHook))).body("id", hasItem(acmeHook));

            // acme's url answers acme, within seconds, and no one else.
            org.awaitility.Awaitility.await().atMost(Api.PROPAGATION).untilAsserted(() ->
                    given().header("X-Auth-Token", acmeToken).contentType("application/json").body(Map.of("n", 1))
                            .post("/api/v1/webhooks/" + acmeUrl).then().statusCode(202));
            assertEquals(acme, topic.nextEvent().path("orgId").asText());
            as(otherKey).body(Map.of()).post("/api/v1/webhooks/" + acmeUrl).then().statusCode(404);

            // Events carry the firing caller's organisation.
            given().queryParam("x-auth-token", acmeToken).contentType("application/json")
                    .body(Map.of("trigger", "acme.t", "payload", Map.of())).post("/api/v1/webhooks/st2").then().statusCode(202);
            assertEquals(acme, topic.nextEvent().path("orgId").asText());
            as(acmeKey).body(Map.of()).post("/api/v1/trigger-webhooks/" + acmeHook).then().statusCode(202);
            assertEquals(acme, topic.nextEvent().path("orgId").asText());
            as(otherKey).body(Map.of("trigger", "default.t", "payload", Map.of())).post("/api/v1/webhooks/st2")
                    .then().statusCode(202);
            assertEquals("default", topic.nextEvent().path("orgId").asText());
        }
    }
}
