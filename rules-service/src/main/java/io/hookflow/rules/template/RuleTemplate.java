package io.hookflow.rules.template;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed template of a rule, rendered per trigger instance. {@link Templates#compile} chooses the implementation:
 * {@link Template} for plain placeholders, Jinja for everything else.
 */
public interface RuleTemplate {

    /**
     * The text for one trigger instance. The text is checked against the budget as it grows but not charged to it:
     * the caller charges what it keeps.
     *
     * @param encoder when not null, how each value is written where it lands (it sees the text before it)
     * @throws MissingValueException              when a value is missing and has no default
     * @throws RenderFailedException              when the template fails otherwise (filters, sandbox limits)
     * @throws RenderBudget.TooLargeException     when the text outgrows the budget
     */
    String render(TemplateContext context, Encoder encoder, RenderBudget budget);

    /** As {@link #render(TemplateContext, Encoder, RenderBudget)} without encoding. */
    default String render(TemplateContext context, RenderBudget budget) {
        return render(context, null, budget);
    }

    /**
     * The value for one trigger instance: a template that is one expression keeps the value's JSON type (so
     * {@code "{{ trigger.body.items }}"} in a JSON body stays an array); anything else is text.
     */
    JsonNode renderValue(TemplateContext context, RenderBudget budget);

    /** As {@link #renderValue(TemplateContext, RenderBudget)} for a criteria pattern: the trigger alone, bounded. */
    default JsonNode renderValue(JsonNode trigger) {
        return renderValue(TemplateContext.of(trigger), RenderBudget.standalone());
    }

    /** Chooses how a value is written at a point of the output. */
    @FunctionalInterface
    interface Encoder {
        String encode(String value, CharSequence renderedSoFar);
    }
}
