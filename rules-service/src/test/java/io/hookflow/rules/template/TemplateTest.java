package io.hookflow.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TemplateTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode trigger(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void shouldRenderJinjaAndPactBrokerPlaceholders() throws Exception {
        JsonNode trigger = trigger("{\"body\": {\"branch\": \"main\", \"n\": 3}}");
        assertEquals("branch main, 3 items",
                Template.parse("branch {{ trigger.body.branch }}, ${trigger.body.n} items").render(trigger));
    }

    @Test
    void shouldKeepTheJsonTypeOfALonePlaceholder() throws Exception {
        JsonNode trigger = trigger("{\"body\": {\"items\": [1, {\"a\": true}], \"n\": 3}}");
        assertEquals(JSON.readTree("[1, {\"a\": true}]"), Template.parse("{{ trigger.body.items }}").renderValue(trigger));
        assertEquals(3, Template.parse("${trigger.body.n}").renderValue(trigger).intValue());
        assertTrue(Template.parse("n={{ trigger.body.n }}").renderValue(trigger).isTextual());
    }

    @Test
    void shouldWriteObjectsAsJsonText() throws Exception {
        JsonNode trigger = trigger("{\"body\": {\"o\": {\"k\": \"v\"}}}");
        assertEquals("o={\"k\":\"v\"}", Template.parse("o={{trigger.body.o}}").render(trigger));
    }

    @Test
    void shouldFailOnAMissingValueWithoutDefault() throws Exception {
        JsonNode trigger = trigger("{\"body\": {}}");
        MissingValueException e = assertThrows(MissingValueException.class,
                () -> Template.parse("x {{ trigger.body.absent }}").render(trigger));
        assertTrue(e.getMessage().contains("trigger.body.absent"), e.getMessage());
    }

    @Test
    void shouldUseTheDefaultWhenTheValueIsMissing() throws Exception {
        JsonNode trigger = trigger("{\"body\": {\"present\": \"yes\"}}");
        assertEquals("n/a yes", Template.parse("{{ trigger.body.absent | default('n/a') }} "
                + "{{ trigger.body.present | default(\"no\") }}").render(trigger));
        assertEquals(5, Template.parse("{{ trigger.body.absent | default(5) }}").renderValue(trigger).intValue());
    }

    @Test
    void shouldRejectBrokenTemplatesWhenParsed() {
        assertThrows(TemplateSyntaxException.class, () -> Template.parse("{{ trigger.body.x"));
        assertThrows(TemplateSyntaxException.class, () -> Template.parse("${trigger.body.x"));
        assertThrows(TemplateSyntaxException.class, () -> Template.parse("{{ }}"));
        assertThrows(TemplateSyntaxException.class, () -> Template.parse("{{ body.x }}"));
        assertThrows(TemplateSyntaxException.class, () -> Template.parse("{{ trigger.body.x | upper }}"));
        assertThrows(TemplateSyntaxException.class, () -> Template.parse("{{ trigger.body.x | default(oops) }}"));
        assertThrows(TemplateSyntaxException.class, () -> Template.parse("${trigger.body.x | default('a')}"));
    }

    @Test
    void shouldLeaveTextWithoutPlaceholdersAlone() throws Exception {
        assertEquals("price: $5 {not a placeholder}", Template.parse("price: $5 {not a placeholder}").render(trigger("{}")));
    }
}
