package io.hookflow.cli.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.cli.http.Json;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    @Test
    void shouldCarryTheSt2PayloadObjectAsJsonText() {
        assertEquals("trigger=mypack.t&payload=%7B%22a%22%3A1%7D",
                FormBody.of(Json.parse("{\"trigger\": \"mypack.t\", \"payload\": {\"a\": 1}}", "t")));
    }

    @Test
    void shouldRepeatTheKeyForAListAndEncodeText() {
        assertEquals("a=1&a=2&b=x+y%26z&c=&d=true",
                FormBody.of(Json.parse("{\"a\": [1, \"2\"], \"b\": \"x y&z\", \"c\": null, \"d\": true}", "t")));
    }
}
