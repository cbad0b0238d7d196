package io.hookflow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackTest {

    @Test
    void shouldReadReplicaCountsByShortOrFullServiceName() {
        assertEquals(Map.of("ingest-service", 2, "rules-service", 2, "delivery-service", 3),
                LocalStack.parseReplicas("ingest=2,rules=2, delivery-service=3"));
    }

    @Test
    void shouldRefuseUnknownServicesAndCountsOutOfRangeNamingThePart() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalStack.parseReplicas("ingest=2,billing=1"))
                .getMessage().contains("'billing=1'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalStack.parseReplicas("rules=0"))
                .getMessage().contains("from 1 to 16"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalStack.parseReplicas("rules=two"))
                .getMessage().contains("'two'"));
        assertThrows(IllegalArgumentException.class, () -> LocalStack.parseReplicas("rules"));
    }

    @Test
    void shouldTakeAServicesAppFromItsBuildOutputUnlessTheEnvironmentNamesAnotherFolder() {
        Path root = Path.of("/src");
        assertEquals(Path.of("/src/ingest-service/target/quarkus-app/quarkus-run.jar"),
                LocalStack.quarkusRunJar(root, Map.of(), "ingest-service"));
        Map<String, String> env = Map.of("HOOKFLOW_APP_INGEST_SERVICE", "/deployments");
        assertEquals(Path.of("/deployments/quarkus-run.jar"), LocalStack.quarkusRunJar(root, env, "ingest-service"));
        assertEquals(Path.of("/src/rules-service/target/quarkus-app/quarkus-run.jar"),
                LocalStack.quarkusRunJar(root, env, "rules-service"));
    }
}
