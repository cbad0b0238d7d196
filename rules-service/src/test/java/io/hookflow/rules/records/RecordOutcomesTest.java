package io.hookflow.rules.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RecordOutcomesTest {

    @Test
    void shouldReplaceOnlyEscapedNulCharactersSoJsonbAcceptsTheRow() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String withNul = json.writeValueAsString(java.util.Map.of("a", "x\u0000y", "b", "\\u0000 is text"));
        String cleaned = RecordOutcomes.withoutNul(withNul);
        var tree = json.readTree(cleaned);
        assertEquals("x\ufffdy", tree.get("a").asText());
        assertEquals("\\u0000 is text", tree.get("b").asText());
        assertEquals("{\"plain\":1}", RecordOutcomes.withoutNul("{\"plain\":1}"));
    }
}
