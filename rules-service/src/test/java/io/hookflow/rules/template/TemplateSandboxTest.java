package io.hookflow.rules.template;

import static io.hookflow.rules.template.Render.json;
import static io.hookflow.rules.template.Render.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A rule's template cannot reach Java, hang rules-service or fill its memory. */
class TemplateSandboxTest {

    private static final String BODY = "{\"s\": \"hello\", \"tags\": [\"a\", \"b\"], \"m\": {\"k\": \"v\"}}";

    private static String refusal(String template) {
        RenderFailedException e = assertThrows(RenderFailedException.class, () -> text(template, BODY));
        return e.getMessage();
    }

    @Test
    void shouldRefuseReachingTheJavaClassOfAValue() {
        assertTrue(refusal("{{ ''.getClass() }}").contains("templates cannot use 'getClass'"));
        assertTrue(refusal("{{ trigger.body.s.class | string }}").contains("'class'"));
        assertTrue(refusal("{{ trigger.body.s.getClass().forName('java.lang.Runtime') }}").contains("getClass"));
        // On an object, 'class' is just a key it does not have.
        assertThrows(MissingValueException.class, () -> text("{{ trigger.body.m.class }}{# jinja #}", BODY));
    }

    @Test
    void shouldRefuseCallingJavaMethods() {
        assertTrue(refusal("{{ trigger.body.s.repeat(1000000000) }}{# #}").contains("'repeat'"));
        assertTrue(refusal("{{ trigger.body.s.toUpperCase() }}{# #}").contains("'toUpperCase'"));
        assertTrue(refusal("{% do trigger.body.tags.clear() %}{{ trigger.body.tags }}").contains("'clear'"));
        assertTrue(refusal("{% do trigger.body.m.update({'k': 'x'}) %}").contains("'update()'"));
        assertTrue(refusal("{{ trigger.body.s.bytes | length }}").contains("'bytes'"));
    }

    @Test
    void shouldRefuseLoadingOtherTemplatesAndJinjavaExtras() {
        assertThrows(TemplateSyntaxException.class, () -> Templates.compile("{% include 'application.properties' %}"));
        assertThrows(TemplateSyntaxException.class, () -> Templates.compile("{{ 'x' | render }}"));
        assertThrows(TemplateSyntaxException.class, () -> Templates.compile("{{ [1, 2] | shuffle }}"));
        assertThrows(RuntimeException.class, () -> text("{{ today() }}", BODY));
    }

    @Test
    void shouldStopLoopsPastTheIterationLimit() {
        String nested = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}done";
        RenderFailedException e = assertThrows(RenderFailedException.class, () -> text(nested, BODY));
        assertTrue(e.getMessage().contains("max-loop-iterations"), e.getMessage());
        assertEquals("done", text("{% for a in range(100) %}{% for b in range(100) %}{% endfor %}{% endfor %}done", BODY));
    }

    @Test
    void shouldStopARenderingThatRunsPastItsTime() {
        // A clock that moves 10 ms each time it is read: the rendering reads it at each node it renders.
        AtomicLong now = new AtomicLong();
        RenderBudget budget = new RenderBudget(1_000_000, Duration.ofMillis(100), 1_000_000,
                () -> now.addAndGet(Duration.ofMillis(10).toNanos()));
        RuleTemplate template = Templates.compile("{% for i in range(1000) %}{{ i }}{% endfor %}");
        RenderFailedException e = assertThrows(RenderFailedException.class,
                () -> template.render(TemplateContext.of(json("{}")), budget));
        assertTrue(e.getMessage().contains("took too long") && e.getMessage().contains("max-render-time"), e.getMessage());
    }

    @Test
    void shouldBoundTheOutputWhileItIsProduced() {
        RenderBudget budget = new RenderBudget(10_000);
        RuleTemplate loop = Templates.compile("{% for i in range(1000) %}{{ trigger.body.big }}{% endfor %}");
        assertThrows(RenderBudget.TooLargeException.class, () -> loop.render(
                TemplateContext.of(json("{\"body\": {\"big\": \"" + "x".repeat(1000) + "\"}}")), budget));
    }

    @Test
    void shouldRefuseFiltersAskedForAHugeResultBeforeBuildingIt() {
        assertTrue(refusal("{{ trigger.body.s | center(2000000000) }}").contains("would exceed"));
        assertTrue(refusal("{{ trigger.body.s | indent(2000000000) }}").contains("would exceed"));
        assertTrue(refusal("{{ '%0999999999d' | format(1) }}").contains("would exceed"));
        assertTrue(refusal("{{ trigger.body.tags | batch(2000000000, 'x') | list }}").contains("would exceed"));
        RenderBudget small = new RenderBudget(1000);
        assertThrows(RuntimeException.class, () -> Templates.compile("{{ trigger.body.s | replace('x', trigger.body.s) }}")
                .render(TemplateContext.of(json("{\"body\": {\"s\": \"" + "x".repeat(900) + "\"}}")), small));
    }
}
