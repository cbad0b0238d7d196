package io.hookflow.ingest.webhook;

import static io.hookflow.ingest.Api.BOOTSTRAP;
import static io.hookflow.ingest.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.ingest.TriggerTopic;
import io.hookflow.ingest.audit.Audit;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks by id against the real database and broker: CRUD, tenancy, path resolution and what is dispatched. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class WebhookByIdTest {

    @Inject
    WebhookRepository repository;

    TriggerTopic topic;

    @BeforeEach
    void openTopic() {
        topic = TriggerTopic.atEnd();
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    static String create(Object body) {
        return as(BOOTSTRAP).body(body).post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
    }

    @Test
    void shouldCreateReadAndDeleteAWebhookWithItsSecretMasked() {
        String id = as(BOOTSTRAP).body(Map.of("name", "github", "description", "pushes", "secret", "s3cret-value"))
                .post("/api/v1/webhooks")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/webhooks/"))
                .body("id", notNullValue())
                .body("orgId", equalTo("default"))
                .body("name", equalTo("github"))
                .body("secret", equalTo("********"))
                .body("trigger", notNullValue())
                .body("createdOn", notNullValue())
                .body("updatedOn", notNullValue())
                .body("createdById", equalTo("bootstrap"))
                .body("updatedById", equalTo("bootstrap"))
                .extract().path("id");

        as(BOOTSTRAP).get("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("trigger", equalTo("webhookId:" + id))
                .body("url", equalTo("/api/v1/trigger-webhooks/" + id))
                .body("secret", equalTo("********"))
                .body("description", equalTo("pushes"));
        as(BOOTSTRAP).get("/api/v1/webhooks").then().statusCode(200)
                .body("[0].kind", equalTo("st2"))
                .body("id", hasItem(id));

        as(BOOTSTRAP).delete("/api/v1/webhooks/" + id).then().statusCode(204);
        as(BOOTSTRAP).get("/api/v1/webhooks/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        as(BOOTSTRAP).delete("/api/v1/webhooks/" + id).then().statusCode(404);
        as(BOOTSTRAP).get("/api/v1/webhooks").then().body("id", not(hasItem(id)));
    }

    @Test
    void shouldCreateAWebhookWithoutABodyOrSecret() {
        given().header("St2-Api-Key", BOOTSTRAP).post("/api/v1/webhooks")
                .then().statusCode(201).body("secret", nullValue()).body("name", nullValue());
    }

    @Test
    void shouldRefuseUnusableSecretsNamingTheField() {
        as(BOOTSTRAP).body(Map.of("secret", "short")).post("/api/v1/webhooks")
                .then().statusCode(400).body("error", equalTo("validation_failed")).body("details[0].path", equalTo("secret"));
        as(BOOTSTRAP).body(Map.of("secret", "whsec_not base64!")).post("/api/v1/webhooks")
                .then().statusCode(400).body("details[0].message", containsString("base64"));
        as(BOOTSTRAP).body(Map.of("secret", 42)).post("/api/v1/webhooks")
                .then().statusCode(400).body("details[0].path", equalTo("secret"))
                .body("details[0].message", equalTo("must be a string"));
        as(BOOTSTRAP).body(Map.of("name", "a\u0000b")).post("/api/v1/webhooks")
                .then().statusCode(400).body("details[0].path", equalTo("name"));
    }

    @Test
    void shouldDispatchTheBodyAndLowerCasedHeadersWithoutCredentials() throws Exception {
        String id = create(Map.of("name", "ci"));
        String instance = given().header("St2-Api-Key", BOOTSTRAP).queryParam("x-auth-token", "tok")
                .header("X-GitHub-Event", "push").header("Authorization", "Bearer abc").header("Cookie", "session=1")
                .header("X-Auth-Token", "tok").contentType("application/json")
                .body(Map.of("ref", "refs/heads/main", "commits", java.util.List.of(Map.of("id", "c1"))))
                .post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(202).body("trigger", equalTo("webhookId:" + id))
                .extract().path("id");

        var record = topic.next();
        JsonNode event = TriggerTopic.JSON_READER.readTree(record.value());
        assertEquals(instance, record.key(), "keyed by trigger instance, so one busy webhook spreads over partitions");
        assertEquals(instance, event.get("id").asText());
        assertEquals("default", event.get("orgId").asText());
        JsonNode payload = event.get("payload");
        assertEquals("refs/heads/main", payload.path("body").path("ref").asText());
        assertEquals("c1", payload.path("body").path("commits").path(0).path("id").asText());
        JsonNode headers = payload.get("headers");
        assertEquals("push", headers.path("x-github-event").asText());
        for (String credential : new String[] {"st2-api-key", "authorization", "cookie", "x-auth-token"}) {
            assertFalse(headers.has(credential), credential + " travelled downstream: " + headers);
        }
        assertFalse(payload.toString().contains("tok"), "an auth query parameter travelled downstream");
    }

    @Test
    void shouldDispatchAFormBodyAsAnObject() throws Exception {
        String id = create(Map.of());
        WebhookBodyRulesTest.form().header("St2-Api-Key", BOOTSTRAP).body("tag=a&tag=b&who=me")
                .post("/api/v1/trigger-webhooks/" + id).then().statusCode(202);
        JsonNode body = TriggerTopic.JSON_READER.readTree(topic.next().value()).path("payload").path("body");
        assertEquals("{\"tag\":[\"a\",\"b\"],\"who\":\"me\"}", body.toString());
    }

    @Test
    void shouldAnswer404ForAnotherOrganisationsWebhookAndPublishNothing() {
        Webhook foreign = new Webhook();
        foreign.id = UUID.randomUUID();
        foreign.orgId = "another-org";
        foreign.audit = Audit.createdBy("someone");
        QuarkusTransaction.requiringNew().run(() -> repository.persist(foreign));

        as(BOOTSTRAP).get("/api/v1/webhooks/" + foreign.id).then().statusCode(404);
        as(BOOTSTRAP).delete("/api/v1/webhooks/" + foreign.id).then().statusCode(404);
        as(BOOTSTRAP).body(Map.of("k", "v")).post("/api/v1/trigger-webhooks/" + foreign.id).then().statusCode(404);
        as(BOOTSTRAP).get("/api/v1/webhooks").then().body("id", not(hasItem(foreign.id.toString())));
        assertNothingPublished();
    }

    @Test
    void shouldResolveEachOverlappingWebhookPathToItsOwnRoute() {
        String id = create(Map.of());
        // POST st2 is the generic webhook, not a url or an id.
        as(BOOTSTRAP).body(Map.of("payload", Map.of())).post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("details[0].path", equalTo("trigger"));
        // POST to an id or any other url is a (so far unregistered) custom url, nested ones included.
        as(BOOTSTRAP).body(Map.of()).post("/api/v1/webhooks/" + id).then().statusCode(404)
                .body("message", containsString("url"));
        as(BOOTSTRAP).body(Map.of()).post("/api/v1/webhooks/github/push").then().statusCode(404)
                .body("message", containsString("'github/push'"));
        // GET and DELETE of one segment are the webhook by id.
        as(BOOTSTRAP).get("/api/v1/webhooks/" + id).then().statusCode(200).body("id", equalTo(id));
        as(BOOTSTRAP).get("/api/v1/webhooks/not-a-uuid").then().statusCode(404).body("error", equalTo("not_found"));
        // The same under the StackStorm alias.
        as(BOOTSTRAP).get("/v1/webhooks/" + id).then().statusCode(200).body("id", equalTo(id));
        as(BOOTSTRAP).body(Map.of("k", 1)).post("/v1/trigger-webhooks/" + id).then().statusCode(202);
        assertEquals("webhookId:" + id, TriggerTopic.trigger(topic.next()));
        as(BOOTSTRAP).delete("/v1/webhooks/" + id).then().statusCode(204);
        as(BOOTSTRAP).body(Map.of("k", 1)).post("/api/v1/trigger-webhooks/" + id).then().statusCode(404);
        assertNothingPublished();
    }

    private void assertNothingPublished() {
        String marker = TriggerTopic.marker();
        as(BOOTSTRAP).body(Map.of("trigger", marker, "payload", Map.of())).post("/api/v1/webhooks/st2")
                .then().statusCode(202);
        topic.assertOnlyMarkerSince(marker);
    }
}
