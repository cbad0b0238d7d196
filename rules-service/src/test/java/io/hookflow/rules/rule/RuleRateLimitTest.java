package io.hookflow.rules.rule;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.newTriggerType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rule's own rate limit ({@code rate_limit: {per_second, burst}}): checked when the rule is saved, stored, shown,
 * and carried on every task of the rule to delivery-service, which keeps the bucket.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleRateLimitTest {

    private static final String ACTION = "\"action\": {\"ref\": \"core.http\", \"parameters\": "
            + "{\"url\": \"https://hooks.example.com/limited\", \"method\": \"POST\"}}";

    private static String body(String trigger, String rateLimit) {
        String name = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return "{\"name\": \"%s\", \"pack\": \"it\", \"trigger\": {\"type\": \"%s\"}, \"rate_limit\": %s, %s}"
                .formatted(name, trigger, rateLimit, ACTION);
    }

    @Test
    void shouldStoreShowAndCarryTheRulesRateLimitOnEveryTask() {
        String trigger = newTriggerType();
        String id = api().body(body(trigger, "{\"per_second\": 2.5, \"burst\": 4}")).post("/api/v1/rules").then()
                .statusCode(201).body("rate_limit.per_second", equalTo(2.5f)).body("rate_limit.burst", equalTo(4))
                .extract().path("id");
        api().get("/api/v1/rules/" + id).then().statusCode(200).body("rate_limit.per_second", equalTo(2.5f));

        String instance = UUID.randomUUID().toString();
        RecordMetadata published = Events.publish(Events.st2Event(instance, trigger, "{}", 0));
        Enforcement.awaitCommittedPast(List.of(published));
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(instance));
        assertEquals(1, tasks.size());
        assertEquals(new OutboundRequest.RateLimit(2.5, 4), tasks.get(0).request().rateLimit());
    }

    @Test
    void shouldRemoveTheLimitWhenTheRuleIsSavedWithoutOne() {
        String trigger = newTriggerType();
        String id = api().body(body(trigger, "{\"per_second\": 1}")).post("/api/v1/rules").then().statusCode(201)
                .body("rate_limit.per_second", equalTo(1.0f)).body("rate_limit.burst", nullValue()).extract().path("id");
        api().body(body(trigger, "null")).put("/api/v1/rules/" + id).then().statusCode(200)
                .body("rate_limit", nullValue());
        String instance = UUID.randomUUID().toString();
        RecordMetadata published = Events.publish(Events.st2Event(instance, trigger, "{}", 0));
        Enforcement.awaitCommittedPast(List.of(published));
        assertEquals(null, Enforcement.tasksOf(Set.of(instance)).get(0).request().rateLimit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"per_second\": 0}", "{\"per_second\": -2}", "{\"per_second\": 10001}",
            "{\"per_second\": \"fast\"}", "{\"per_second\": 1, \"burst\": 0}", "{\"per_second\": 1, \"burst\": 2.5}",
            "{\"per_second\": 1, \"per_minute\": 3}", "5", "\"10/s\"", "[1]"})
    void shouldRefuseARateLimitThatIsNotOne(String rateLimit) {
        api().body(body(newTriggerType(), rateLimit)).post("/api/v1/rules").then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details.path", hasItem(org.hamcrest.Matchers.startsWith("rate_limit")));
    }
}
