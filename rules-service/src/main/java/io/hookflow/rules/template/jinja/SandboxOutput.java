package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.EscapeFilter;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import io.hookflow.rules.template.st2.PyText;

/**
 * How {@code {{ value }}} is printed: as Python's {@code str()} (what StackStorm prints: {@code True}, {@code ['a']}),
 * never rendered again as a template (a trigger value holding <code>{{ ... }}</code> stays text), and marked for the url
 * encoder when the rendering asks for it. Installed through the execution mode, so every parsed template uses it.
 */
final class SandboxOutput implements ExpressionStrategy, ExecutionMode {

    static final SandboxOutput INSTANCE = new SandboxOutput();
    private static final long serialVersionUID = 1L;

    private SandboxOutput() {
    }

    @Override
    public void prepareContext(Context context) {
        context.setExpressionStrategy(this);
    }

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        boolean safe = value instanceof SafeString;
        String text = safe ? value.toString() : PyText.str(value);
        if (interpreter.getContext().isAutoEscape() && !safe) {
            text = EscapeFilter.escapeHtmlEntities(text);
        }
        if (interpreter instanceof SandboxInterpreter sandbox) {
            text = sandbox.printed(text, safe);
        }
        return new RenderedOutputNode(text);
    }
}
