package io.hookflow.rules.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.rules.rule.Rule;
import io.hookflow.rules.template.RenderBudget;
import io.hookflow.rules.template.RenderFailedException;
import io.hookflow.rules.template.TemplateContext;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A rule's ordering key rendered into the lane of one trigger instance's task. */
class CompiledRuleLaneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RenderBudget.Limits LIMITS = new RenderBudget.Limits(524_288, Duration.ofSeconds(1), 100_000);

    @Test
    void shouldRenderTheLaneAsTheRuleIdAndTheKey() throws Exception {
        Rule rule = rule("{{ trigger.body.repository.id }}");

        String lane = CompiledRule.of(rule, null).lane(context("{\"body\": {\"repository\": {\"id\": 1296269}}}"), LIMITS);

        assertEquals(rule.id + ":1296269", lane);
    }

    @Test
    void shouldKeepTwoRulesLanesApartWhenTheirKeysRenderAlike() throws Exception {
        TemplateContext trigger = context("{\"body\": {\"repo\": \"a\"}}");

        String first = CompiledRule.of(rule("{{ trigger.body.repo }}"), null).lane(trigger, LIMITS);
        String second = CompiledRule.of(rule("{{ trigger.body.repo }}"), null).lane(trigger, LIMITS);

        assertTrue(first.endsWith(":a") && second.endsWith(":a"));
        assertTrue(!first.equals(second), first + " and " + second);
    }

    @Test
    void shouldHaveNoLaneWithoutOrdering() throws Exception {
        assertNull(CompiledRule.of(rule(null), null).lane(context("{\"body\": {}}"), LIMITS));
    }

    @Test
    void shouldFailTheRenderingWhenTheKeyIsMissingOrTooLong() throws Exception {
        CompiledRule missing = CompiledRule.of(rule("{{ trigger.body.repo }}"), null);
        assertThrows(RenderFailedException.class, () -> missing.lane(context("{\"body\": {}}"), LIMITS));

        CompiledRule huge = CompiledRule.of(rule("{{ trigger.body.repo }}"), null);
        RenderFailedException tooLong = assertThrows(RenderFailedException.class,
                () -> huge.lane(context("{\"body\": {\"repo\": \"" + "x".repeat(1025) + "\"}}"), LIMITS));
        assertTrue(tooLong.getMessage().contains("1025"), tooLong.getMessage());
    }

    private static TemplateContext context(String trigger) throws Exception {
        JsonNode node = JSON.readTree(trigger);
        return TemplateContext.of(node);
    }

    private static Rule rule(String orderingKey) throws Exception {
        Rule rule = new Rule();
        rule.id = UUID.randomUUID();
        rule.orgId = "default";
        rule.pack = "p";
        rule.name = "r" + rule.id.toString().substring(0, 8);
        rule.enabled = true;
        rule.triggerType = "it.lanes";
        rule.triggerParameters = JSON.createObjectNode();
        rule.criteria = JSON.createObjectNode();
        rule.actionRef = "core.http";
        rule.actionParameters = JSON.readTree("{\"url\": \"https://x.example.com/\"}");
        rule.orderingKey = orderingKey;
        rule.updatedAt = Instant.now();
        return rule;
    }
}
