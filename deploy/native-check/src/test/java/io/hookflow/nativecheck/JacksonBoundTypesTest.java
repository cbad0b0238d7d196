package io.hookflow.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JacksonBoundTypesTest {

    private static final String FIXTURE = "io.hookflow.nativecheck.fixture.";

    private final Map<String, String> bound = new JacksonBoundTypes("io.hookflow.nativecheck.fixture")
            .scan(testClasses()).concreteTypes();

    @Test
    void shouldFindEveryTypeHandedToJacksonAndTheTypesOfItsPropertiesButNothingElse() {
        assertEquals(Set.of(
                FIXTURE + "Order", FIXTURE + "Order$Line", FIXTURE + "Order$Customer", FIXTURE + "Order$Address",
                FIXTURE + "Order$Note", FIXTURE + "Orders$Receipt", FIXTURE + "Orders$Batch",
                FIXTURE + "Stored$Payload", FIXTURE + "Annotated"), bound.keySet());
    }

    @Test
    void shouldSayWhereATypeWasFoundToBeBound() {
        assertEquals("passed to Jackson in " + FIXTURE + "Orders.read", bound.get(FIXTURE + "Order"));
        assertEquals("a property type of " + FIXTURE + "Order$Customer", bound.get(FIXTURE + "Order$Address"));
        assertEquals("the JSON column " + FIXTURE + "Stored.payload", bound.get(FIXTURE + "Stored$Payload"));
        assertTrue(bound.get(FIXTURE + "Orders$Batch").startsWith("the type argument of " + FIXTURE + "Orders$"));
    }

    static Path testClasses() {
        try {
            return Path.of(JacksonBoundTypesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
