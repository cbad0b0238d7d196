package io.hookflow.rules.template.jinja;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.interpret.Context;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Jinjava instantiates its filters, tags and tests and calls them through reflection; a native image only allows what
 * META-INF/native-image/.../reflect-config.json lists. This fails when a Jinjava upgrade or a new filter of ours is
 * missing from it (regenerate it as docs/rules.md says).
 */
class NativeReflectionConfigTest {

    @Test
    void shouldListEveryClassJinjaTemplatesReachByReflection() throws Exception {
        Set<String> listed = new HashSet<>();
        try (InputStream config = getClass().getResourceAsStream(
                "/META-INF/native-image/io.hookflow/rules-service/reflect-config.json")) {
            for (JsonNode entry : new ObjectMapper().readTree(config)) {
                listed.add(entry.get("name").asText());
            }
        }
        Context global = JinjaEngine.INSTANCE.jinjava().getGlobalContext();
        Set<String> needed = new TreeSet<>();
        global.getAllFilters().forEach(filter -> needed.add(filter.getClass().getName()));
        global.getAllTags().forEach(tag -> needed.add(tag.getClass().getName()));
        global.getAllExpTests().forEach(test -> needed.add(test.getClass().getName()));
        global.getAllFunctions().forEach(function -> needed.add(function.getMethod().getDeclaringClass().getName()));
        needed.removeAll(listed);
        assertTrue(needed.isEmpty(), "missing from reflect-config.json: " + needed);
    }
}
