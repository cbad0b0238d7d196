package io.hookflow.rules.tester;

import static io.hookflow.rules.support.Events.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /api/v1/rules/test: what a rule would do, without doing it. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleTesterTest {

    static final String RULE = """
            {"name": "tested", "pack": "demo", "trigger": {"type": "core.st2.webhook", "parameters": {"url": "ci"}},
             "criteria": {"trigger.body.status": {"type": "equals", "pattern": "failed"},
                          "trigger.headers.x-github-event": {"type": "iequals", "pattern": "PUSH"}},
             "action": {"ref": "core.http", "parameters": {
                 "url": "https://chat.example.com/notify?repo={{ trigger.body.repo }}",
                 "password": "hunter2", "username": "bot", "secret": "sig",
                 "retry": {"maxAttempts": 3, "schedule": [5, 60]}, "connectTimeout": 3, "timeout": 20,
                 "body": {"text": "{{ trigger.body.repo }} is {{ trigger.body.status }}"}}}}""";

    static String instance(String body) {
        return "{\"trigger\": \"core.st2.webhook\", \"payload\": {\"url\": \"ci\", \"headers\": {\"x-github-event\": \"push\"}, "
                + "\"body\": " + body + "}}";
    }

    @Test
    void shouldShowEachCriterionAndTheRequestWithSecretsMasked() {
        String answer = api().body("{\"rule\": " + RULE + ", \"triggerInstance\": "
                        + instance("{\"status\": \"failed\", \"repo\": \"a b\"}") + "}")
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(true))
                .body("error", nullValue())
                .body("criteria", hasSize(2))
                .body("criteria.path", containsInAnyOrder("trigger.body.status", "trigger.headers.x-github-event"))
                .body("criteria.find { it.path == 'trigger.body.status' }.value", equalTo("failed"))
                .body("criteria.matched", containsInAnyOrder(true, true))
                .body("request.url", equalTo("https://chat.example.com/notify?repo=a+b"))
                .body("request.body", equalTo("{\"text\":\"a b is failed\"}"))
                .body("request.password", equalTo("********"))
                .body("request.secret", equalTo("********"))
                .body("request.retry.maxAttempts", equalTo(3))
                .body("request.retry.scheduleSeconds", containsInAnyOrder(5, 60))
                .body("request.connectTimeoutSeconds", equalTo(3))
                .body("request.timeoutSeconds", equalTo(20))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(answer.contains("hunter2"), answer);
    }

    @Test
    void shouldReportAMismatchAndAMissingValue() {
        api().body("{\"rule\": " + RULE + ", \"triggerInstance\": " + instance("{\"status\": \"ok\", \"repo\": \"r\"}") + "}")
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(false))
                .body("request", nullValue())
                .body("criteria.find { it.path == 'trigger.body.status' }.matched", equalTo(false))
                .body("criteria.find { it.path == 'trigger.body.status' }.value", equalTo("ok"));
        api().body("{\"rule\": " + RULE + ", \"triggerInstance\": " + instance("{\"status\": \"failed\"}") + "}")
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(true))
                .body("request", nullValue())
                .body("error", containsString("trigger.body.repo"));
    }

    @Test
    void shouldTestAStoredRuleAgainstARecordedInstance() {
        String trigger = Events.newTriggerType();
        String ruleId = Events.createRule(trigger, "{\"trigger.n\": {\"type\": \"gt\", \"pattern\": 2}}",
                "{\"url\": \"https://x.example.com/{{ trigger.n }}\"}");
        String instance = Events.publishSt2Event(trigger, "{\"n\": 5}");
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/api/v1/triggerinstances/" + instance).statusCode() == 200);

        api().body("{\"ruleRef\": \"%s\", \"triggerInstanceId\": \"%s\"}".formatted(ruleId, instance))
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(true))
                .body("request.url", equalTo("https://x.example.com/5"));
        api().body("{\"ruleRef\": \"%s\", \"triggerInstance\": {\"trigger\": \"other.trigger\"}}".formatted(ruleId))
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(false))
                .body("error", containsString("other.trigger"));
    }

    @Test
    void shouldRefuseAnInvalidRuleOrRequestListingTheProblems() {
        api().body("{\"rule\": {\"name\": \"x\", \"trigger\": {}, \"criteria\": {\"trigger.a\": {\"type\": \"nope\"}}, "
                        + "\"action\": {\"ref\": \"core.http\", \"parameters\": {\"url\": \"https://x.example.com\", "
                        + "\"retry\": {\"maxAttempts\": 0, \"schedule\": [-1]}, \"connectTimeout\": 999}}}, "
                        + "\"triggerInstance\": {\"trigger\": \"a.b\"}}")
                .post("/api/v1/rules/test")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details.path", containsInAnyOrder("trigger.type", "criteria.trigger.a.type",
                        "action.parameters.retry.maxAttempts", "action.parameters.retry.schedule[0]",
                        "action.parameters.connectTimeout"));
        api().body("{}").post("/api/v1/rules/test").then().statusCode(400)
                .body("details.path", containsInAnyOrder("rule", "triggerInstance"));
        api().body("{\"ruleRef\": \"no.such\", \"triggerInstance\": {\"trigger\": \"a.b\"}}").post("/api/v1/rules/test")
                .then().statusCode(404);
        api().body("{\"rule\": " + RULE + ", \"triggerInstanceId\": \"" + UUID.randomUUID() + "\"}")
                .post("/api/v1/rules/test").then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void shouldAcceptAPactBrokerRequestBlockAsCoreHttpParameters() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        api().body("""
                {"name": "pact", "pack": "%s", "trigger": {"type": "pact.contract_published"},
                 "action": {"ref": "core.http", "parameters": {"request": {"method": "PUT",
                     "url": "https://ci.example.com/build/${trigger.pactUrl}", "headers": {"Accept": "application/json"},
                     "body": {"pact": "${trigger.pactUrl}"}, "username": "ci", "password": "s3cret"}}}}""".formatted(pack))
                .post("/api/v1/rules")
                .then().statusCode(201)
                .body("action.parameters.method", equalTo("PUT"))
                .body("action.parameters.password", equalTo("********"))
                .body("action.parameters", not(org.hamcrest.Matchers.hasKey("request")));
        api().body("{\"ruleRef\": \"%s.pact\", \"triggerInstance\": {\"trigger\": \"pact.contract_published\", \"payload\": {\"pactUrl\": \"p/1\"}}}"
                        .formatted(pack))
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("request.method", equalTo("PUT"))
                .body("request.url", equalTo("https://ci.example.com/build/p%2F1"))
                .body("request.headers.Accept", equalTo("application/json"))
                .body("request.username", equalTo("ci"));
        api().body("""
                {"name": "twice", "pack": "%s", "trigger": {"type": "a.b"},
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com", "request": {"url": "https://y.example.com", "verb": "GET"}}}}"""
                        .formatted(pack))
                .post("/api/v1/rules")
                .then().statusCode(400)
                .body("details.path", containsInAnyOrder("action.parameters.request.url", "action.parameters.request.verb"));
    }
}
