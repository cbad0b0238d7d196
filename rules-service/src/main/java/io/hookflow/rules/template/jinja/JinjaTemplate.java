package io.hookflow.rules.template.jinja;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.TextNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import io.hookflow.rules.template.st2.StackStormFilters;
import java.util.HashMap;
import java.util.Map;
import jinjava.de.odysseus.el.tree.IdentifierNode;
import jinjava.de.odysseus.el.tree.Tree;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.javax.el.ELException;

/**
 * A Jinja template, parsed and checked once (syntax, every expression, every filter and test name), rendered per
 * trigger instance in the sandbox. Thread-safe: the parsed tree is only read while rendering.
 */
public final class JinjaTemplate {

    private static final String FILTER = "filter:";
    private static final String TEST = "exptest:";

    private final String source;
    private final Node root;
    /** The expression when the whole template is one {@code {{ ... }}}: its value keeps its JSON type. */
    private final String singleExpression;
    private final int singleExpressionLine;

    private JinjaTemplate(String source, Node root) {
        this.source = source;
        this.root = root;
        Node only = root.getChildren().size() == 1 ? root.getChildren().getFirst() : null;
        boolean single = only instanceof ExpressionNode && source.strip().startsWith("{{") && source.strip().endsWith("}}");
        this.singleExpression = single ? ((ExpressionToken) only.getMaster()).getExpr() : null;
        this.singleExpressionLine = single ? only.getLineNumber() : 0;
    }

    /**
     * Parses and checks a template.
     *
     * @throws JinjaSyntaxException with the line and position of the first problem
     */
    public static JinjaTemplate compile(String source) {
        String text = JinjaSource.prepare(source);
        JinjavaInterpreter parser = JinjaEngine.INSTANCE.parser();
        JinjavaInterpreter.pushCurrent(parser);
        try {
            Node root = parser.parse(text);
            for (TemplateError error : parser.getErrors()) {
                if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                    throw new JinjaSyntaxException(error.getMessage(), error.getLineno(), error.getStartPosition());
                }
            }
            checkExpressions(root);
            return new JinjaTemplate(source, root);
        } finally {
            JinjavaInterpreter.popCurrent();
            JinjaEngine.INSTANCE.afterParsing();
        }
    }

    public boolean isSingleExpression() {
        return singleExpression != null;
    }

    /**
     * The template's text for a trigger instance.
     *
     * @param encoder when not null, each printed value is passed through it with the text before it (for a url)
     * @throws JinjaRenderException when a value is undefined, a limit is reached or a filter fails
     */
    public String render(JsonNode trigger, KeyValueLookup.Source keys, RenderLimits limits, ValueEncoder encoder) {
        return inSandbox(trigger, keys, limits, encoder != null, interpreter -> {
            String output = interpreter.render(root, false);
            failOnErrors(interpreter);
            return encoder == null ? output : encodeValues(output, encoder);
        });
    }

    /**
     * The template's value: the expression's own value as JSON when the template is exactly one {@code {{ ... }}}
     * (StackStorm's {@code use_none} gives null), otherwise the rendered text.
     */
    public JsonNode renderValue(JsonNode trigger, KeyValueLookup.Source keys, RenderLimits limits) {
        if (singleExpression == null) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(render(trigger, keys, limits, null));
        }
        return inSandbox(trigger, keys, limits, false, interpreter -> {
            limits.checkTime();
            Object value = interpreter.resolveELExpression(singleExpression, singleExpressionLine);
            failOnErrors(interpreter);
            if (StackStormFilters.NONE_MAGIC_VALUE.equals(value)) {
                return com.fasterxml.jackson.databind.node.NullNode.getInstance();
            }
            return JsonValues.toJson(value);
        });
    }

    /** Runs {@code work} with an interpreter of this rendering, turning whatever fails into a JinjaRenderException. */
    private static <T> T inSandbox(JsonNode trigger, KeyValueLookup.Source keys, RenderLimits limits, boolean markValues,
                                   java.util.function.Function<SandboxInterpreter, T> work) {
        SandboxInterpreter interpreter = JinjaEngine.INSTANCE.interpreter(bindings(trigger, keys), limits, markValues);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            return work.apply(interpreter);
        } catch (JinjaRenderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(e, interpreter);
        } finally {
            JinjavaInterpreter.popCurrent();
            JinjaEngine.INSTANCE.afterRendering(interpreter);
        }
    }

    @Override
    public String toString() {
        return source;
    }

    private static Map<String, Object> bindings(JsonNode trigger, KeyValueLookup.Source keys) {
        Map<String, Object> bindings = new HashMap<>(4);
        bindings.put("trigger", JsonValues.toTemplate(trigger));
        bindings.put("st2kv", KeyValueLookup.binding(keys));
        return bindings;
    }

    /** Each marked value through the encoder, which sees the output before it as the reader will (already encoded). */
    private static String encodeValues(String output, ValueEncoder encoder) {
        StringBuilder out = new StringBuilder(output.length());
        int i = 0;
        while (i < output.length()) {
            int start = output.indexOf(SandboxInterpreter.VALUE_START, i);
            if (start < 0) {
                out.append(output, i, output.length());
                break;
            }
            int end = output.indexOf(SandboxInterpreter.VALUE_END, start + 1);
            if (end < 0) {
                end = output.length();
            }
            out.append(output, i, start);
            String value = output.substring(start + 1, end)
                    .replace(String.valueOf(SandboxInterpreter.VALUE_START), "");
            out.append(encoder.encode(value, out));
            i = end + 1;
        }
        return out.toString();
    }

    /** The first error that stops the rendering; warnings (such as a value Jinja could not coerce) do not. */
    private static void failOnErrors(JinjavaInterpreter interpreter) {
        for (TemplateError error : interpreter.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                JinjaRenderException ours = ours(error.getException());
                if (ours != null) {
                    throw ours;
                }
                throw failure(error.getReason() == TemplateError.ErrorReason.OUTPUT_TOO_BIG
                        ? JinjaRenderException.Kind.TOO_LARGE : JinjaRenderException.Kind.FAILED,
                        error.getMessage(), error.getLineno());
            }
        }
    }

    private static RuntimeException translate(RuntimeException thrown, JinjavaInterpreter interpreter) {
        JinjaRenderException ours = ours(thrown);
        if (ours != null) {
            return ours;
        }
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownTokenException unknown) {
                return failure(JinjaRenderException.Kind.UNDEFINED, "'" + unknown.getToken()
                        + "' is undefined: the trigger instance has no such value (or it is null); give a fallback"
                        + " with | default('...') or test it with 'is defined'", unknown.getLineNumber());
            }
        }
        return failure(JinjaRenderException.Kind.FAILED, thrown.getMessage(), interpreter.getLineNumber());
    }

    private static JinjaRenderException ours(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof JinjaRenderException ours) {
                return ours;
            }
        }
        return null;
    }

    private static JinjaRenderException failure(JinjaRenderException.Kind kind, String message, int line) {
        String text = message == null ? "the template failed" : message.replace("\n", " ");
        return new JinjaRenderException(kind, "template error" + (line > 0 ? " at line " + line : "") + ": " + text);
    }

    /**
     * Jinjava parses an expression only when it renders it; a rule's templates are checked when it is saved, so each
     * expression (in {@code {{ }}} and in {@code if}, {@code elif}, {@code for}, {@code set}) is parsed here, and its
     * filters and tests must exist.
     */
    private static void checkExpressions(Node node) {
        for (Node child : node.getChildren()) {
            if (child instanceof TextNode text) {
                checkText(text);
            } else if (child instanceof TagNode raw && raw.getName().equals("raw")) {
                continue;
            } else if (child instanceof ExpressionNode) {
                checkExpression(((ExpressionToken) child.getMaster()).getExpr(), child);
            } else if (child instanceof TagNode tag) {
                String expression = tagExpression(tag);
                if (expression != null) {
                    checkExpression(expression, tag);
                }
            }
            checkExpressions(child);
        }
    }

    /** Jinjava keeps an unclosed {@code {{} as text; Jinja refuses it, and so do we. */
    private static void checkText(TextNode text) {
        String image = text.getMaster().getImage();
        for (String start : new String[] {"{{", "{%", "{#"}) {
            if (image.contains(start)) {
                throw new JinjaSyntaxException("'" + start + "' is never closed", text.getLineNumber(),
                        text.getStartPosition());
            }
        }
    }

    private static String tagExpression(TagNode tag) {
        String helpers = tag.getHelpers() == null ? "" : tag.getHelpers().strip();
        switch (tag.getName()) {
            case "if", "elif", "unless":
                return helpers;
            case "for": {
                int in = (helpers + " ").indexOf(" in ");
                String list = in < 0 ? "" : (helpers + " ").substring(in + 4).strip();
                if (list.isEmpty()) {
                    throw new JinjaSyntaxException("a for loop reads '{% for x in <list> %}'", tag.getLineNumber(),
                            tag.getStartPosition());
                }
                return list;
            }
            case "set": {
                int equals = helpers.indexOf('=');
                return equals < 0 ? null : helpers.substring(equals + 1);
            }
            default:
                return null;
        }
    }

    /** A dunder name after a dot or in a subscript: Python's internals, which templates never need. */
    private static final java.util.regex.Pattern PYTHON_INTERNAL = java.util.regex.Pattern.compile("(\\.|\\[\\s*['\"])\\s*__");

    private static void checkExpression(String expression, Node at) {
        // The sandbox refuses such access at render time too; refusing it at save tells the author at once.
        if (PYTHON_INTERNAL.matcher(expression).find()) {
            throw new JinjaSyntaxException("'" + expression.strip() + "' reaches for a Python internal (a name starting "
                    + "with '__'); templates read values only", at.getLineNumber(), at.getStartPosition());
        }
        Tree tree;
        try {
            // The features Jinjava's expression factory parses with (JUEL's default profile).
            tree = new ExtendedSyntaxBuilder(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS)
                    .build("#{" + expression + "}");
        } catch (ELException e) {
            // A TreeBuilderException (a syntax error), or one of Jinjava's own rules ("Illegal use of '|' operator").
            String detail = String.valueOf(e.getMessage());
            int cut = detail.indexOf("': ");
            throw new JinjaSyntaxException("invalid expression '" + expression.strip() + "': "
                    + (cut >= 0 ? detail.substring(cut + 3) : detail), at.getLineNumber(), at.getStartPosition());
        }
        for (IdentifierNode identifier : tree.getIdentifierNodes()) {
            String name = identifier.getName();
            if (name.startsWith(FILTER) && JinjaEngine.INSTANCE.filter(name.substring(FILTER.length())) == null) {
                throw new JinjaSyntaxException("unknown filter '" + name.substring(FILTER.length()) + "' in '"
                        + expression.strip() + "'", at.getLineNumber(), at.getStartPosition());
            }
            if (name.startsWith(TEST) && JinjaEngine.INSTANCE.test(name.substring(TEST.length())) == null) {
                throw new JinjaSyntaxException("unknown test '" + name.substring(TEST.length()) + "' in '"
                        + expression.strip() + "'", at.getLineNumber(), at.getStartPosition());
            }
        }
    }

    /** Encodes a printed value for where it lands, given the output before it. */
    @FunctionalInterface
    public interface ValueEncoder {
        String encode(String value, CharSequence renderedSoFar);
    }
}
