package io.hookflow.rules.criteria;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.error.ApiError;
import io.hookflow.rules.action.HttpAction;
import io.hookflow.rules.payload.PathSyntaxException;
import io.hookflow.rules.payload.PayloadPath;
import io.hookflow.rules.payload.PayloadQuery;
import io.hookflow.rules.regex.PythonRegex;
import io.hookflow.rules.template.MissingValueException;
import io.hookflow.rules.template.RenderFailedException;
import io.hookflow.rules.template.Template;
import io.hookflow.rules.template.TemplateSyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/**
 * Random paths, patterns, templates and payloads: the engine may refuse them only with its documented exceptions
 * (PathSyntaxException, TemplateSyntaxException, PatternSyntaxException when parsing; MissingValueException when
 * rendering), never with anything else, and never hangs (a pathological regex is cut off by its budget).
 */
class CriteriaAndTemplateFuzzTest {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String ALPHABET = "abcxyz01 ._-[]'\"{}$|()*+?\\^~/:%\u00e9\u0000";
    static final String[] OPERATORS = {"equals", "eq", "nequals", "iequals", "lessthan", "gt", "matchwildcard", "matchregex",
            "regex", "iregex", "contains", "ncontains", "icontains", "incontains", "startswith", "istartswith", "endswith",
            "iendswith", "timediff_lt", "td_gt", "exists", "nexists", "inside", "nin", "search", "bogus"};
    static final String[] REGEXES = {"(a+)+$", "(a|aa)+b", "([a-z]+)*x", "(.*a){12}", "^(\\w+\\s?)*$", "[", "a{1,100000}",
            "(?P<run>a+)+(?P=run)$", "(?x) ( a | aa )+ b", "(?P<x>a)(?(x)b)", "\\Z(?P=nope)"};
    static final String REGEX_ALPHABET = "a()[]{}?*+|\\^$.,-:<>=!#PZxuU0123456789 ";

    static final long SEED = 20261124L;
    static final int CASES = 3000;
    /**
     * Per case, not for the whole run: a hang is unbounded (an exponential regex over 5,000 characters runs for hours)
     * while a case normally takes well under a millisecond, so 10 s catches a hang with a wide margin on a loaded 2-core
     * machine, where one budget for all cases could be missed by a slow but correct run.
     */
    static final Duration CASE_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void shouldNeverThrowUndocumentedExceptionsNorHang() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            int number = i;
            assertTimeoutPreemptively(CASE_TIMEOUT, () -> fuzzOneCase(random),
                    () -> "case " + number + " (seed " + SEED + ") did not finish: evaluation hung");
        }
    }

    private static void fuzzOneCase(Random random) {
        JsonNode payload = randomValue(random, 0);
        ObjectNode trigger = NODES.objectNode();
        trigger.set("body", payload);
        trigger.set("headers", randomValue(random, 2));
        fuzzPath(random);
        fuzzRegex(random);
        fuzzCriteria(random, trigger);
        fuzzTemplate(random, trigger);
    }

    private static void fuzzPath(Random random) {
        try {
            PayloadPath.parse(randomPath(random)).resolve(randomValue(random, 0));
        } catch (PathSyntaxException expected) {
            // documented
        }
        try {
            PayloadQuery.parse(randomPath(random)).resolve(randomValue(random, 0));
        } catch (PathSyntaxException expected) {
            // documented
        }
    }

    private static void fuzzRegex(Random random) {
        StringBuilder pattern = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            pattern.append(REGEX_ALPHABET.charAt(random.nextInt(REGEX_ALPHABET.length())));
        }
        try {
            PythonRegex.compile(pattern.toString(), 0).pattern().matcher("aa(b)").find();
        } catch (PatternSyntaxException expected) {
            // documented
        }
    }

    private static void fuzzCriteria(Random random, JsonNode trigger) {
        ObjectNode criteria = NODES.objectNode();
        int count = 1 + random.nextInt(3);
        for (int c = 0; c < count; c++) {
            ObjectNode spec = NODES.objectNode();
            String type = OPERATORS[random.nextInt(OPERATORS.length)];
            spec.put("type", type);
            if (type.equals("search")) {
                spec.put("condition", random.nextBoolean() ? "any" : "all2any");
                ObjectNode item = NODES.objectNode();
                item.set("item." + randomText(random, 3), NODES.objectNode().put("type", OPERATORS[random.nextInt(OPERATORS.length)])
                        .set("pattern", randomValue(random, 2)));
                spec.set("pattern", item);
            } else if (type.contains("regex") && random.nextBoolean()) {
                spec.put("pattern", REGEXES[random.nextInt(REGEXES.length)]);
            } else if (random.nextInt(5) > 0) {
                spec.set("pattern", random.nextInt(6) == 0 ? NODES.textNode("{{ " + randomPath(random) + " }}")
                        : randomValue(random, 2));
            }
            criteria.set(random.nextInt(4) == 0 ? randomPath(random) : "trigger.body." + randomText(random, 4), spec);
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria compiled = Criteria.compile(criteria, OperatorRegistry.standard(), "criteria", problems);
        compiled.matches(trigger);
        compiled.firstMismatch(trigger);
        // Values built to defeat a regex: long runs of 'a' without the final character.
        ObjectNode evil = NODES.objectNode();
        evil.set("body", NODES.textNode("a".repeat(5000) + "!"));
        compiled.matches(evil);
    }

    private static void fuzzTemplate(Random random, JsonNode trigger) {
        String text = switch (random.nextInt(4)) {
            case 0 -> randomText(random, 20);
            case 1 -> "https://x.example.com/{{ " + randomPath(random) + " }}?q=${" + randomPath(random) + "}";
            case 2 -> "{{ trigger.body." + randomText(random, 3) + " | default(" + randomText(random, 4) + ") }}";
            default -> "{{" + randomText(random, 6) + "}} ${" + randomText(random, 4);
        };
        try {
            Template template = Template.parse(text);
            template.render(trigger);
            template.renderValue(trigger);
        } catch (TemplateSyntaxException | MissingValueException expected) {
            // documented
        }
        ObjectNode parameters = NODES.objectNode();
        parameters.put("url", random.nextBoolean() ? text : "https://x.example.com/" + text);
        parameters.set("body", randomValue(random, 1));
        parameters.set("headers", NODES.objectNode().put("X-" + random.nextInt(9), text));
        if (HttpAction.check(parameters, "p").isEmpty()) {
            try {
                HttpAction.render(parameters, trigger);
            } catch (RenderFailedException expected) {
                // documented
            }
        }
    }

    private static String randomPath(Random random) {
        StringBuilder path = new StringBuilder(random.nextInt(8) == 0 ? "" : "trigger");
        int depth = random.nextInt(5);
        for (int i = 0; i < depth; i++) {
            switch (random.nextInt(8)) {
                case 0 -> path.append('[').append(random.nextInt(3)).append(']');
                case 5 -> path.append(random.nextBoolean() ? "[*]" : ".*");
                case 6 -> path.append(random.nextBoolean() ? ".." : "[-1]");
                case 7 -> path.append(random.nextBoolean() ? "[0:2]" : "[?(@.a)]");
                case 1 -> path.append(".\"").append(randomText(random, 3)).append('"');
                case 2 -> path.append("['").append(randomText(random, 3)).append("']");
                default -> path.append('.').append(randomText(random, 4));
            }
        }
        return path.toString();
    }

    private static String randomText(Random random, int max) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(max + 1);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(3) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                    : (char) ('a' + random.nextInt(3)));
        }
        return text.toString();
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 9);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(7) - 3);
            case 3 -> NODES.numberNode(random.nextDouble() * 1e6);
            case 4 -> NODES.textNode(random.nextInt(4) == 0 ? "2026-11-24T10:00:00Z" : randomText(random, 12));
            case 5 -> NODES.numberNode(new java.math.BigDecimal("1e" + (random.nextInt(40) - 20)));
            case 6, 7 -> {
                ObjectNode object = NODES.objectNode();
                int fields = random.nextInt(4);
                for (int i = 0; i < fields; i++) {
                    object.set(random.nextBoolean() ? String.valueOf("abc".charAt(random.nextInt(3))) : randomText(random, 4),
                            randomValue(random, depth + 1));
                }
                yield object;
            }
            default -> {
                ArrayNode array = NODES.arrayNode();
                int items = random.nextInt(4);
                for (int i = 0; i < items; i++) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
        };
    }
}
