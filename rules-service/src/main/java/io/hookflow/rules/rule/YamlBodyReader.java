package io.hookflow.rules.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a YAML body (a StackStorm rule file as written in its docs) into the same tree a JSON body gives, as PyYAML
 * (StackStorm's parser) reads it: anchors, aliases and merge keys ({@code <<: *defaults}) resolved. Bounded so that no
 * document can cost more than its size: at most {@value #MAX_ALIASES} aliases to collections, {@value #MAX_DEPTH}
 * levels of nesting, and {@value #MAX_VALUES} values once aliases are expanded (a "billion laughs" document is small
 * but expands without end). The body's size is bounded before it gets here (hookflow.rules.max-rule-size).
 */
@Provider
@Consumes({YamlBodyReader.APPLICATION_YAML, "application/x-yaml", "text/yaml"})
public class YamlBodyReader implements MessageBodyReader<JsonNode> {

    public static final String APPLICATION_YAML = "application/yaml";
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 64;
    static final int MAX_VALUES = 100_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public JsonNode readFrom(Class<JsonNode> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                             MultivaluedMap<String, String> headers, InputStream body) {
        return parse(body);
    }

    /** The document as a JSON tree; a 400 that says what is wrong (and where) for anything else. */
    public static JsonNode parse(InputStream body) {
        Object document;
        try {
            var reader = new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            document = yaml().load(reader);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw ApiException.badRequest("malformed YAML: " + e.getProblem()
                    + (mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)));
        } catch (YAMLException e) {
            // Limits (aliases, nesting, size) and undecodable bytes land here; the message says which.
            String message = e.getMessage() == null ? "unreadable" : e.getMessage();
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                message = "the body is not valid UTF-8";
            }
            throw ApiException.badRequest("YAML refused: " + message);
        }
        if (document == null) {
            throw ApiException.badRequest("the YAML body is empty; a rule is expected");
        }
        return toJson(document, new int[] {0}, 0);
    }

    /** A fresh parser per document: SnakeYAML's Yaml is not thread-safe. */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options);
    }

    private static JsonNode toJson(Object value, int[] count, int depth) {
        if (++count[0] > MAX_VALUES) {
            throw ApiException.badRequest("YAML refused: its aliases expand to more than " + MAX_VALUES + " values");
        }
        if (depth > MAX_DEPTH) {
            throw ApiException.badRequest("YAML refused: nested deeper than " + MAX_DEPTH + " levels once aliases are expanded");
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof BigInteger number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Double number) {
            if (number.isNaN() || number.isInfinite()) {
                throw ApiException.badRequest("YAML refused: " + number + " has no JSON form; quote it to keep it as text");
            }
            return NODES.numberNode(BigDecimal.valueOf(number));
        }
        if (value instanceof Date date) {
            // PyYAML reads an unquoted date as a datetime; StackStorm stores it as ISO-8601 text.
            return NODES.textNode(date.toInstant().atOffset(ZoneOffset.UTC).toString());
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                if (key instanceof Map<?, ?> || key instanceof Collection<?>) {
                    throw ApiException.badRequest("YAML refused: a mapping key must be a scalar, not a collection");
                }
                object.set(key == null ? "null" : String.valueOf(key), toJson(entry.getValue(), count, depth + 1));
            }
            return object;
        }
        if (value instanceof Collection<?> collection) {
            ArrayNode array = NODES.arrayNode(collection.size());
            for (Object element : collection) {
                array.add(toJson(element, count, depth + 1));
            }
            return array;
        }
        throw ApiException.badRequest("YAML refused: a value of a kind JSON cannot hold");
    }
}
