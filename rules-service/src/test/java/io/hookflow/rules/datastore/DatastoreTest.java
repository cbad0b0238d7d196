package io.hookflow.rules.datastore;

import static io.hookflow.rules.support.Events.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.auth.Tokens;
import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The datastore's API and the view templates read, against the real database. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class DatastoreTest {

    @Inject
    Datastore datastore;

    @Inject
    EntityManager em;

    @Inject
    SecretCipher cipher;

    static String name() {
        return "k_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void shouldSetReadListReplaceAndDeleteASystemKey() {
        String name = name();
        api().body("{\"value\": \"https://chat.example/hook\"}").put("/api/v1/keys/" + name)
                .then().statusCode(200).body("name", equalTo(name)).body("value", equalTo("https://chat.example/hook"))
                .body("scope", equalTo("system")).body("secret", equalTo(false)).body("user", nullValue());
        api().get("/api/v1/keys/" + name).then().statusCode(200).body("value", equalTo("https://chat.example/hook"));
        api().queryParam("prefix", name).get("/api/v1/keys").then().statusCode(200).body("name", containsInAnyOrder(name));
        assertEquals("https://chat.example/hook", datastore.find("default", Scope.SYSTEM, "", name).orElseThrow().value());

        api().body("{\"value\": \"replaced\"}").put("/api/v1/keys/" + name).then().statusCode(200);
        assertEquals("replaced", datastore.find("default", Scope.SYSTEM, "", name).orElseThrow().value());

        api().delete("/api/v1/keys/" + name).then().statusCode(204);
        api().get("/api/v1/keys/" + name).then().statusCode(404).body("error", equalTo("not_found"));
        api().delete("/api/v1/keys/" + name).then().statusCode(404);
        assertTrue(datastore.find("default", Scope.SYSTEM, "", name).isEmpty());
    }

    @Test
    void shouldKeepASecretEncryptedAtRestAndMaskedInEveryAnswer() {
        String name = name();
        api().body("{\"value\": \"s3cr3t-password\", \"secret\": true}").put("/api/v1/keys/" + name)
                .then().statusCode(200).body("value", equalTo(KeyValueView.MASK)).body("secret", equalTo(true));
        api().get("/api/v1/keys/" + name).then().body("value", equalTo(KeyValueView.MASK));
        api().queryParam("prefix", name).get("/api/v1/keys").then().body("value", containsInAnyOrder(KeyValueView.MASK));

        String stored = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select value from {h-schema}key_value where name = ?1").setParameter(1, name).getSingleResult());
        assertTrue(SecretCipher.isEncrypted(stored), stored);
        assertEquals("s3cr3t-password", cipher.decrypt(stored));
        Datastore.Entry entry = datastore.find("default", Scope.SYSTEM, "", name).orElseThrow();
        assertTrue(entry.secret());
        assertEquals(stored, entry.value());
    }

    @Test
    void shouldKeepUserKeysToTheirUser() {
        String name = name();
        api().body("{\"value\": \"mine\", \"scope\": \"user\"}").put("/api/v1/keys/" + name)
                .then().statusCode(200).body("scope", equalTo("user")).body("user", equalTo("bootstrap"));
        api().body("{\"value\": \"stanley's\", \"scope\": \"st2kv.user\", \"user\": \"stanley\"}").put("/api/v1/keys/" + name)
                .then().statusCode(200).body("user", equalTo("stanley"));

        api().queryParam("scope", "user").get("/api/v1/keys/" + name).then().body("value", equalTo("mine"));
        api().queryParam("scope", "user").queryParam("user", "stanley").get("/api/v1/keys/" + name)
                .then().body("value", equalTo("stanley's"));
        api().get("/api/v1/keys/" + name).then().statusCode(404); // no system key of that name
        api().queryParam("scope", "system").queryParam("prefix", name).get("/api/v1/keys").then().body("$", empty());
        assertEquals("stanley's", datastore.find("default", Scope.USER, "stanley", name).orElseThrow().value());
        assertTrue(datastore.find("default", Scope.SYSTEM, "", name).isEmpty());
    }

    @Test
    void shouldForgetAKeyOnceItsTtlExpires() {
        String name = name();
        api().body("{\"value\": \"short-lived\", \"ttl\": 1}").put("/api/v1/keys/" + name)
                .then().statusCode(200).body("expiresAt", notNullValue());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            api().get("/api/v1/keys/" + name).then().statusCode(404);
            assertTrue(datastore.find("default", Scope.SYSTEM, "", name).isEmpty());
        });
        api().queryParam("prefix", name).get("/api/v1/keys").then().body("$", empty());
    }

    @Test
    void shouldShowAndChangeNothingOfAnOrganisationsKeysForAnother() {
        String name = name();
        api().body("{\"value\": \"default's\"}").put("/api/v1/keys/" + name).then().statusCode(200);
        String otherOrg = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String tokenKey = ConfigProvider.getConfig().getValue("hookflow.auth.token-key", String.class);
        String token = new Tokens(Optional.of(tokenKey)).issue(otherOrg, "tenancy-test", Instant.now().plusSeconds(600));
        RequestSpecification other = given().header("X-Auth-Token", token).contentType("application/json");

        other.get("/api/v1/keys/" + name).then().statusCode(404);
        other.get("/api/v1/keys").then().statusCode(200).body("name", not(hasItem(name)));
        other.delete("/api/v1/keys/" + name).then().statusCode(404);
        other.body("{\"value\": \"theirs\"}").put("/api/v1/keys/" + name).then().statusCode(200);

        api().get("/api/v1/keys/" + name).then().statusCode(200).body("value", equalTo("default's"));
        assertEquals("theirs", datastore.find(otherOrg, Scope.SYSTEM, "", name).orElseThrow().value());
        assertEquals("default's", datastore.find("default", Scope.SYSTEM, "", name).orElseThrow().value());
    }

    @Test
    void shouldRefuseBadInputNamingTheFieldAtFault() {
        String name = name();
        api().body("{}").put("/api/v1/keys/" + name).then().statusCode(400).body("details.path", hasItem("value"));
        api().body("{\"value\": 42}").put("/api/v1/keys/" + name).then().statusCode(400).body("details.path", hasItem("value"));
        api().body("{\"value\": \"x\", \"scope\": \"global\"}").put("/api/v1/keys/" + name)
                .then().statusCode(400).body("details.path", hasItem("scope"));
        api().body("{\"value\": \"x\", \"ttl\": 0}").put("/api/v1/keys/" + name)
                .then().statusCode(400).body("details.path", hasItem("ttl"));
        api().body("{\"value\": \"x\", \"user\": \"stanley\"}").put("/api/v1/keys/" + name)
                .then().statusCode(400).body("details.path", hasItem("user"));
        api().body("{\"value\": \"x\", \"secret\": \"yes\"}").put("/api/v1/keys/" + name)
                .then().statusCode(400).body("details.path", hasItem("secret"));
        api().body("{\"value\": \"x\"}").put("/api/v1/keys/a%20b").then().statusCode(400).body("details.path", hasItem("name"));
        api().body("[1]").put("/api/v1/keys/" + name).then().statusCode(400).body("error", notNullValue());
        api().queryParam("scope", "everything").get("/api/v1/keys").then().statusCode(400)
                .body("details.path", hasItem("scope"));
        api().body("{\"value\": \"" + "x".repeat(65_537) + "\"}").put("/api/v1/keys/" + name)
                .then().statusCode(400).body("details.path", hasItem("value"));
        api().get("/api/v1/keys/" + name).then().statusCode(404);
    }

    @Test
    void shouldSeeAChangeAnotherReplicaCommittedWithinTheFreshnessInterval() {
        String name = name();
        api().body("{\"value\": \"before\"}").put("/api/v1/keys/" + name).then().statusCode(200);
        assertEquals("before", datastore.find("default", Scope.SYSTEM, "", name).orElseThrow().value());
        // Another replica's write: the row and the revision change in the database, not through this replica.
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update {h-schema}key_value_revision set revision = revision + 1 where id = 1").executeUpdate();
            em.createNativeQuery("update {h-schema}key_value set value = 'after' where name = ?1").setParameter(1, name).executeUpdate();
        });
        await().atMost(Duration.ofSeconds(10)).until(
                () -> datastore.find("default", Scope.SYSTEM, "", name).orElseThrow().value().equals("after"));
    }

}
