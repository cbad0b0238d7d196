package io.hookflow.rules.enforcement;

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
        List<CompiledRule> candidates = snapshot.candidates("o", "t.x", trigger);
        assertEquals(3, candidates.size());
        assertTrue(candidates.stream().anyMatch(c -> c.rule() == rules.get(17)));
        assertTrue(candidates.stream().anyMatch(c -> c.rule() == numeric), "1 == 1.0 as in Python");
        assertTrue(candidates.stream().anyMatch(c -> c.rule() == unindexed));
        assertEquals(1, snapshot.candidates("o", "t.y", trigger).size());
        assertEquals(0, snapshot.candidates("o", "t.z", trigger).size());
        assertEquals(1, snapshot.candidates("o", "t.x", JSON.readTree("{\"repo\": 17, \"n\": \"1\"}")).size(),
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
                long viaIndex = snapshot.candidates("o", "t", trigger).stream().filter(c -> c.matches(trigger)).count();
                long everyRule = rules.stream().map(r -> CompiledRule.of(r, null)).filter(c -> c.matches(trigger)).count();
                assertEquals(everyRule, viaIndex, "a=" + a + ", b=" + b);
            }
        }
    }
}
