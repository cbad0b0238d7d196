package io.hookflow.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.http.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** How a JSON value reads in a human table: text as is, lists joined, objects as compact JSON, absent as "-". */
public final class Cells {

    public static final String ABSENT = "-";

    private Cells() {
    }

    public static String text(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return ABSENT;
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray() && allScalars(value)) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return items.isEmpty() ? ABSENT : String.join(", ", items);
        }
        return Json.write(value);
    }

    /** A timestamp to the second ({@code 2026-12-02T07:01:02Z}); anything that is not one, as text. */
    public static String time(JsonNode value) {
        String text = text(value);
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException notATime) {
            return text;
        }
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isValueNode()) {
                return false;
            }
        }
        return true;
    }
}
