package io.hookflow.rules.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.rules.rule.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The index hands out only rules that may match, and never hides one that does. */
class RuleIndexTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Rule rule(String orgId, String trigger, String criteria) throws Exception {
        Rule rule = new Rule();
        rule.id = UUID.randomUUID();
        rule.orgId = orgId;
        rule.pack = "p";
        rule.name = "r" + rule.id.toString().substring(0, 8);
        rule.enabled = true;
        rule.triggerType = trigger;
        rule.triggerParameters = JSON.createObjectNode();
        rule.criteria = JSON.readTree(criteria);
        rule.actionRef = "core.http";
        rule.actionParameters = JSON.readTree("{\"url\": \"https://x.example.com/\"}");
        rule.updatedAt = Instant.now();
        return rule;
    }

    @Test
    void shouldOfferOnlyRulesWhoseEqualityCanHold() throws Exception {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rules.add(rule("o", "t.x", "{\"trigger.repo\": {\"type\": \"equals\", \"pattern\": \"repo-" + i + "\"}}"));
        }
        Rule numeric = rule("o", "t.x", "{\"trigger.n\": {\"type\": \"eq\", \"pattern\": 1}}");
        Rule unindexed = rule("o", "t.x", "{\"trigger.repo\": {\"type\": \"startswith\", \"pattern\": \"repo-1\"}}");
        Rule otherTrigger = rule("o", "t.y", "{}");
        Rule otherOrg = rule("o2", "t.x", "{}");
        rules.addAll(List.of(numeric, unindexed, otherTrigger, otherOrg));
        RuleIndex.Snapshot snapshot = RuleIndex.Snapshot.build(1, rules, null, null);

        JsonNode trigger = JSON.readTree("{\"repo\": \"repo-17\", \"n\": 1.0}");
        List<CompiledRule> candidates = snapshot.candidates("o", "t.x", null, trigger);
        assertEquals(3, candidates.size());
        assertTrue(candidates.stream().anyMatch(c -> c.rule() == rules.get(17)));
        assertTrue(candidates.stream().anyMatch(c -> c.rule() == numeric), "1 == 1.0 as in Python");
        assertTrue(candidates.stream().anyMatch(c -> c.rule() == unindexed));
        assertEquals(1, snapshot.candidates("o", "t.y", null, trigger).size());
        assertEquals(0, snapshot.candidates("o", "t.z", null, trigger).size());
        assertEquals(1, snapshot.candidates("o", "t.x", null, JSON.readTree("{\"repo\": 17, \"n\": \"1\"}")).size(),
                "a number never equals a string");
    }

    @Test
    void shouldMatchExactlyAsEvaluatingEveryRuleWould() throws Exception {
        List<Rule> rules = new ArrayList<>();
        String[] patterns = {"\"a\"", "1", "1.0", "true", "\"1\"", "[1]", "\"{{ trigger.b }}\""};
        for (String first : patterns) {
            for (String second : patterns) {
                rules.add(rule("o", "t", "{\"trigger.a\": {\"type\": \"equals\", \"pattern\": " + first + "}, "
                        + "\"trigger.b\": {\"type\": \"eq\", \"pattern\": " + second + "}}"));
            }
        }
        RuleIndex.Snapshot snapshot = RuleIndex.Snapshot.build(1, rules, null, null);
        String[] values = {"\"a\"", "1", "1.00", "true", "\"1\"", "[1]", "null", "{}"};
        for (String a : values) {
            for (String b : values) {
                JsonNode trigger = JSON.readTree("{\"a\": " + a + ", \"b\": " + b + "}");
                long viaIndex = snapshot.candidates("o", "t", null, trigger).stream().filter(c -> c.matches(trigger)).count();
                long everyRule = rules.stream().map(r -> CompiledRule.of(r, null)).filter(c -> c.matches(trigger)).count();
                assertEquals(everyRule, viaIndex, "a=" + a + ", b=" + b);
            }
        }
    }

    @Test
    void shouldOfferAWebhookUrlOnlyTheRulesOfThatUrl() throws Exception {
        Rule hook = rule("o", "core.st2.webhook", "{}");
        hook.triggerParameters = JSON.readTree("{\"url\": \"/hook/\"}");
        Rule other = rule("o", "core.st2.webhook", "{}");
        other.triggerParameters = JSON.readTree("{\"url\": \"other\"}");
        Rule nested = rule("o", "core.st2.webhook", "{}");
        nested.triggerParameters = JSON.readTree("{\"url\": \"hook/deeper\"}");
        RuleIndex.Snapshot snapshot = RuleIndex.Snapshot.build(1, List.of(hook, other, nested), null, null);
        JsonNode trigger = JSON.readTree("{\"url\": \"hook\", \"body\": {}}");

        List<CompiledRule> forHook = snapshot.candidates("o", "core.st2.webhook", JSON.readTree("{\"url\": \"hook\"}"), trigger);
        assertEquals(List.of(hook), forHook.stream().map(CompiledRule::rule).toList(),
                "leading and trailing slashes do not change the url, and no other url's rule is offered");
        assertEquals(List.of(nested), snapshot.candidates("o", "core.st2.webhook",
                JSON.readTree("{\"url\": \"hook/deeper\"}"), trigger).stream().map(CompiledRule::rule).toList());
        assertEquals(0, snapshot.candidates("o", "core.st2.webhook", null, trigger).size(),
                "an event of the trigger type without parameters (the st2 webhook) fires no url's rule");
        assertEquals(0, snapshot.candidates("o", "core.st2.webhook", JSON.readTree("{\"url\": \"nope\"}"), trigger).size());
        assertEquals(3, snapshot.ruleCount("o", "core.st2.webhook"));
    }

    @Test
    void shouldTreatParametersAsPartOfTheTriggerForEveryType() throws Exception {
        Rule plain = rule("o", "t.p", "{}");
        Rule withParameters = rule("o", "t.p", "{}");
        withParameters.triggerParameters = JSON.readTree("{\"b\": [1, {\"y\": 2, \"x\": 1}], \"a\": \"v\"}");
        RuleIndex.Snapshot snapshot = RuleIndex.Snapshot.build(1, List.of(plain, withParameters), null, null);
        JsonNode trigger = JSON.createObjectNode();

        assertEquals(List.of(plain), snapshot.candidates("o", "t.p", null, trigger).stream().map(CompiledRule::rule).toList());
        assertEquals(List.of(plain), snapshot.candidates("o", "t.p", JSON.createObjectNode(), trigger).stream()
                .map(CompiledRule::rule).toList(), "{} is no parameters");
        assertEquals(List.of(withParameters), snapshot.candidates("o", "t.p",
                        JSON.readTree("{\"a\": \"v\", \"b\": [1, {\"x\": 1, \"y\": 2}]}"), trigger).stream()
                .map(CompiledRule::rule).toList(), "the order of keys does not matter");
        assertEquals(0, snapshot.candidates("o", "t.p", JSON.readTree("{\"a\": \"v\"}"), trigger).size());
    }
}
