package io.hookflow.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.cli.http.Json;
import org.junit.jupiter.api.Test;

class CellsTest {

    @Test
    void shouldShowScalarsAsTextListsJoinedAndObjectsAsCompactJson() {
        assertEquals("value", Cells.text(Json.parse("\"value\"", "t")));
        assertEquals("42", Cells.text(Json.parse("42", "t")));
        assertEquals("true", Cells.text(Json.parse("true", "t")));
        assertEquals("a.one, a.two", Cells.text(Json.parse("[\"a.one\", \"a.two\"]", "t")));
        assertEquals("{\"url\":\"hook\"}", Cells.text(Json.parse("{\"url\": \"hook\"}", "t")));
        assertEquals("[{\"a\":1}]", Cells.text(Json.parse("[{\"a\": 1}]", "t")));
        assertEquals("-", Cells.text(Json.parse("null", "t")));
        assertEquals("-", Cells.text(Json.parse("[]", "t")));
        assertEquals("-", Cells.text(Json.object().path("absent")));
    }

    @Test
    void shouldShowTimesToTheSecondAndOtherTextAsIs() {
        assertEquals("2026-12-02T07:01:02Z", Cells.time(Json.parse("\"2026-12-02T07:01:02.123456Z\"", "t")));
        assertEquals("soon", Cells.time(Json.parse("\"soon\"", "t")));
        assertEquals("-", Cells.time(Json.parse("null", "t")));
    }
}
