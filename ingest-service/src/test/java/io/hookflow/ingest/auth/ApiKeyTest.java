package io.hookflow.ingest.auth;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.ApiKeyChange;
import io.hookflow.common.auth.ApiKeyRegistry;
import io.hookflow.common.event.Topics;
import io.hookflow.ingest.Api;
import io.hookflow.ingest.Broker;
import static io.hookflow.ingest.Api.BOOTSTRAP;
import static io.hookflow.ingest.Api.as;
import io.hookflow.ingest.TriggerTopic;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** API keys against the real database and broker: shown once, stored and published only as digests, enforced. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ApiKeyTest {

    @Test
    void shouldCreateAKeyShownOnceThatAuthenticatesAndIsListedMasked() {
        var created = as(BOOTSTRAP).body(Map.of("name", "ci")).post("/api/v1/apikeys")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("key", startsWith("hfk_"))
                .body("orgId", equalTo("default"))
                .body("name", equalTo("ci"))
                .body("enabled", equalTo(true))
                .body("createdOn", notNullValue())
                .body("createdById", equalTo("bootstrap"))
                .extract();
        String id = created.path("id");
        String key = created.path("key");
        assertTrue(key.length() >= 4 + 43, "32 random bytes in base64url: " + key);

        as(key).get("/api/v1/webhooks").then().statusCode(200);
        as(BOOTSTRAP).get("/api/v1/apikeys/" + id).then().statusCode(200)
                .body("key", nullValue()).body("masked", equalTo(key.substring(0, 8) + "********"));
        String listing = as(key).get("/api/v1/apikeys").then().statusCode(200).body("id", hasItem(id)).extract().asString();
        assertFalse(listing.contains(key), "the key is shown only once");
        // Created with a key, a webhook names that key as its creator.
        as(key).post("/api/v1/webhooks").then().statusCode(201).body("createdById", equalTo("apikey:" + id));
    }

    @Test
    void shouldRefuseADisabledKeyUntilItIsEnabledAgain() {
        Map<String, String> created = Api.createKey(BOOTSTRAP, Map.of());
        String key = created.get("key");
        as(BOOTSTRAP).body(Map.of("enabled", false)).put("/api/v1/apikeys/" + created.get("id"))
                .then().statusCode(200).body("enabled", equalTo(false));
        as(key).get("/api/v1/webhooks").then().statusCode(401).body("error", equalTo("unauthorized"));
        as(BOOTSTRAP).body(Map.of("enabled", true)).put("/api/v1/apikeys/" + created.get("id"))
                .then().statusCode(200).body("enabled", equalTo(true));
        as(key).get("/api/v1/webhooks").then().statusCode(200);
        as(BOOTSTRAP).body(Map.of("enabled", "no")).put("/api/v1/apikeys/" + created.get("id"))
                .then().statusCode(400).body("details[0].path", equalTo("enabled"));
    }

    @Test
    void shouldRefuseADeletedKeyAndAnswer404ForIt() {
        Map<String, String> created = Api.createKey(BOOTSTRAP, Map.of("name", "short-lived"));
        as(BOOTSTRAP).delete("/api/v1/apikeys/" + created.get("id")).then().statusCode(204);
        as(created.get("key")).get("/api/v1/webhooks").then().statusCode(401);
        as(BOOTSTRAP).get("/api/v1/apikeys/" + created.get("id")).then().statusCode(404).body("error", equalTo("not_found"));
        as(BOOTSTRAP).delete("/api/v1/apikeys/" + created.get("id")).then().statusCode(404);
        as(BOOTSTRAP).get("/api/v1/apikeys/not-a-uuid").then().statusCode(404);
    }

    @Test
    void shouldPublishEachChangeAsADigestAndADeleteAsATombstone() throws Exception {
        Map<String, String> created = Api.createKey(BOOTSTRAP, Map.of());
        String id = created.get("id");
        as(BOOTSTRAP).body(Map.of("enabled", false)).put("/api/v1/apikeys/" + id).then().statusCode(200);
        as(BOOTSTRAP).delete("/api/v1/apikeys/" + id).then().statusCode(204);

        List<ConsumerRecord<String, String>> records = TopicReader
                .readAll(KafkaTestResource.broker().bootstrapServers(), Topics.API_KEYS).stream()
                .filter(record -> id.equals(record.key())).toList();
        assertEquals(3, records.size(), records.toString());
        JsonNode first = TriggerTopic.JSON_READER.readTree(records.get(0).value());
        assertEquals(ApiKeyRegistry.digest(created.get("key")), first.get("digest").asText());
        assertEquals("default", first.get("orgId").asText());
        assertTrue(first.get("enabled").asBoolean());
        JsonNode second = TriggerTopic.JSON_READER.readTree(records.get(1).value());
        assertFalse(second.get("enabled").asBoolean());
        assertTrue(second.get("revision").asLong() > first.get("revision").asLong());
        assertNull(records.get(2).value(), "a delete is a tombstone");
        records.forEach(record -> assertFalse(String.valueOf(record.value()).contains(created.get("key"))));
    }

    @Test
    void shouldAcceptAKeyPublishedByAnotherReplicaWithinSeconds() {
        String key = "hfk_" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        as(key).get("/api/v1/webhooks").then().statusCode(401);
        Broker.publish(new ApiKeyChange(ApiKeyChange.VERSION, id, "elsewhere", ApiKeyRegistry.digest(key), true, 1));
        await().atMost(Api.PROPAGATION).untilAsserted(() ->
                as(key).get("/api/v1/apikeys").then().statusCode(200));
        Broker.send(Topics.API_KEYS, id, null);
        await().atMost(Api.PROPAGATION).untilAsserted(() ->
                as(key).get("/api/v1/apikeys").then().statusCode(401));
    }

    @Test
    void shouldLetOnlyTheBootstrapKeyCreateKeysForAnotherOrganisation() {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> tenant = Api.createKey(BOOTSTRAP, Map.of("name", "admin", "orgId", org));
        assertEquals(org, tenant.get("orgId"));
        // The tenant's own keys belong to the tenant, whether or not it names its organisation.
        assertEquals(org, Api.createKey(tenant.get("key"), Map.of()).get("orgId"));
        assertEquals(org, Api.createKey(tenant.get("key"), Map.of("orgId", org)).get("orgId"));
        as(tenant.get("key")).body(Map.of("orgId", "default")).post("/api/v1/apikeys")
                .then().statusCode(403).body("error", equalTo("forbidden"));
        as(BOOTSTRAP).body(Map.of("orgId", "bad org!")).post("/api/v1/apikeys")
                .then().statusCode(400).body("details[0].path", equalTo("orgId"));
        as(BOOTSTRAP).body(Map.of("name", 5)).post("/api/v1/apikeys")
                .then().statusCode(400).body("details[0].path", equalTo("name"));
    }

    @Test
    void shouldKeepEachOrganisationsKeysInvisibleToTheOther() {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> tenant = Api.createKey(BOOTSTRAP, Map.of("orgId", org));
        Map<String, String> ownKey = Api.createKey(BOOTSTRAP, Map.of("name", "default's"));

        as(tenant.get("key")).get("/api/v1/apikeys").then().statusCode(200)
                .body("id", hasItem(tenant.get("id"))).body("id", not(hasItem(ownKey.get("id"))));
        as(tenant.get("key")).get("/api/v1/apikeys/" + ownKey.get("id")).then().statusCode(404);
        as(tenant.get("key")).body(Map.of("enabled", false)).put("/api/v1/apikeys/" + ownKey.get("id")).then().statusCode(404);
        as(tenant.get("key")).delete("/api/v1/apikeys/" + ownKey.get("id")).then().statusCode(404);
        as(BOOTSTRAP).get("/api/v1/apikeys").then().body("id", not(hasItem(tenant.get("id"))));
        as(ownKey.get("key")).get("/api/v1/webhooks").then().statusCode(200);
    }
}
