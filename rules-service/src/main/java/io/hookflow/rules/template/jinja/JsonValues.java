package io.hookflow.rules.template.jinja;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import io.hookflow.rules.template.st2.PyText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Between the trigger's JSON and the values templates work with. The trigger is not copied: objects and arrays are
 * read-only views converted as the template reads them (a template that reads one field of a 1 MiB payload converts
 * one field). Back from a template, a value becomes JSON again, so a body field that is one expression keeps its type.
 */
final class JsonValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {
    }

    /** A JSON value as templates see it: maps, lists, strings, numbers, booleans, null. */
    static Object toTemplate(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            return new ObjectView((ObjectNode) node);
        }
        if (node.isArray()) {
            return new ArrayView((ArrayNode) node);
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue() : node.doubleValue();
        }
        return node.asText();
    }

    /** A template's value as JSON: views give back their node, other values are converted. */
    static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof ObjectView view) {
            return view.node;
        }
        if (value instanceof ArrayView view) {
            return view.node;
        }
        if (value instanceof PyMap map) {
            return toJson(map.toMap());
        }
        if (value instanceof PyList list) {
            return toJson(list.toList());
        }
        if (value instanceof String || value instanceof SafeString || value instanceof KeyValueLookup) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long number = ((Number) value).longValue();
            return number == (int) number ? NODES.numberNode((int) number) : NODES.numberNode(number);
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            // JSON has no NaN or infinity: those stay text, as Python would print them.
            return Double.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(PyText.str(value));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, item) -> object.set(PyText.str(key), toJson(item)));
            return object;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(toJson(item)));
            return array;
        }
        if (value instanceof Map.Entry<?, ?> pair) {
            return NODES.arrayNode().add(toJson(pair.getKey())).add(toJson(pair.getValue()));
        }
        return NODES.textNode(PyText.str(value));
    }

    /** A JSON object as a read-only map; printed as Python prints a dict. */
    static final class ObjectView extends AbstractMap<String, Object> {

        private final ObjectNode node;

        ObjectView(ObjectNode node) {
            this.node = node;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String name ? toTemplate(node.get(name)) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && node.has(name);
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, JsonNode>> fields = node.fields();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return fields.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, JsonNode> field = fields.next();
                            return new SimpleImmutableEntry<>(field.getKey(), toTemplate(field.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return node.size();
                }
            };
        }

        @Override
        public String toString() {
            return PyText.repr(this);
        }
    }

    /** A JSON array as a read-only list; printed as Python prints a list. */
    static final class ArrayView extends AbstractList<Object> {

        private final ArrayNode node;

        ArrayView(ArrayNode node) {
            this.node = node;
        }

        @Override
        public Object get(int index) {
            return toTemplate(node.get(index));
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public String toString() {
            return PyText.repr(this);
        }
    }
}
