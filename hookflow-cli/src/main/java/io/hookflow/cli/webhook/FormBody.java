package io.hookflow.cli.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code --form}: a JSON object sent as {@code application/x-www-form-urlencoded}. Text, numbers and booleans become
 * a field each, a list becomes the key repeated, and an object becomes its JSON text, which is how the st2 webhook
 * takes its payload in a form ({@code trigger=pack.t&payload={"a":1}}). Anything but an object is sent as written.
 */
final class FormBody {

    private FormBody() {
    }

    static String of(JsonNode data) {
        StringJoiner form = new StringJoiner("&");
        for (Map.Entry<String, JsonNode> field : data.properties()) {
            if (field.getValue().isArray()) {
                field.getValue().forEach(item -> form.add(pair(field.getKey(), item)));
            } else {
                form.add(pair(field.getKey(), field.getValue()));
            }
        }
        return form.toString();
    }

    private static String pair(String key, JsonNode value) {
        String text = value.isNull() ? "" : value.isValueNode() ? value.asText() : Json.write(value);
        return encode(key) + "=" + encode(text);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
