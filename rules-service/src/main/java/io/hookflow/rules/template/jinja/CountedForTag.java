package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.TagNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code {% for %}} that counts its iterations against the rendering's limit before it runs, so nested loops over
 * {@code range()} cannot multiply into billions of steps.
 */
final class CountedForTag extends ForTag {

    private static final long serialVersionUID = 1L;

    @Override
    public String renderForCollection(TagNode tagNode, JinjavaInterpreter interpreter, List<String> loopVars,
                                      Object collection) {
        SandboxInterpreter.limitsOf(interpreter).chargeIterations(sizeOf(collection));
        return super.renderForCollection(tagNode, interpreter, loopVars, collection);
    }

    private static long sizeOf(Object collection) {
        if (collection instanceof Collection<?> items) {
            return items.size();
        }
        if (collection instanceof Map<?, ?> map) {
            return map.size();
        }
        if (collection instanceof Object[] array) {
            return array.length;
        }
        if (collection instanceof CharSequence text) {
            return text.length();
        }
        return 1;
    }
}
