package io.hookflow.ingest.bench;

import static io.hookflow.ingest.Api.BOOTSTRAP;
import static io.hookflow.ingest.Api.as;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class BareEndpointTest {

    @Test
    void shouldNotExistUnlessTheBenchmarkSwitchesItOn() {
        as(BOOTSTRAP).body(Map.of()).post("/api/v1/bench/noop").then().statusCode(404);
    }
}
