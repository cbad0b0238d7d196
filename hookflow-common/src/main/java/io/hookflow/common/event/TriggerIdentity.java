package io.hookflow.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What makes two triggers the same, as in StackStorm: the type and the parameters together. A rule on
 * {@code core.st2.webhook} with {@code {url: hook}} listens to the webhook at {@code hook} and to no other url; a rule
 * without parameters listens to the parameterless trigger of its type. One definition, used by ingest when it dispatches
 * and by rules-service when it files and matches rules.
 */
public final class TriggerIdentity {

    private TriggerIdentity() {
    }

    /** StackStorm ignores leading and trailing '/': {@code /sample/}, {@code sample/} and {@code sample} are one url. */
    public static String normaliseWebhookUrl(String url) {
        int start = 0;
        int end = url.length();
        while (start < end && url.charAt(start) == '/') {
            start++;
        }
        while (end > start && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(start, end);
    }

    /**
     * A canonical text for a trigger's parameters: empty for none or {}, else JSON-like text with object keys sorted and
     * a webhook url normalised, so equal parameters always give equal keys whatever order or slashes they were written
     * with.
     */
    public static String parametersKey(String triggerType, JsonNode parameters) {
        if (parameters == null || parameters.isNull() || parameters.isMissingNode()
                || (parameters.isObject() && parameters.isEmpty())) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (TriggerEvent.WEBHOOK_TRIGGER.equals(triggerType) && parameters.isObject() && parameters.path("url").isTextual()) {
            // Only the url names a webhook; write it normalised and the rest as given.
            out.append("{\"url\":");
            appendString(out, normaliseWebhookUrl(parameters.get("url").textValue()));
            List<String> names = sortedNames(parameters);
            for (String name : names) {
                if (!name.equals("url")) {
                    out.append(',');
                    appendString(out, name);
                    out.append(':');
                    append(out, parameters.get(name));
                }
            }
            return out.append('}').toString();
        }
        append(out, parameters);
        return out.toString();
    }

    private static void append(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (String name : sortedNames(node)) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(out, name);
                out.append(':');
                append(out, node.get(name));
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, node.get(i));
            }
            out.append(']');
        } else if (node.isTextual()) {
            appendString(out, node.textValue());
        } else {
            out.append(node.toString());
        }
    }

    private static List<String> sortedNames(JsonNode object) {
        List<String> names = new ArrayList<>(object.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            names.add(it.next().getKey());
        }
        names.sort(null);
        return names;
    }

    private static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }
}
