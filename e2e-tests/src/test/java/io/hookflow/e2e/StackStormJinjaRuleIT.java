package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.RecordedRequest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A StackStorm rule written with Jinja — a conditional, a loop, StackStorm's filters and a Python named group — loaded
 * as YAML, fired through ingest and delivered by delivery-service: the target receives exactly what StackStorm's
 * templates render.
 */
@ExtendWith(HookflowSystem.class)
class StackStormJinjaRuleIT {

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldDeliverTheRequestAJinjaRuleRenders() {
        String rule = """
                name: on_push_jinja
                pack: e2e_jinja
                trigger:
                  type: core.st2.webhook
                  parameters:
                    url: jinja/push
                criteria:
                  trigger.body.ref:
                    type: equals
                    pattern: "{{ 'refs/heads/' ~ trigger.body.repository.default_branch }}"
                action:
                  ref: core.http
                  parameters:
                    url: "%s?repo={{ trigger.body.repository.full_name | lower }}"
                    method: POST
                    headers:
                      X-Kind: "{%% if trigger.body.forced %%}forced{%% else %%}push{%% endif %%}"
                      X-Next: "{{ trigger.body.version | version_bump_patch }}"
                    body:
                      text: "{%% for c in trigger.body.commits %%}{{ c.id[:7] }} {{ c.message | regex_replace('#(?P<n>\\\\d+)', 'issue \\\\g<n>') }}{%% if not loop.last %%}; {%% endif %%}{%% endfor %%}"
                      authors: "{{ trigger.body.commits | map(attribute='author') | unique | list }}"
                      files: "{{ trigger.body.commits | map(attribute='path') | map('basename') | list | to_json_string }}"
                """.formatted(system.sink().url("/jinja/notified"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/yaml")
                .body(rule.getBytes(StandardCharsets.UTF_8)).post("/api/v1/rules")
                .then().statusCode(201);

        String push = """
                {"ref": "refs/heads/main", "forced": false, "version": "2.3.4",
                 "repository": {"full_name": "Hookflow/Rules", "default_branch": "main"},
                 "commits": [{"id": "0123456789", "message": "fix #42", "author": "ada", "path": "src/a.py"},
                             {"id": "abcdefghij", "message": "docs", "author": "bob", "path": "docs/b.md"}]}""";
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY)
                        .contentType("application/json").body(push).post("/api/v1/webhooks/jinja/push")
                        .then().statusCode(202));

        RecordedRequest received = system.sink().awaitRequestTo("/jinja/notified", Duration.ofSeconds(60));
        assertEquals("/jinja/notified?repo=hookflow%2Frules", received.path());
        assertEquals("push", received.headers().get("x-kind"));
        assertEquals("2.3.5", received.headers().get("x-next"));
        // Key order is the stored rule's; the values and their JSON types are what StackStorm's templates render.
        Map<String, Object> body = JsonPath.from(received.body()).getMap("");
        assertEquals(Map.of("text", "0123456 fix issue 42; abcdefg docs", "authors", List.of("ada", "bob"),
                "files", "[\"a.py\",\"b.md\"]"), body);
    }

    /**
     * StackStorm's criteria as StackStorm users write them — a JSONPath key (first match) and a Python regex with named
     * groups — and a template reading the key-value datastore: the matching push is delivered with the datastore's
     * value, and a push whose first commit is by someone else fires nothing.
     */
    @Test
    void shouldFireOnAJsonPathKeyAndAPythonRegexAndRenderTheDatastore() {
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"value\": \"#deploys\"}").put("/api/v1/keys/e2e_st2_channel").then().statusCode(200);
        String rule = """
                name: on_push_st2_criteria
                pack: e2e_jinja
                trigger:
                  type: core.st2.webhook
                  parameters:
                    url: jinja/criteria
                criteria:
                  trigger.body.commits[*].author.name:
                    type: equals
                    pattern: ann
                  trigger.body.head_commit.message:
                    type: regex
                    pattern: "^(?P<kind>feat|fix)(?:\\\\((?P<scope_name>\\\\w+)\\\\))?: (?P=kind)?"
                action:
                  ref: core.http
                  parameters:
                    url: "%s"
                    method: POST
                    body:
                      channel: "{{ st2kv.system.e2e_st2_channel }}"
                      who: "{{ trigger.body.commits[0].author.name }}"
                      id: "{{ trigger.body.id }}"
                """.formatted(system.sink().url("/jinja/criteria"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/yaml")
                .body(rule.getBytes(StandardCharsets.UTF_8)).post("/api/v1/rules")
                .then().statusCode(201);

        String silent = push("bob-first", "bob", "feat(api): add");
        String wrongMessage = push("ann-docs", "ann", "docs: typo");
        String fires = push("ann-feat", "ann", "feat(api): add");

        RecordedRequest received = system.sink().awaitRequestTo("/jinja/criteria", Duration.ofSeconds(60));
        assertEquals(Map.of("channel", "#deploys", "who", "ann", "id", "ann-feat"),
                JsonPath.from(received.body()).getMap(""));
        system.awaitQuiet(List.of(silent, wrongMessage, fires));
        assertEquals(1, system.sink().requestsTo("/jinja/criteria").size(),
                "only the push whose first commit is ann's and whose message is a feat/fix may fire");
    }

    /** A push to the rule's url, answered 202 once ingest knows the url; the trigger instance id. */
    private String push(String id, String firstAuthor, String message) {
        String body = """
                {"id": "%s", "head_commit": {"message": "%s"},
                 "commits": [{"author": {"name": "%s"}}, {"author": {"name": "ann"}}]}""".formatted(id, message, firstAuthor);
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY)
                        .contentType("application/json").body(body).post("/api/v1/webhooks/jinja/criteria")
                        .then().extract(), response -> response.statusCode() == 202)
                .path("id");
    }
}
