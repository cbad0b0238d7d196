package io.hookflow.rules.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hookflow.rules.payload.PathSyntaxException;
import io.hookflow.rules.payload.PayloadPath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fast path: a string whose placeholders only read the trigger instance, StackStorm/Jinja style
 * {@code {{ trigger.body.x }}}, with an optional fallback {@code {{ trigger.body.x | default('n/a') }}}, and Pact Broker
 * style {@code ${trigger.body.x}}. Parsed once; rendered per trigger instance without a template engine.
 * {@link Templates#compile} sends every other template to Jinja.
 */
public final class Template implements RuleTemplate {

    private static final Pattern DEFAULT_FILTER = Pattern.compile("default\\s*\\(\\s*(.*?)\\s*\\)");
    private static final String ROOT = "trigger";

    private final String source;
    private final List<Object> parts;

    private Template(String source, List<Object> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** One placeholder: where to read, and what to use when nothing is there (null = the value is required). */
    record Placeholder(String text, PayloadPath path, JsonNode fallback) {
    }

    public static Template parse(String text) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("{{", i)) {
                int end = text.indexOf("}}", i + 2);
                if (end < 0) {
                    throw new TemplateSyntaxException("'{{' at position " + i + " is never closed with '}}'");
                }
                flush(literal, parts);
                parts.add(placeholder(text.substring(i + 2, end), true));
                i = end + 2;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new TemplateSyntaxException("'${' at position " + i + " is never closed with '}'");
                }
                flush(literal, parts);
                parts.add(placeholder(text.substring(i + 2, end), false));
                i = end + 1;
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        flush(literal, parts);
        return new Template(text, parts);
    }

    /** Whether the text has any placeholder the fast path knows; {@link Templates#isTemplate} knows them all. */
    public static boolean hasPlaceholders(String text) {
        return text.contains("{{") || text.contains("${");
    }

    /** The text with each placeholder replaced by its value as text. */
    public String render(JsonNode trigger) {
        return render(trigger, (value, renderedSoFar) -> value, UNBOUNDED);
    }

    /** As {@link #render(JsonNode)}, failing once the text outgrows what the budget has left. */
    public String render(JsonNode trigger, RenderBudget budget) {
        return render(trigger, (value, renderedSoFar) -> value, budget);
    }

    /**
     * Renders with a per-placeholder encoder that also sees the text rendered so far (e.g. to know if it is in a query).
     * The text is checked against the budget as it grows but not charged to it: the caller charges what it keeps.
     */
    public String render(JsonNode trigger, Encoder encoder, RenderBudget budget) {
        if (encoder == null) {
            encoder = (value, renderedSoFar) -> value;
        }
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                // One value's text is bounded by the event it comes from (ingest takes 1 MiB); the check after it bounds
                // how many times it may be repeated.
                out.append(encoder.encode(asText(valueOf(placeholder, trigger)), out));
            } else {
                out.append((String) part);
            }
            budget.check(out.length());
        }
        return out.toString();
    }

    private static final RenderBudget UNBOUNDED = new RenderBudget(Long.MAX_VALUE);

    @Override
    public String render(TemplateContext context, Encoder encoder, RenderBudget budget) {
        return render(context.trigger(), encoder, budget);
    }

    @Override
    public JsonNode renderValue(TemplateContext context, RenderBudget budget) {
        return renderValue(context.trigger(), budget);
    }

    /**
     * A template that is exactly one placeholder renders to the value itself, so {@code "{{ trigger.body.items }}"} in a
     * JSON body stays an array; anything else renders to text.
     */
    @Override
    public JsonNode renderValue(JsonNode trigger) {
        return renderValue(trigger, UNBOUNDED);
    }

    /** As {@link #renderValue(JsonNode)}, with text output bounded by the budget. */
    public JsonNode renderValue(JsonNode trigger, RenderBudget budget) {
        if (parts.size() == 1 && parts.get(0) instanceof Placeholder placeholder) {
            return valueOf(placeholder, trigger);
        }
        return TextNode.valueOf(render(trigger, budget));
    }

    @Override
    public String toString() {
        return source;
    }

    private static JsonNode valueOf(Placeholder placeholder, JsonNode trigger) {
        JsonNode value = placeholder.path().resolve(trigger);
        if (value != null) {
            return value;
        }
        if (placeholder.fallback() != null) {
            return placeholder.fallback();
        }
        throw new MissingValueException(placeholder.path() + " is not in the trigger instance (placeholder '"
                + placeholder.text().strip() + "'); give a fallback with | default('...')");
    }

    static String asText(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static Placeholder placeholder(String expression, boolean filtersAllowed) {
        String[] pieces = expression.split("\\|", -1);
        String pathText = pieces[0].strip();
        if (pathText.isEmpty()) {
            throw new TemplateSyntaxException("empty placeholder '" + expression + "'");
        }
        PayloadPath path;
        try {
            path = PayloadPath.parse(pathText);
        } catch (PathSyntaxException e) {
            throw new TemplateSyntaxException("invalid path in '" + expression.strip() + "': " + e.getMessage());
        }
        if (!ROOT.equals(path.root())) {
            throw new TemplateSyntaxException("placeholders read the trigger instance: write 'trigger." + pathText
                    + "' instead of '" + pathText + "'");
        }
        JsonNode fallback = null;
        for (int i = 1; i < pieces.length; i++) {
            String filter = pieces[i].strip();
            Matcher matcher = DEFAULT_FILTER.matcher(filter);
            if (!filtersAllowed || !matcher.matches()) {
                throw new TemplateSyntaxException("unsupported filter '" + filter + "' in '" + expression.strip()
                        + "'; the one filter is default('...')");
            }
            fallback = literal(matcher.group(1), expression);
        }
        return new Placeholder(expression, path, fallback);
    }

    /** A Jinja literal: a quoted string, a number, true/false or none. */
    private static JsonNode literal(String text, String expression) {
        if (text.length() >= 2 && (text.charAt(0) == '\'' || text.charAt(0) == '"')
                && text.charAt(text.length() - 1) == text.charAt(0)) {
            return TextNode.valueOf(text.substring(1, text.length() - 1));
        }
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return BooleanNode.TRUE;
            case "false":
                return BooleanNode.FALSE;
            case "none":
            case "null":
                return NullNode.instance;
            default:
                try {
                    return DecimalNode.valueOf(new BigDecimal(text));
                } catch (NumberFormatException e) {
                    throw new TemplateSyntaxException("default(...) takes a quoted string, a number, true, false or none; got '"
                            + text + "' in '" + expression.strip() + "'");
                }
        }
    }

    private static void flush(StringBuilder literal, List<Object> parts) {
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
            literal.setLength(0);
        }
    }
}
