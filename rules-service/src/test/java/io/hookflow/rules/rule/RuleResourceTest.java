package io.hookflow.rules.rule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules API against the real database. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleResourceTest {

    static final String KEY = "test-bootstrap-key";

    @Inject
    RuleRepository repository;

    @Inject
    RuleSecrets cipher;

    static RequestSpecification api() {
        return given().header("St2-Api-Key", KEY).contentType("application/json");
    }

    static String rule(String pack, String name) {
        return """
                {"name": "%s", "pack": "%s", "description": "notify CI",
                 "trigger": {"type": "mypack.mytrigger"},
                 "criteria": {"trigger.attribute1": {"type": "equals", "pattern": "value1"}},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "https://ci.example.com/build?branch={{ trigger.branch }}",
                     "username": "bot", "password": "pa55word", "secret": "signing-secret",
                     "body": {"branch": "{{ trigger.branch }}"}}}}
                """.formatted(name, pack);
    }

    @Test
    void shouldCreateARuleAndReadItByRefAndById() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String id = api().body(rule(pack, "notify_ci")).post("/api/v1/rules")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/rules/" + pack + ".notify_ci"))
                .body("ref", equalTo(pack + ".notify_ci"))
                .body("enabled", equalTo(true))
                .body("trigger.type", equalTo("mypack.mytrigger"))
                .body("criteria.'trigger.attribute1'.type", equalTo("equals"))
                .extract().path("id");

        api().get("/api/v1/rules/" + pack + ".notify_ci").then().statusCode(200).body("id", equalTo(id));
        api().get("/api/v1/rules/" + id).then().statusCode(200).body("ref", equalTo(pack + ".notify_ci"));
        api().queryParam("pack", pack).get("/api/v1/rules").then().statusCode(200).body("ref", hasItem(pack + ".notify_ci"));
        api().queryParam("pack", pack).queryParam("enabled", "false").get("/api/v1/rules")
                .then().statusCode(200).body("ref", not(hasItem(pack + ".notify_ci")));
    }

    @Test
    void shouldNeverShowPasswordsOrSigningSecrets() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String created = api().body(rule(pack, "secretive")).post("/api/v1/rules").then().statusCode(201).extract().asString();
        String read = api().get("/api/v1/rules/" + pack + ".secretive").then().statusCode(200)
                .body("action.parameters.password", equalTo("********"))
                .body("action.parameters.secret", equalTo("********"))
                .extract().asString();
        for (String body : new String[] {created, read}) {
            assertEquals(-1, body.indexOf("pa55word"), body);
            assertEquals(-1, body.indexOf("signing-secret"), body);
        }
    }

    @Test
    void shouldKeepStoredSecretsWhenAMaskedRuleIsSentBack() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        api().body(rule(pack, "roundtrip")).post("/api/v1/rules").then().statusCode(201);
        String masked = api().get("/api/v1/rules/" + pack + ".roundtrip").then().extract().asString();

        api().body(masked.replace("notify CI", "notify CI again")).put("/api/v1/rules/" + pack + ".roundtrip")
                .then().statusCode(200).body("description", equalTo("notify CI again"));

        Rule stored = QuarkusTransaction.requiringNew().call(() -> repository.findByRefOrId("default", pack + ".roundtrip").orElseThrow());
        assertEquals("pa55word", cipher.decrypt(stored.actionParameters.get("password").asText()));
        assertEquals("signing-secret", cipher.decrypt(stored.actionParameters.get("secret").asText()));
        assertEquals(1, stored.version);
    }

    @Test
    void shouldDisableEnableAndDeleteARule() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        api().body(rule(pack, "toggled")).post("/api/v1/rules").then().statusCode(201);
        api().post("/api/v1/rules/" + pack + ".toggled/disable").then().statusCode(200).body("enabled", equalTo(false));
        api().post("/api/v1/rules/" + pack + ".toggled/enable").then().statusCode(200).body("enabled", equalTo(true));
        api().delete("/api/v1/rules/" + pack + ".toggled").then().statusCode(204);
        api().get("/api/v1/rules/" + pack + ".toggled").then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void shouldRefuseADuplicateRefWithConflict() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        api().body(rule(pack, "twice")).post("/api/v1/rules").then().statusCode(201);
        api().body(rule(pack, "twice")).post("/api/v1/rules").then().statusCode(409).body("error", equalTo("conflict"));
    }

    @Test
    void shouldListEveryProblemOfAnInvalidRule() {
        api().body("""
                {"name": "bad.name", "enabled": "yes",
                 "trigger": {"type": "core.st2.webhook"},
                 "criteria": {"trigger.body.a": {"type": "nosuchop", "pattern": 1},
                              "trigger.body.b": {"type": "regex", "pattern": "(["}},
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/{{ trigger.body.x",
                            "method": "FETCH"}}}
                """).post("/api/v1/rules")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details.path", containsInAnyOrder("name", "enabled", "trigger.parameters.url",
                        "criteria.trigger.body.a.type", "criteria.trigger.body.b.pattern", "action.parameters.url",
                        "action.parameters.method"));
        api().body("{\"name\": \"n\", \"trigger\": {\"type\": \"a.b\"}, \"action\": {\"ref\": \"core.local\"}}")
                .post("/api/v1/rules")
                .then().statusCode(400).body("details[0].path", equalTo("action.ref"))
                .body("details[0].message", containsString("unknown action"));
    }

    @Test
    void shouldLoadAYamlRuleAsWrittenInTheStackStormDocs() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String yaml = """
                ---
                name: "sample_rule_with_webhook"
                pack: "%s"
                description: "Sample rule dumping webhook payload to a file."
                enabled: true

                trigger:
                  type: "core.st2.webhook"
                  parameters:
                    url: "sample"

                criteria:
                  trigger.body.name:
                    pattern: "st2"
                    type: "equals"

                action:
                  ref: "core.http"
                  parameters:
                    url: "https://hooks.example.com/sample"
                    body: "{{ trigger.body }}"
                """.formatted(pack);
        given().header("St2-Api-Key", KEY).contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/rules")
                .then().statusCode(201)
                .body("ref", equalTo(pack + ".sample_rule_with_webhook"))
                .body("trigger.parameters.url", equalTo("sample"))
                .body("criteria.'trigger.body.name'.pattern", equalTo("st2"));
        given().header("St2-Api-Key", KEY).contentType("application/yaml").body("name: [unclosed".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/rules")
                .then().statusCode(400).body("message", containsString("malformed YAML"));
    }

    @Test
    void shouldAnswerBadRequestsWithJsonErrors() {
        api().body("{\"name\": ").post("/api/v1/rules")
                .then().statusCode(400).body("error", equalTo("bad_request")).body("message", containsString("malformed JSON"));
        api().body("[1, 2]").post("/api/v1/rules").then().statusCode(400).body("error", equalTo("bad_request"));
        given().contentType("text/plain").header("St2-Api-Key", KEY).body("name: x").post("/api/v1/rules")
                .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
        given().contentType("application/json").body(rule("p", "n")).post("/api/v1/rules")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        api().get("/api/v1/rules/no.such_rule").then().statusCode(404).body("error", equalTo("not_found"));
        api().queryParam("enabled", "maybe").get("/api/v1/rules").then().statusCode(400)
                .body("details[0].path", equalTo("enabled"));
        api().put("/api/v1/rules/no.such_rule").then().statusCode(400);
    }
}
