package io.hookflow.rules.datastore;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.createRule;
import static io.hookflow.rules.support.Events.newTriggerType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rules read the datastore as StackStorm's do ({@code st2kv.system.x}, {@code st2kv.user.x}, {@code decrypt_kv}):
 * events in through the real broker, the rendered task out, and a secret never in the clear on the topic.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class DatastoreInTemplatesTest {

    @Inject
    SecretCipher cipher;

    @Test
    void shouldRenderDatastoreValuesAndCarrySecretsOnlySealed() throws Exception {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String token = "tok-" + UUID.randomUUID();
        String password = "pw-" + UUID.randomUUID();
        api().body("{\"value\": \"https://chat.example.com\"}").put("/api/v1/keys/" + prefix + ".base").then().statusCode(200);
        api().body("{\"value\": \"{\\\"channel\\\": \\\"#ops\\\"}\", \"scope\": \"user\", \"user\": \"stanley\"}")
                .put("/api/v1/keys/" + prefix + "_config").then().statusCode(200);
        api().body("{\"value\": \"" + token + "\", \"secret\": true}").put("/api/v1/keys/" + prefix + "_token")
                .then().statusCode(200);
        api().body("{\"value\": \"" + password + "\", \"secret\": true}").put("/api/v1/keys/" + prefix + "_password")
                .then().statusCode(200);
        String trigger = newTriggerType();
        createRule(trigger, "{}", """
                {"url": "{{ st2kv.system.%1$s.base }}/hooks/{{ trigger.room }}",
                 "headers": {"Authorization": "Bearer {{ st2kv.system.%1$s_token | decrypt_kv }}"},
                 "body": {"channel": "{{ (st2kv.user.%1$s_config | from_json_string).channel }}", "text": "{{ trigger.text }}"},
                 "username": "bot", "password": "{{ st2kv.system.%1$s_password | decrypt_kv }}"}""".formatted(prefix));

        String instance = Events.publishSt2Event(trigger, "{\"room\": \"deploys\", \"text\": \"shipped\"}");

        await().atMost(Duration.ofSeconds(30)).until(() -> !Enforcement.tasksOf(Set.of(instance)).isEmpty());
        ActionTask task = Enforcement.tasksOf(Set.of(instance)).get(0);
        OutboundRequest request = task.request();
        assertEquals("https://chat.example.com/hooks/deploys", request.url());
        assertEquals(Events.JSON.readTree("{\"channel\": \"#ops\", \"text\": \"shipped\"}"), Events.JSON.readTree(request.body()));

        String authorization = request.headers().get("Authorization");
        assertTrue(authorization.startsWith("Bearer " + OutboundRequest.SEALED_PREFIX), authorization);
        String placeholder = authorization.substring("Bearer ".length());
        assertEquals(Set.of(placeholder), request.sealedValues().keySet());
        assertEquals(token, cipher.decrypt(request.sealedValues().get(placeholder)));
        assertEquals(password, cipher.decrypt(request.password()));
        String onTheTopic = Events.JSON.writeValueAsString(task);
        assertFalse(onTheTopic.contains(token) || onTheTopic.contains(password), onTheTopic);
    }

    @Test
    void shouldFailTheEnforcementWithAReasonWhenAKeyIsMissingOrNotASecret() {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        api().body("{\"value\": \"plain\"}").put("/api/v1/keys/" + prefix + "_plain").then().statusCode(200);
        String trigger = newTriggerType();
        String missing = createRule(trigger, "{}",
                "{\"url\": \"https://x.example.com/missing\", \"body\": \"{{ st2kv.system.%s_absent }}\"}".formatted(prefix));
        String notSecret = createRule(trigger, "{}",
                "{\"url\": \"https://x.example.com/plain\", \"body\": \"{{ st2kv.system.%s_plain | decrypt_kv }}\"}"
                        .formatted(prefix));
        String fine = createRule(trigger, "{}",
                "{\"url\": \"https://x.example.com/fine\", \"body\": \"{{ st2kv.system.%s_plain }}\"}".formatted(prefix));

        String instance = Events.publishSt2Event(trigger, "{}");

        await().atMost(Duration.ofSeconds(30)).until(() -> enforcements(instance).size() == 3);
        Map<String, Map<String, Object>> byRule = new java.util.HashMap<>();
        enforcements(instance).forEach(e -> byRule.put((String) e.get("ruleId"), e));
        assertEquals("failed", byRule.get(missing).get("status"));
        assertTrue(((String) byRule.get(missing).get("failureReason")).contains("not in the key-value datastore"),
                byRule.get(missing).toString());
        assertEquals("failed", byRule.get(notSecret).get("status"));
        assertTrue(((String) byRule.get(notSecret).get("failureReason")).contains("decrypt_kv"),
                byRule.get(notSecret).toString());
        assertEquals("plain", Enforcement.tasksOf(Set.of(instance)).stream()
                .filter(task -> task.ruleId().equals(fine)).findFirst().orElseThrow().request().body());
    }

    @Test
    void shouldReadOnlyTheRulesOwnOrganisationsKeys() {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String otherOrg = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String tokenKey = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("hookflow.auth.token-key", String.class);
        String token = new io.hookflow.common.auth.Tokens(java.util.Optional.of(tokenKey))
                .issue(otherOrg, "tenancy-test", java.time.Instant.now().plusSeconds(600));
        io.restassured.RestAssured.given().header("X-Auth-Token", token).contentType("application/json")
                .body("{\"value\": \"theirs\"}").put("/api/v1/keys/" + prefix + "_k").then().statusCode(200);
        String trigger = newTriggerType();
        String rule = createRule(trigger, "{}",
                "{\"url\": \"https://x.example.com/k\", \"body\": \"{{ st2kv.system.%s_k }}\"}".formatted(prefix));

        String instance = Events.publishSt2Event(trigger, "{}");

        await().atMost(Duration.ofSeconds(30)).until(() -> enforcements(instance).size() == 1);
        Map<String, Object> enforcement = enforcements(instance).get(0);
        assertEquals(rule, enforcement.get("ruleId"));
        assertEquals("failed", enforcement.get("status"), "the default organisation's rule must not see another's key");
    }

    private static List<Map<String, Object>> enforcements(String instance) {
        return api().queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements")
                .then().extract().jsonPath().getList("items");
    }
}
