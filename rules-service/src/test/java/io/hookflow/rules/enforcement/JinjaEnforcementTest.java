package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.createRule;
import static io.hookflow.rules.support.Events.newTriggerType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A StackStorm-style rule with Jinja in it: events in through the real broker, the exact rendered task out. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class JinjaEnforcementTest {

    @Test
    void shouldPublishTheExactTaskAJinjaRuleRenders() throws Exception {
        String trigger = newTriggerType();
        createRule(trigger, "{\"trigger.branch\": {\"type\": \"equals\", \"pattern\": \"{{ trigger.default_branch | lower }}\"}}", """
                {"url": "https://ci.example.com/{{ trigger.repo | lower }}/builds?by={{ trigger.pusher.name }}&tags={{ trigger.tags | join(',') }}",
                 "method": "POST",
                 "headers": {"X-Kind": "{% if trigger.draft %}draft{% else %}release{% endif %}",
                             "X-Version": "{{ trigger.version | version_bump_minor }}"},
                 "body": {"summary": "{% for c in trigger.commits %}{{ loop.index }}:{{ c.message | upper }}{% if not loop.last %}; {% endif %}{% endfor %}",
                          "authors": "{{ trigger.commits | map(attribute='author') | unique | list }}",
                          "count": "{{ trigger.commits | length }}",
                          "issue": "{{ trigger.commits[0].message | regex_substring('#(?P<n>\\\\d+)') }}",
                          "raw": "${trigger.repo}"}}""");

        String instance = Events.publishSt2Event(trigger, """
                {"branch": "main", "default_branch": "MAIN", "repo": "Hookflow/Rules", "pusher": {"name": "Ada L"},
                 "tags": ["v1", "rc"], "draft": false, "version": "1.4.2",
                 "commits": [{"message": "fix #42", "author": "ada"}, {"message": "docs", "author": "bob"},
                             {"message": "more", "author": "ada"}]}""");

        await().atMost(Duration.ofSeconds(30)).until(() -> !Enforcement.tasksOf(Set.of(instance)).isEmpty());
        OutboundRequest request = Enforcement.tasksOf(Set.of(instance)).get(0).request();
        // Values are encoded for where they land in the url, as plain placeholders are.
        assertEquals("https://ci.example.com/hookflow%2Frules/builds?by=Ada+L&tags=v1%2Crc", request.url());
        assertEquals("release", request.headers().get("X-Kind"));
        assertEquals("1.5.0", request.headers().get("X-Version"));
        // The stored rule's keys come back in the database's order: compare the JSON, values and types.
        assertEquals(Events.JSON.readTree("{\"summary\":\"1:FIX #42; 2:DOCS; 3:MORE\",\"authors\":[\"ada\",\"bob\"],"
                + "\"count\":3,\"issue\":\"42\",\"raw\":\"Hookflow/Rules\"}"), Events.JSON.readTree(request.body()));
    }

    @Test
    void shouldFailOnlyTheEnforcementWhoseTemplateCannotBeRenderedAndSayWhy() {
        String trigger = newTriggerType();
        String datastore = createRule(trigger, "{}",
                "{\"url\": \"https://x.example.com/kv\", \"headers\": {\"Authorization\": \"Bearer {{ st2kv.system.token }}\"}}");
        String undefined = createRule(trigger, "{}",
                "{\"url\": \"https://x.example.com/undefined\", \"body\": {\"v\": \"{{ trigger.nope | upper }}\"}}");
        String fine = createRule(trigger, "{}",
                "{\"url\": \"https://x.example.com/fine\", \"body\": {\"v\": \"{{ trigger.nope | default('n/a') | upper }}\"}}");

        String instance = Events.publishSt2Event(trigger, "{}");

        await().atMost(Duration.ofSeconds(30)).until(() -> api().queryParam("triggerInstance", instance)
                .get("/api/v1/ruleenforcements").then().extract().jsonPath().getList("items").size() == 3);
        List<Map<String, Object>> enforcements = api().queryParam("triggerInstance", instance)
                .get("/api/v1/ruleenforcements").then().extract().jsonPath().getList("items");
        Map<String, Map<String, Object>> byRule = new java.util.HashMap<>();
        enforcements.forEach(e -> byRule.put((String) e.get("ruleId"), e));
        assertEquals("failed", byRule.get(datastore).get("status"));
        assertTrue(((String) byRule.get(datastore).get("failureReason")).contains("not in the key-value datastore"),
                byRule.get(datastore).toString());
        assertEquals("failed", byRule.get(undefined).get("status"));
        assertTrue(((String) byRule.get(undefined).get("failureReason")).contains("'trigger.nope | upper' is undefined"),
                byRule.get(undefined).toString());
        assertEquals("succeeded", byRule.get(fine).get("status"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !Enforcement.tasksOf(Set.of(instance)).isEmpty());
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(instance));
        assertEquals(List.of(fine), tasks.stream().map(ActionTask::ruleId).distinct().toList());
        assertEquals("{\"v\":\"N/A\"}", tasks.get(0).request().body());
    }
}
