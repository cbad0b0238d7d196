package io.hookflow.ingest.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.json.LoneSurrogates;
import io.hookflow.ingest.config.IngestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a raw webhook body into JSON: {@code application/json} as is, {@code application/x-www-form-urlencoded} as an
 * object whose repeated keys become arrays. Every refusal tells the sender what to fix.
 */
@ApplicationScoped
public class WebhookBody {

    public static final MediaType FORM = MediaType.APPLICATION_FORM_URLENCODED_TYPE;

    private final ObjectMapper mapper;
    private final int maxDepth;

    WebhookBody(IngestConfig config) {
        this.maxDepth = config.maxJsonDepth();
        // A mapper of our own: the nesting limit must hold for webhook bodies without constraining the REST layer.
        // Trailing content ("{...}}") means the sender's document is not what we would store: refuse it.
        this.mapper = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /**
     * The raw bytes of the request body, as {@code IngestRouter}'s size-limited BodyHandler collected them. Resources
     * take the body from here rather than as an entity parameter, so it is read once, never past the limit.
     */
    public static byte[] raw(RoutingContext context) {
        Buffer body = context.body().buffer();
        return body == null ? new byte[0] : body.getBytes();
    }

    /** The body as JSON, whichever supported type it came in. */
    public JsonNode parse(byte[] body, MediaType contentType) {
        MediaType type = supported(contentType);
        try {
            return parseSupported(body, type);
        } catch (ApiException e) {
            throw e.status() == 400 ? e.because("malformed_body") : e;
        }
    }

    private JsonNode parseSupported(byte[] body, MediaType type) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty; a " + type.getSubtype() + " body is expected");
        }
        String text = utf8(body);
        if (text.isBlank()) {
            throw ApiException.badRequest("the request body is empty (only whitespace); a " + type.getSubtype() + " body is expected");
        }
        return FORM.isCompatible(type) ? form(text) : json(text);
    }

    /** A JSON document given as text, for instance a form field that carries JSON, under the same limits. */
    public JsonNode json(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty; a JSON document is expected");
            }
            // A valid UTF-8 body can still name a lone surrogate through an escape such as \\ud800; it is not text.
            if (text.indexOf("\\u") >= 0 || text.indexOf("\\U") >= 0) {
                String where = LoneSurrogates.find(node);
                if (where != null) {
                    throw ApiException.badRequest("the JSON holds a lone surrogate escape (\\ud800-\\udfff without its pair) in "
                            + where + "; that is not valid Unicode text");
                }
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("JSON nested deeper than the limit of " + maxDepth + " levels");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(io.hookflow.common.error.ApiExceptionMappers.describe(e));
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    /** {@code a=1&b=2&a=3} becomes {@code {"a": ["1", "3"], "b": "2"}}: strings, as the sender wrote them. */
    static ObjectNode form(String text) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        for (String pair : text.strip().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            JsonNode existing = result.get(name);
            if (existing == null) {
                result.put(name, value);
            } else if (existing.isArray()) {
                ((ArrayNode) existing).add(value);
            } else {
                result.putArray(name).add(existing).add(value);
            }
        }
        if (result.isEmpty()) {
            throw ApiException.badRequest("the form body holds no fields");
        }
        return result;
    }

    /** Percent-decoding that refuses bytes which are not UTF-8, where URLDecoder would put U+FFFD in silently. */
    private static String decode(String component) {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return component;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < component.length() ? Character.digit(component.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(component.charAt(i + 2), 16);
                if (low < 0) {
                    throw ApiException.badRequest("malformed form body: bad percent-encoding in '" + shorten(component) + "'");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < component.length()) {
                    utf8 = component.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(utf8, 0, utf8.length);
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("malformed form body: '" + shorten(component)
                    + "' decodes to bytes that are not valid UTF-8");
        }
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private static MediaType supported(MediaType contentType) {
        if (contentType != null) {
            MediaType bare = new MediaType(contentType.getType(), contentType.getSubtype());
            String charset = contentType.getParameters().get(MediaType.CHARSET_PARAMETER);
            boolean utf8 = charset == null || charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
            if (utf8 && (MediaType.APPLICATION_JSON_TYPE.equals(bare) || FORM.equals(bare))) {
                return bare;
            }
        }
        throw new ApiException(415, "unsupported_media_type",
                "send the webhook body as application/json or application/x-www-form-urlencoded in UTF-8 (got "
                        + (contentType == null ? "no Content-Type" : contentType) + ")");
    }

    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the request body is not valid UTF-8 (near byte " + in.position() + ")");
        }
    }
}
