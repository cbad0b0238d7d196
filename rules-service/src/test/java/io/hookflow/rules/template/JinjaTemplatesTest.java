package io.hookflow.rules.template;

import static io.hookflow.rules.template.Render.json;
import static io.hookflow.rules.template.Render.text;
import static io.hookflow.rules.template.Render.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Templates that are more than placeholders: Jinja, with StackStorm's environment. */
class JinjaTemplatesTest {

    @Test
    void shouldKeepPlainPlaceholdersOnTheFastPathAndSendEverythingElseToJinja() {
        assertInstanceOf(Template.class, Templates.compile("{{ trigger.body.x }} and ${trigger.body.y}"));
        assertInstanceOf(Template.class, Templates.compile("{{ trigger.body.x | default('n/a') }}"));
        assertInstanceOf(JinjaRuleTemplate.class, Templates.compile("{{ trigger.body.tags | join(',') }}"));
        assertInstanceOf(JinjaRuleTemplate.class, Templates.compile("{% if trigger.body.draft %}draft{% endif %}"));
        assertInstanceOf(JinjaRuleTemplate.class, Templates.compile("{# a comment #}{{ trigger.body.x }}"));
        assertInstanceOf(JinjaRuleTemplate.class, Templates.compile("{{ st2kv.system.token }}"));
    }

    @Test
    void shouldRenderTheIssuesExamples() {
        assertEquals("a,b", text("{{ trigger.body.tags | join(',') }}", "{\"tags\": [\"a\", \"b\"]}"));
        assertEquals("ready", text("{% if trigger.body.draft %}draft{% else %}ready{% endif %}", "{\"draft\": false}"));
        assertEquals("draft", text("{% if trigger.body.draft %}draft{% else %}ready{% endif %}", "{\"draft\": true}"));
    }

    @Test
    void shouldLoopWithLoopVariablesAndTrimBlocksAsStackStormDoes() {
        String template = """
                {% for c in trigger.body.commits %}
                  {{ loop.index }}. {{ c.id }}{% if not loop.last %},{% endif %}
                {% endfor %}
                """;
        assertEquals("  1. a,  2. b", text(template, "{\"commits\": [{\"id\": \"a\"}, {\"id\": \"b\"}]}"));
        assertEquals("k=v;", text("{% for k, v in trigger.body.m.items() %}{{ k }}={{ v }};{% endfor %}",
                "{\"m\": {\"k\": \"v\"}}"));
    }

    @Test
    void shouldControlWhitespaceAsJinja2DoesInStackStorm() {
        // Jinja2 with trim_blocks and lstrip_blocks: only indentation before a block tag goes, then the newline after it.
        assertEquals("a  x  \nyz", text("a  {% if 1 %}x{% endif %}  \n  {% if 1 %}y{% endif %}\nz", "{}"));
        assertEquals("ready: abc 123 ", text("{% if trigger.body.draft %}draft{% else %}ready{% endif %}: "
                + "{% for c in trigger.body.commits %}{{ c.id[:3] }} {% endfor %}",
                "{\"draft\": false, \"commits\": [{\"id\": \"abcdef\"}, {\"id\": \"123456\"}]}"));
        assertEquals("x", text("{{ 'x' }}\n", "{}"), "one trailing newline is dropped");
    }

    @Test
    void shouldReadStringLiteralsAsPythonDoes() {
        assertEquals("42", text("{{ 'fix #42' | regex_substring('#(\\d+)') }}", "{}"));
        assertEquals("a\nb", text("{{ trigger.body.tags | join('\\n') }}", "{\"tags\": [\"a\", \"b\"]}"));
        assertEquals("it's \"q\" \\", text("{{ 'it\\'s \\\"q\\\" \\\\' }}", "{}"));
        assertEquals("{{ raw \\d }}", text("{% raw %}{{ raw \\d }}{% endraw %}", "{}"));
    }

    @Test
    void shouldPrintValuesAsPythonDoesAsStackStormDoes() {
        String body = "{\"flag\": true, \"tags\": [\"a\", \"it's\"], \"m\": {\"k\": 1.5}, \"n\": 3, \"big\": 1e20}";
        assertEquals("True ['a', \"it's\"] {'k': 1.5} 3 1e+20",
                text("{{ trigger.body.flag }} {{ trigger.body.tags }} {{ trigger.body.m }} {{ trigger.body.n }}"
                        + " {{ trigger.body.big }}{# jinja #}", body));
    }

    @Test
    void shouldKeepTheJsonTypeOfABodyFieldThatIsOneExpression() {
        String body = "{\"tags\": [\"a\", \"b\"], \"n\": 3}";
        assertEquals(json("[\"A\", \"B\"]"), value("{{ trigger.body.tags | map('upper') | list }}", body));
        assertEquals(json("4"), value("{{ trigger.body.n + 1 }}", body));
        assertEquals(json("{\"x\": [1, 2]}"), value("{{ '{\"x\": [1, 2]}' | from_json_string }}", body));
        assertEquals(json("\"a-b\""), value("{{ trigger.body.tags | join('-') }}", body));
        assertEquals(json("null"), value("{{ trigger.body.absent | use_none }}", body));
        assertTrue(value("n={{ trigger.body.n | string }}", body).isTextual());
    }

    @Test
    void shouldFailOnAnUndefinedValueWithTheReasonButHonourDefaultAndIsDefined() {
        MissingValueException missing = assertThrows(MissingValueException.class,
                () -> text("{{ trigger.body.branch | upper }}", "{}"));
        assertTrue(missing.getMessage().contains("trigger.body.branch"), missing.getMessage());
        assertThrows(MissingValueException.class, () -> text("{% if trigger.body.draft %}x{% endif %}", "{}"));
        assertEquals("MAIN", text("{{ trigger.body.branch | default('main') | upper }}", "{}"));
        assertEquals("none", text("{% if trigger.body.draft is defined %}set{% else %}none{% endif %}", "{}"));
    }

    @Test
    void shouldNeverRenderATriggerValueAsATemplate() {
        assertEquals("{{ 7 * 7 }}!", text("{{ trigger.body.x }}{{ '!' }}", "{\"x\": \"{{ 7 * 7 }}\"}"));
    }

    @Test
    void shouldEncodeEachValueOfAUrlForWhereItLandsAsTheFastPathDoes() {
        RuleTemplate.Encoder encoder = (value, before) -> before.toString().contains("?")
                ? URLEncoder.encode(value, StandardCharsets.UTF_8) : value.replace("/", "%2F");
        String url = Templates.compile("https://x.example.com/{{ trigger.body.path | lower }}?q={{ trigger.body.q | trim }}"
                        + "&raw={{ trigger.body.q | urlencode }}")
                .render(TemplateContext.of(json("{\"body\": {\"path\": \"A/B\", \"q\": \" x y&z \"}}")), encoder,
                        RenderBudget.standalone());
        // urlencode's result is safe: encoded once, by the filter.
        assertEquals("https://x.example.com/a%2Fb?q=x+y%26z&raw=%20x%20y%26z%20", url);
    }

    @Test
    void shouldRefuseBrokenTemplatesWithLineAndPosition() {
        TemplateSyntaxException unclosed = assertThrows(TemplateSyntaxException.class,
                () -> Templates.compile("first line\n{% if trigger.body.x %}never closed"));
        assertTrue(unclosed.getMessage().startsWith("line 2, position 1: "), unclosed.getMessage());
        TemplateSyntaxException expression = assertThrows(TemplateSyntaxException.class,
                () -> Templates.compile("a\nb {{ trigger.body.x | }}"));
        assertTrue(expression.getMessage().startsWith("line 2, position 3: "), expression.getMessage());
        TemplateSyntaxException filter = assertThrows(TemplateSyntaxException.class,
                () -> Templates.compile("{{ trigger.body.x | no_such_filter }}"));
        assertTrue(filter.getMessage().contains("unknown filter 'no_such_filter'"), filter.getMessage());
        assertThrows(TemplateSyntaxException.class, () -> Templates.compile("{% for x in %}{% endfor %}"));
        // Refused by Jinjava's own parser rules rather than JUEL's grammar: still a syntax error, never a 500.
        TemplateSyntaxException notAFilter = assertThrows(TemplateSyntaxException.class,
                () -> Templates.compile("{{ trigger.a | 'x' }}"));
        assertTrue(notAFilter.getMessage().contains("Illegal use of '|' operator"), notAFilter.getMessage());
        for (String internal : new String[] {"{{ ''.__class__.__mro__ }}", "{{ trigger.body | attr('x') ~ ''.__doc__ }}",
                "{% if trigger.body.__dict__ %}x{% endif %}"}) {
            TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> Templates.compile(internal));
            assertTrue(e.getMessage().contains("Python internal"), e.getMessage());
        }
        Templates.compile("{{ trigger.body._id }}"); // a single underscore is an ordinary JSON key
        assertThrows(TemplateSyntaxException.class, () -> Templates.compile("{% if 1 %}${trigger.body.x}{% endif %}"));
    }

    @Test
    void shouldFailAnSt2kvLookupWithAReasonWhileThereIsNoDatastore() {
        MissingValueException e = assertThrows(MissingValueException.class,
                () -> text("token {{ st2kv.system.api_token }}", "{}"));
        assertTrue(e.getMessage().contains("st2kv.system.api_token") && e.getMessage().contains("no key-value datastore is given"),
                e.getMessage());
    }

    @Test
    void shouldRenderAValueALookupSuppliesThroughKeyValues() {
        KeyValues store = (scope, key) -> scope.equals("system") && key.equals("app.token") ? Optional.of("s3cr3t")
                : scope.equals("user") && key.equals("config") ? Optional.of("{\"n\": 2}") : Optional.empty();
        TemplateContext context = new TemplateContext(json("{}"), store);
        assertEquals("Bearer s3cr3t / 2", Templates.compile(
                        "Bearer {{ st2kv.system.app.token }} / {{ (st2kv.user.config | from_json_string).n }}")
                .render(context, RenderBudget.standalone()));
        assertThrows(MissingValueException.class,
                () -> Templates.compile("{{ st2kv.system.absent }}").render(context, RenderBudget.standalone()));
    }
}
