package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.ActionTask;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * StackStorm rules as their authors wrote them, through the real broker and database: a JSONPath criteria key (first
 * match, as StackStorm resolves it) and Python regexes with named groups. Each rule must fire for the event it
 * describes and stay silent for the others.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class StackStormCriteriaEnforcementTest {

    @Test
    void shouldFireOnTheFirstCommitAuthorOnlyWhenTheJsonPathKeyMatches() {
        String url = "ss/" + UUID.randomUUID().toString().substring(0, 8) + "/push";
        String ruleId = webhookRule(url, """
                {"trigger.body.commits[*].author.name": {"type": "equals", "pattern": "ann"}}""");
        String annFirst = UUID.randomUUID().toString();
        String bobFirst = UUID.randomUUID().toString();
        String noCommits = UUID.randomUUID().toString();

        List<RecordMetadata> published = List.of(
                Events.publish(Events.webhookEvent(annFirst, url, commits("ann", "bob"))),
                // StackStorm compares the first match: bob, so ann's later commit does not make this one match.
                Events.publish(Events.webhookEvent(bobFirst, url, commits("bob", "ann"))),
                Events.publish(Events.webhookEvent(noCommits, url, "{\"commits\": []}")));

        Enforcement.awaitCommittedPast(published);
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(annFirst, bobFirst, noCommits));
        assertEquals(List.of(annFirst), tasks.stream().map(ActionTask::triggerInstanceId).distinct().toList());
        assertEquals(ruleId, tasks.get(0).ruleId());
    }

    @Test
    void shouldFireOnAPythonNamedGroupRegexAndStaySilentOtherwise() {
        String url = "ss/" + UUID.randomUUID().toString().substring(0, 8) + "/release";
        webhookRule(url, """
                {"trigger.body.ref": {"type": "regex",
                                      "pattern": "^refs/heads/(?P<kind>release|hotfix)/(?P<version>\\\\d+\\\\.\\\\d+)$"},
                 "trigger.body.tag": {"type": "matchregex", "pattern": "(?P<word>[a-z]+)-(?P=word)\\\\Z"}}""");
        String release = UUID.randomUUID().toString();
        String feature = UUID.randomUUID().toString();
        String tagNotRepeated = UUID.randomUUID().toString();

        List<RecordMetadata> published = List.of(
                Events.publish(Events.webhookEvent(release, url,
                        "{\"ref\": \"refs/heads/release/1.2\", \"tag\": \"rc-rc\"}")),
                Events.publish(Events.webhookEvent(feature, url,
                        "{\"ref\": \"refs/heads/feature/x\", \"tag\": \"rc-rc\"}")),
                Events.publish(Events.webhookEvent(tagNotRepeated, url,
                        "{\"ref\": \"refs/heads/hotfix/2.0\", \"tag\": \"rc-ga\"}")));

        Enforcement.awaitCommittedPast(published);
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(release, feature, tagNotRepeated));
        assertEquals(List.of(release), tasks.stream().map(ActionTask::triggerInstanceId).distinct().toList());
    }

    @Test
    void shouldShowTheFirstMatchInTheRuleTester() {
        api().body("""
                {"rule": {"name": "first_author", "pack": "ss", "trigger": {"type": "core.st2.webhook", "parameters": {"url": "t"}},
                          "criteria": {"trigger.body.commits[*].author.name": {"type": "equals", "pattern": "ann"}},
                          "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/t"}}},
                 "triggerInstance": {"trigger": "core.st2.webhook", "payload": {"url": "t", "body": %s}}}"""
                        .formatted(commits("bob", "ann")))
                .post("/api/v1/rules/test")
                .then().statusCode(200)
                .body("matched", equalTo(false))
                .body("criteria[0].value", equalTo("bob"));
    }

    @Test
    void shouldRefuseAnInvalidJsonPathKeyAtSaveNamingTheKey() {
        api().body(rule("{\"trigger.body.commits[?(@.id == 'c1')].id\": {\"type\": \"exists\"}}"))
                .post("/api/v1/rules")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details.path", hasItem("criteria.trigger.body.commits[?(@.id == 'c1')].id"))
                .body("details[0].message", containsString("trigger.body.commits[?(@.id == 'c1')].id"))
                .body("details[0].message", containsString("filters"));
        api().body(rule("{\"trigger.body.items[1:2:3]\": {\"type\": \"exists\"}}"))
                .post("/api/v1/rules")
                .then().statusCode(400)
                .body("details[0].path", equalTo("criteria.trigger.body.items[1:2:3]"));
    }

    @Test
    void shouldRefuseAPatternPythonRefusesAtSave() {
        api().body(rule("{\"trigger.body.a\": {\"type\": \"regex\", \"pattern\": \"(?P<a>x)(?P=b)\"}}"))
                .post("/api/v1/rules")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details[0].path", equalTo("criteria.trigger.body.a.pattern"))
                .body("details[0].message", containsString("unknown group name 'b'"));
        // Java's own named-group syntax is not Python's: refused, as Python refuses it.
        api().body(rule("{\"trigger.body.a\": {\"type\": \"iregex\", \"pattern\": \"(?<name>x)\"}}"))
                .post("/api/v1/rules")
                .then().statusCode(400)
                .body("details[0].message", containsString("unknown extension ?<n"));
    }

    private static String rule(String criteria) {
        return """
                {"name": "r%s", "pack": "ss", "trigger": {"type": "ss.trigger"}, "criteria": %s,
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/r"}}}"""
                .formatted(UUID.randomUUID().toString().replace("-", "").substring(0, 12), criteria);
    }

    private static String webhookRule(String url, String criteria) {
        return api().body("""
                {"name": "r%s", "pack": "ss", "trigger": {"type": "core.st2.webhook", "parameters": {"url": "%s"}},
                 "criteria": %s,
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/ss"}}}"""
                        .formatted(UUID.randomUUID().toString().replace("-", "").substring(0, 12), url, criteria))
                .post("/api/v1/rules").then().statusCode(201).extract().path("id");
    }

    private static String commits(String... authors) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode commits = body.putArray("commits");
        for (String author : authors) {
            commits.addObject().put("id", "c-" + author).putObject("author").put("name", author);
        }
        return body.toString();
    }
}
