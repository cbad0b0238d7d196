package io.hookflow.ingest.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.error.ApiException;
import io.hookflow.ingest.config.IngestConfig;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.core.MediaType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Body rules without a server: what each content type becomes, and every refusal's status and message. */
class WebhookBodyTest {

    static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE;
    static final MediaType FORM = MediaType.APPLICATION_FORM_URLENCODED_TYPE;

    final WebhookBody body = new WebhookBody(config(5));

    @Test
    void shouldTurnRepeatedFormKeysIntoArrays() {
        JsonNode parsed = body.parse(bytes("a=1&b=two+words&a=3&a=%E2%82%AC&empty=&flag"), FORM);
        assertEquals("[\"1\",\"3\",\"€\"]", parsed.get("a").toString());
        assertEquals("two words", parsed.get("b").asText());
        assertEquals("", parsed.get("empty").asText());
        assertEquals("", parsed.get("flag").asText());
    }

    @Test
    void shouldAcceptJsonWithUtf8Charset() {
        JsonNode parsed = body.parse(bytes("{\"k\": [1, {\"x\": \"é\"}]}"), MediaType.valueOf("application/json; charset=UTF-8"));
        assertEquals("é", parsed.path("k").path(1).path("x").asText());
    }

    @Test
    void shouldRefuseOtherContentTypesAndCharsetsWith415() {
        assertEquals(415, refusal(bytes("hello"), MediaType.TEXT_PLAIN_TYPE).status());
        assertEquals(415, refusal(bytes("{}"), MediaType.valueOf("application/json; charset=ISO-8859-1")).status());
        assertEquals(415, refusal(bytes("{}"), null).status());
    }

    @Test
    void shouldRefuseEmptyAndBlankBodiesWith400() {
        assertTrue(refusal(new byte[0], JSON).getMessage().contains("empty"));
        assertTrue(refusal(bytes(" \n "), JSON).getMessage().contains("empty"));
        assertTrue(refusal(bytes("&&"), FORM).getMessage().contains("no fields"));
    }

    @Test
    void shouldRefuseInvalidUtf8WithTheBytePosition() {
        byte[] invalid = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ApiException refusal = refusal(invalid, JSON);
        assertEquals(400, refusal.status());
        assertTrue(refusal.getMessage().contains("not valid UTF-8 (near byte 6)"), refusal.getMessage());
    }

    @Test
    void shouldRefuseJsonNestedDeeperThanTheLimit() {
        assertEquals(5, body.parse(bytes("[[[[[1]]]]]"), JSON).toString().chars().filter(c -> c == '[').count());
        ApiException refusal = refusal(bytes("[[[[[[1]]]]]]"), JSON);
        assertEquals(400, refusal.status());
        assertTrue(refusal.getMessage().contains("nested deeper than the limit of 5"), refusal.getMessage());
    }

    @Test
    void shouldReportWhereMalformedJsonBreaks() {
        ApiException refusal = refusal(bytes("{\"a\": 1,\n \"b\": }"), JSON);
        assertTrue(refusal.getMessage().startsWith("malformed JSON"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("line 2"), refusal.getMessage());
    }

    @Test
    void shouldRefuseBadPercentEncodingInForms() {
        assertTrue(refusal(bytes("a=%zz"), FORM).getMessage().contains("percent-encoding"));
    }

    private ApiException refusal(byte[] content, MediaType type) {
        return assertThrows(ApiException.class, () -> body.parse(content, type));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static IngestConfig config(int maxDepth) {
        return new IngestConfig() {
            @Override
            public MemorySize maxBodySize() {
                return new MemorySize(BigInteger.valueOf(1 << 20));
            }

            @Override
            public int maxJsonDepth() {
                return maxDepth;
            }

            @Override
            public Duration signatureTolerance() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration idempotencyRetention() {
                return Duration.ofHours(24);
            }

            @Override
            public Duration idempotencyPurgeInterval() {
                return Duration.ofHours(1);
            }

            @Override
            public Duration apiKeyReconcileInterval() {
                return Duration.ofMinutes(2);
            }

            @Override
            public BenchEndpoint benchEndpoint() {
                return () -> false;
            }
        };
    }
}
