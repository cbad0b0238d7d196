package io.hookflow.rules.rule;

import static io.hookflow.rules.support.Events.api;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Jinja templates are checked when a rule is saved: a broken one is a 400 naming the field, line and position. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleTemplateValidationTest {

    private static String rule(String parameters, String criteria) {
        return """
                {"name": "r%s", "pack": "jinja", "trigger": {"type": "jinja.check"}, "criteria": %s,
                 "action": {"ref": "core.http", "parameters": %s}}"""
                .formatted(UUID.randomUUID().toString().replace("-", "").substring(0, 12), criteria, parameters);
    }

    @Test
    void shouldRefuseBrokenJinjaWithTheFieldLineAndPosition() {
        api().body(rule("""
                        {"url": "https://x.example.com/{{ trigger.body.x | no_such_filter }}",
                         "headers": {"X-Tags": "{{ trigger.body.tags | join(',' }}"},
                         "body": {"text": "first line\\n{% if trigger.body.draft %}never closed"}}""",
                        "{\"trigger.body.ref\": {\"type\": \"equals\", \"pattern\": \"{{ trigger.body.x | }}\"}}"))
                .post("/api/v1/rules")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details.path", containsInAnyOrder("action.parameters.url", "action.parameters.headers.X-Tags",
                        "action.parameters.body.text", "criteria.trigger.body.ref.pattern"))
                .body("details.find { it.path == 'action.parameters.url' }.message",
                        equalTo("template error: line 1, position 23: unknown filter 'no_such_filter' in"
                                + " 'trigger.body.x | no_such_filter'"))
                .body("details.find { it.path == 'action.parameters.body.text' }.message",
                        containsString("template error: line 2, position 1: "))
                .body("details.find { it.path == 'action.parameters.headers.X-Tags' }.message",
                        containsString("line 1, position 1: invalid expression"));
    }

    @Test
    void shouldSaveAndTestAStackStormStyleRule() {
        String rule = rule("""
                {"url": "https://x.example.com/{{ trigger.body.repo | lower }}",
                 "headers": {"X-Tags": "{{ trigger.body.tags | join(',') }}"},
                 "body": {"text": "{% if trigger.body.draft %}draft{% else %}ready{% endif %}: {% for c in trigger.body.commits %}{{ c.id[:3] }} {% endfor %}",
                          "count": "{{ trigger.body.commits | length }}"}}""",
                "{\"trigger.body.ref\": {\"type\": \"equals\", \"pattern\": \"{{ 'refs/heads/' ~ trigger.body.branch }}\"}}");
        api().body(rule).post("/api/v1/rules").then().statusCode(201);
        api().body("""
                        {"rule": %s, "triggerInstance": {"trigger": "jinja.check", "payload": {"body": {
                          "repo": "Hookflow", "tags": ["a", "b"], "draft": false, "branch": "main",
                          "ref": "refs/heads/main", "commits": [{"id": "abcdef"}, {"id": "123456"}]}}}}"""
                        .formatted(rule))
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(true))
                .body("error", nullValue())
                .body("request.url", equalTo("https://x.example.com/hookflow"))
                .body("request.headers.X-Tags", equalTo("a,b"))
                .body("request.body", equalTo("{\"text\":\"ready: abc 123 \",\"count\":2}"));
    }

    @Test
    void shouldShowWhyATemplateCannotBeRenderedInTheTester() {
        String rule = rule("{\"url\": \"https://x.example.com/\", \"headers\": {\"Authorization\": \"Bearer {{ st2kv.system.token }}\"}}",
                "{}");
        api().body("{\"rule\": %s, \"triggerInstance\": {\"trigger\": \"jinja.check\", \"payload\": {}}}".formatted(rule))
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(true))
                .body("request", nullValue())
                .body("error", containsString("st2kv.system.token is not in the key-value datastore"));
    }
}
