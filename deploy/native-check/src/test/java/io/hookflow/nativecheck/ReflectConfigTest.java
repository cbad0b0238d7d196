package io.hookflow.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReflectConfigTest {

    private final ReflectConfig config = ReflectConfig.parse(read("""
            [{"name": "a.Full", "allDeclaredConstructors": true, "allDeclaredMethods": true, "allDeclaredFields": true},
             {"name": "a.Split", "allPublicConstructors": true},
             {"name": "a.Split", "allPublicMethods": true, "allPublicFields": true},
             {"name": "a.MethodsOnly", "methods": [{"name": "<init>", "parameterTypes": []}], "allDeclaredMethods": true},
             {"name": "a.Queried", "queryAllDeclaredConstructors": true, "queryAllDeclaredMethods": true}]
            """));

    @Test
    void shouldAcceptATypeWithConstructorsMethodsAndFieldsRegisteredInOneEntryOrSeveral() {
        assertEquals(List.of(), config.missingForBinding("a.Full"));
        assertEquals(List.of(), config.missingForBinding("a.Split"));
    }

    @Test
    void shouldSayWhatIsMissing() {
        assertEquals(List.of("not registered for reflection"), config.missingForBinding("a.Absent"));
        assertEquals(List.of("registered without its fields"), config.missingForBinding("a.MethodsOnly"));
        assertEquals(List.of("registered without its constructors, methods, fields"),
                config.missingForBinding("a.Queried"));
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
