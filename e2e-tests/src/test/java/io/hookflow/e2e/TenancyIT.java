package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Organisations across all three services: a key created at ingest for another organisation works on rules- and
 * delivery-service too (they learn it from the api-keys topic), so do tokens issued for it, and neither organisation
 * sees or fires the other's rules, webhooks, trigger instances or executions: they answer 404.
 */
@ExtendWith(HookflowSystem.class)
class TenancyIT {

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldKeepEachOrganisationsResourcesInvisibleToTheOther() {
        String acmeKey = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"name\": \"acme admin\", \"orgId\": \"acme\"}")
                .post("/api/v1/apikeys")
                .then().statusCode(201).body("orgId", equalTo("acme"))
                .extract().path("key");

        // Every service learns the new key from the api-keys topic, within a poll; 30 s only bounds a lost change on a
        // loaded 2-core machine.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().baseUri(system.rulesUrl()).header("St2-Api-Key", acmeKey).get("/api/v1/rules").then().statusCode(200);
            given().baseUri(system.deliveryUrl()).header("St2-Api-Key", acmeKey).get("/api/v1/executions").then().statusCode(200);
        });
        String acmeToken = given().baseUri(system.ingestUrl()).header("St2-Api-Key", acmeKey)
                .post("/api/v1/auth/tokens")
                .then().statusCode(201).body("orgId", equalTo("acme"))
                .extract().path("token");

        String rule = """
                {"name": "acme_only", "pack": "e2e_tenancy", "enabled": true,
                 "trigger": {"type": "e2e.tenancy"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST", "body": "{{ trigger.n }}"}}}
                """.formatted(system.sink().url("/tenancy/acme"));
        given().baseUri(system.rulesUrl()).header("X-Auth-Token", acmeToken).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);

        // The default organisation firing the same trigger type matches nothing of acme's.
        String defaultInstance = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY)
                .contentType("application/json").body("{\"trigger\": \"e2e.tenancy\", \"payload\": {\"n\": \"default\"}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202).extract().path("id");
        String triggerInstance = given().baseUri(system.ingestUrl()).queryParam("x-auth-token", acmeToken)
                .contentType("application/json").body("{\"trigger\": \"e2e.tenancy\", \"payload\": {\"n\": \"acme\"}}")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202).extract().path("id");

        // Both instances as rules-service recorded them once it had matched them, each in its own organisation: no
        // waiting on time, the records say what matched.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/triggerinstances/" + defaultInstance)
                        .then().statusCode(200).body("status", equalTo("no_rule_matched")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().baseUri(system.rulesUrl()).header("X-Auth-Token", acmeToken).get("/api/v1/triggerinstances/" + triggerInstance)
                        .then().statusCode(200).body("status", equalTo("processed")));
        given().baseUri(system.rulesUrl()).header("X-Auth-Token", acmeToken)
                .queryParam("rule", "e2e_tenancy.acme_only").get("/api/v1/ruleenforcements")
                .then().statusCode(200).body("items.triggerInstanceId", contains(triggerInstance));
        // Nothing left to do for either, so the counts below would include a late, wrongly matched delivery.
        system.awaitQuiet(List.of(defaultInstance));
        system.awaitQuiet("X-Auth-Token", acmeToken, List.of(triggerInstance));
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .queryParam("triggerInstance", defaultInstance).get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(0));

        given().baseUri(system.deliveryUrl()).header("X-Auth-Token", acmeToken)
                .queryParam("triggerInstance", triggerInstance).get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].status", equalTo("SUCCEEDED"));
        String execution = given().baseUri(system.deliveryUrl()).header("X-Auth-Token", acmeToken)
                .queryParam("triggerInstance", triggerInstance).get("/api/v1/executions")
                .then().extract().path("items[0].id");

        // The default organisation sees none of it.
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/rules/e2e_tenancy.acme_only")
                .then().statusCode(404).body("error", equalTo("not_found"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/triggerinstances/" + triggerInstance)
                .then().statusCode(404);
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).get("/api/v1/executions/" + execution)
                .then().statusCode(404);
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).post("/api/v1/executions/" + execution + "/retry")
                .then().statusCode(404);
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).queryParam("triggerInstance", triggerInstance)
                .get("/api/v1/executions").then().statusCode(200).body("items", hasSize(0));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/rules")
                .then().statusCode(200).body("ref", not(hasItem("e2e_tenancy.acme_only")));

        // acme sees its own trigger instance, and only acme's webhook reached the target.
        given().baseUri(system.rulesUrl()).header("X-Auth-Token", acmeToken).get("/api/v1/triggerinstances/" + triggerInstance)
                .then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(List.of("acme"),
                system.sink().requestsTo("/tenancy/acme").stream().map(request -> request.body()).toList());
    }

    @Test
    void shouldRefuseAnUnknownKeyAndAForgedTokenOnEveryService() {
        for (String url : new String[] {system.ingestUrl() + "/api/v1/webhooks", system.rulesUrl() + "/api/v1/rules",
                system.deliveryUrl() + "/api/v1/executions"}) {
            given().header("St2-Api-Key", "not-a-key").get(url).then().statusCode(401).body("error", equalTo("unauthorized"));
            given().header("X-Auth-Token", "hft1.forged.token").get(url).then().statusCode(401);
        }
    }

    @Test
    void shouldRefuseATokenRevokedAtIngestOnEveryService() {
        String token = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).post("/api/v1/auth/tokens")
                .then().statusCode(201).extract().path("token");
        String[] urls = {system.ingestUrl() + "/api/v1/webhooks", system.rulesUrl() + "/api/v1/rules",
                system.deliveryUrl() + "/api/v1/executions"};
        for (String url : urls) {
            given().header("X-Auth-Token", token).get(url).then().statusCode(200);
        }

        given().baseUri(system.ingestUrl()).header("X-Auth-Token", token).contentType("application/json")
                .body("{\"token\": \"" + token + "\"}").post("/api/v1/auth/tokens/revoke").then().statusCode(204);

        // The other services learn it from token-revocations, within their reader's poll.
        for (String url : urls) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().header("X-Auth-Token", token).get(url).then().statusCode(401)
                            .body("message", org.hamcrest.Matchers.containsString("revoked")));
        }
    }
}
