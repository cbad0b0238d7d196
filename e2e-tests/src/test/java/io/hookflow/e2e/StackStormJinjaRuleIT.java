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
}
