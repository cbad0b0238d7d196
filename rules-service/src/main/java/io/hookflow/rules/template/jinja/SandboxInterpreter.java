package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

/**
 * The interpreter of a rendering: it carries the rendering's limits to the places that check them (each node, each
 * loop) and, for a url, marks each printed value so it can be encoded for where it lands once the text is complete.
 * Making one costs more than most renderings (a context, an expression resolver, the function table), so each thread
 * keeps one and {@link #prepare}s it for every rendering: bindings, errors and limits of the previous one are gone.
 */
final class SandboxInterpreter extends JinjavaInterpreter {

    /** Around each printed value of a marked rendering: Unicode noncharacters, never meaningful text. */
    static final char VALUE_START = '\uFDD0';
    static final char VALUE_END = '\uFDD1';

    private RenderLimits limits;
    private boolean markValues;
    private boolean busy;

    SandboxInterpreter(Jinjava application, Context context, JinjavaConfig config, RenderLimits limits,
                       boolean markValues) {
        super(application, context, config);
        this.limits = limits;
        this.markValues = markValues;
    }

    /** Whether a rendering is using this interpreter now (then another rendering on the thread needs its own). */
    boolean busy() {
        return busy;
    }

    /** Ready for a rendering: only these bindings, no errors, these limits. */
    void prepare(java.util.Map<String, Object> bindings, RenderLimits limits, boolean markValues) {
        while (!getErrors().isEmpty()) {
            removeLastError();
        }
        Context context = getContext();
        context.clear();
        context.putAll(bindings);
        context.reset();
        context.setAutoEscape(null);
        this.limits = limits;
        this.markValues = markValues;
        this.busy = true;
    }

    /** The rendering is over; what it left is cleared by the next {@link #prepare}. */
    void release() {
        busy = false;
    }

    RenderLimits limits() {
        return limits;
    }

    /** The text of a printed value as it goes into the output; {@code safe} values (| safe, | urlencode) go as is. */
    String printed(String text, boolean safe) {
        if (!markValues || safe) {
            return text;
        }
        return VALUE_START + text.replace(VALUE_START, '\uFFFD').replace(VALUE_END, '\uFFFD') + VALUE_END;
    }

    /** The limits of the rendering {@code interpreter} belongs to; any other interpreter is refused, not trusted. */
    static RenderLimits limitsOf(JinjavaInterpreter interpreter) {
        if (interpreter instanceof SandboxInterpreter sandbox) {
            return sandbox.limits;
        }
        throw new JinjaRenderException(JinjaRenderException.Kind.LIMIT, "template rendered outside its sandbox");
    }
}
