package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.el.TypeConvertingMapELResolver;
import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.el.ext.JinjavaListELResolver;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.collections.PyMap;
import com.hubspot.jinjava.util.ForLoop;
import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.Set;
import jinjava.javax.el.ArrayELResolver;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;

/**
 * What an expression may reach: keys of maps, items of lists, a {@code loop}'s counters, filters and tests — nothing of
 * the Java objects behind them. Jinjava's own resolver lets a template read any getter and call any public method
 * ({@code ''.getClass()}, {@code s.repeat(1000000000)}, {@code list.clear()}); this one refuses every property and method
 * that is not on the short list below, and so every future method of a JDK class too.
 */
final class SandboxResolver extends CompositeELResolver {

    /** Python's read-only dict methods, as Jinja templates call them ({@code for k, v in d.items()}). */
    private static final Set<String> MAP_METHODS = Set.of("items", "keys", "values", "get");

    private final JinjavaBeanELResolver beans = new JinjavaBeanELResolver(true);

    SandboxResolver() {
        add(new ArrayELResolver(true));
        add(new JinjavaListELResolver(true));
        add(new TypeConvertingMapELResolver(true));
        add(new Members());
    }

    /** The last resolver: anything the collection resolvers did not take. */
    private final class Members extends ELResolver {

        @Override
        public Object getValue(ELContext context, Object base, Object property) {
            if (base == null) {
                return null;
            }
            context.setPropertyResolved(true);
            if (base instanceof KeyValueLookup lookup) {
                return lookup.child(String.valueOf(property));
            }
            if (base instanceof Filter || base instanceof ExpTest) {
                // Jinjava looks a filter's method up as a property before it calls it; there is nothing to read.
                return null;
            }
            if (base instanceof ForLoop && !"class".equals(property)) {
                return beans.getValue(context, base, property);
            }
            throw new Refused("templates cannot use '" + property + "' of " + describe(base)
                    + ": they read keys of objects and items of lists, and change values with filters (| upper)");
        }

        @Override
        public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
            if (base == null) {
                return null;
            }
            String name = String.valueOf(method);
            boolean allowed = base instanceof Filter && name.equals("filter")
                    || base instanceof ExpTest && (name.equals("evaluate") || name.equals("evaluateNegated"))
                    || base instanceof PyMap && MAP_METHODS.contains(name)
                    || base instanceof ForLoop && name.equals("cycle");
            if (!allowed) {
                throw new Refused("templates cannot call methods: '" + name + "()' on " + describe(base)
                        + " is refused; use a filter such as | upper or | join(',')");
            }
            return beans.invoke(context, base, method, types, params);
        }

        @Override
        public Class<?> getType(ELContext context, Object base, Object property) {
            return null;
        }

        @Override
        public void setValue(ELContext context, Object base, Object property, Object value) {
            throw new Refused("templates cannot change values");
        }

        @Override
        public boolean isReadOnly(ELContext context, Object base, Object property) {
            return true;
        }

        @Override
        public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
            return null;
        }

        @Override
        public Class<?> getCommonPropertyType(ELContext context, Object base) {
            return null;
        }
    }

    /** A value's kind in the user's words; never a Java class name. */
    private static String describe(Object base) {
        if (base instanceof CharSequence) {
            return "a string";
        }
        if (base instanceof Number) {
            return "a number";
        }
        if (base instanceof Boolean) {
            return "a boolean";
        }
        if (base instanceof java.util.Map<?, ?>) {
            return "an object";
        }
        if (base instanceof Iterable<?>) {
            return "a list";
        }
        return "a value";
    }

    /** An expression reached for something the sandbox refuses; the rendering fails with this message. */
    static final class Refused extends ELException {
        Refused(String message) {
            super(message);
        }
    }
}
