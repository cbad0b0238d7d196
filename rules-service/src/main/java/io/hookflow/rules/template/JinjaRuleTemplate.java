package io.hookflow.rules.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.rules.template.jinja.JinjaRenderException;
import io.hookflow.rules.template.jinja.KeyValueLookup;
import io.hookflow.rules.template.jinja.JinjaTemplate;
import io.hookflow.rules.template.st2.StackStormFilters;

/** A rule template that Jinja renders: the sandboxed engine's outcomes in the terms the rest of rules-service uses. */
final class JinjaRuleTemplate implements RuleTemplate {

    private final JinjaTemplate jinja;

    JinjaRuleTemplate(JinjaTemplate jinja) {
        this.jinja = jinja;
    }

    @Override
    public String render(TemplateContext context, Encoder encoder, RenderBudget budget) {
        String text;
        try {
            text = jinja.render(context.trigger(), source(context.keyValues()), budget.jinja(),
                    encoder == null ? null : encoder::encode);
        } catch (JinjaRenderException e) {
            throw translate(e, budget);
        }
        budget.check(text.length());
        // StackStorm turns a parameter rendered to use_none's marker into None; text has no None but nothing.
        return text.equals(StackStormFilters.NONE_MAGIC_VALUE) ? "" : text;
    }

    @Override
    public JsonNode renderValue(TemplateContext context, RenderBudget budget) {
        JsonNode value;
        try {
            value = jinja.renderValue(context.trigger(), source(context.keyValues()), budget.jinja());
        } catch (JinjaRenderException e) {
            throw translate(e, budget);
        }
        if (value.isTextual()) {
            budget.check(value.textValue().length());
        }
        return value;
    }

    private static KeyValueLookup.Source source(KeyValues keys) {
        return new KeyValueLookup.Source() {
            @Override
            public java.util.Optional<String> find(String scope, String key) {
                return keys.find(scope, key);
            }

            @Override
            public String seal(String value) {
                return keys.seal(value);
            }
        };
    }

    private static RuntimeException translate(JinjaRenderException e, RenderBudget budget) {
        return switch (e.kind()) {
            case UNDEFINED -> new MissingValueException(e.getMessage());
            case TOO_LARGE -> new RenderBudget.TooLargeException(budget.limit());
            case LIMIT, FAILED -> new RenderFailedException(e.getMessage());
        };
    }

    @Override
    public String toString() {
        return jinja.toString();
    }
}
