package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

/**
 * The interpreter of one rendering: it carries the rendering's limits to the places that check them (each node, each
 * loop) and, for a url, marks each printed value so it can be encoded for where it lands once the text is complete.
 */
final class SandboxInterpreter extends JinjavaInterpreter {

    /** Around each printed value of a marked rendering: Unicode noncharacters, never meaningful text. */
    static final char VALUE_START = '\uFDD0';
    static final char VALUE_END = '\uFDD1';

    private final RenderLimits limits;
    private final boolean markValues;

    SandboxInterpreter(Jinjava application, Context context, JinjavaConfig config, RenderLimits limits,
                       boolean markValues) {
        super(application, context, config);
        this.limits = limits;
        this.markValues = markValues;
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
