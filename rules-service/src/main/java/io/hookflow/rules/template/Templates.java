package io.hookflow.rules.template;

import io.hookflow.rules.template.jinja.JinjaSyntaxException;
import io.hookflow.rules.template.jinja.JinjaTemplate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that decides how a template is rendered. A template whose every placeholder is a path with at most a
 * {@code default(...)} — {@code {{ trigger.body.x }}}, {@code ${trigger.body.x}} — takes the fast path
 * ({@link Template}: no engine, a few hundred nanoseconds). Anything else — filters, expressions, {@code {% %}} blocks,
 * {@code {# #}} comments, {@code st2kv} — is Jinja ({@link JinjaTemplate}, sandboxed).
 */
public final class Templates {

    /** Parsed templates by text: rules render the same few templates for every event. Bounded by clearing. */
    private static final Map<String, RuleTemplate> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 20_000;

    private Templates() {
    }

    /** Whether the text is a template at all; plain text is used as it is. */
    public static boolean isTemplate(String text) {
        return text.contains("{{") || text.contains("${") || text.contains("{%") || text.contains("{#");
    }

    /**
     * Parses a template with the engine it needs.
     *
     * @throws TemplateSyntaxException with where (line and position) when Jinja knows it
     */
    public static RuleTemplate compile(String text) {
        boolean jinjaBlocks = text.contains("{%") || text.contains("{#");
        if (!jinjaBlocks) {
            try {
                return Template.parse(text);
            } catch (TemplateSyntaxException notAPlaceholder) {
                if (text.contains("${")) {
                    // ${...} is the Pact Broker's placeholder, not Jinja: what the fast path said is the problem.
                    throw notAPlaceholder;
                }
            }
        } else if (text.contains("${")) {
            throw new TemplateSyntaxException("'${...}' placeholders cannot be mixed with Jinja blocks: write "
                    + "{{ ... }} instead");
        }
        try {
            return new JinjaRuleTemplate(JinjaTemplate.compile(text));
        } catch (JinjaSyntaxException e) {
            throw new TemplateSyntaxException(e.getMessage(), e.line(), e.position());
        }
    }

    /** As {@link #compile}, remembering the result; for templates already validated (stored rules). */
    public static RuleTemplate cached(String text) {
        RuleTemplate template = CACHE.get(text);
        if (template == null) {
            template = compile(text);
            if (CACHE.size() >= CACHE_LIMIT) {
                CACHE.clear();
            }
            CACHE.put(text, template);
        }
        return template;
    }
}
