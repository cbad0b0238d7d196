package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.testing.TopicReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks accepted just before the broker restarts all reach the target, once each, and the three services carry on
 * after it without being restarted themselves. Counted only once the system is quiet, after copies of every accepted
 * event were published again, so a late duplicate cannot slip past.
 */
@ExtendWith(HookflowSystem.class)
class BrokerRestartIT {

    static final int BEFORE = 20;
    static final int AFTER = 5;

    final HookflowSystem system = HookflowSystem.get();

    /** The classes after this one get a system that works again, whatever order they run in. */
    @AfterAll
    static void restore() {
        HookflowSystem.get().awaitRecovered();
    }

    @Test
    void shouldDeliverEveryAcceptedWebhookOnceAcrossABrokerRestartAndRedeliveredCopies() throws Exception {
        String rule = """
                {"name": "across_restart", "pack": "e2e", "enabled": true,
                 "trigger": {"type": "e2e.restart"},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%s?n={{ trigger.n }}", "method": "POST", "body": "{{ trigger.n }}"}}}
                """.formatted(system.sink().url("/hooks/restart"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);

        Map<String, String> accepted = new LinkedHashMap<>(); // trigger instance id -> n
        for (int n = 0; n < BEFORE; n++) {
            accepted.put(fire(n), String.valueOf(n));
        }
        // Some of them are still between ingest, rules and delivery when the broker goes.
        system.restartBroker();

        // The services reconnect on their own; until ingest has, it answers 503 and accepts nothing.
        for (int n = BEFORE; n < BEFORE + AFTER; n++) {
            int number = n;
            String[] id = new String[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> (id[0] = tryFire(number)) != null);
            accepted.put(id[0], String.valueOf(n));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> system.sink().requestsTo("/hooks/restart").size()
                >= accepted.size());

        // Now that every execution has finished, a copy of each accepted event arrives again, as a consumer that
        // restarted before committing its offsets would read it: it must change nothing.
        List<ConsumerRecord<String, String>> copies = TopicReader.readAll(system.bootstrapServers(), "trigger-events")
                .stream().filter(record -> accepted.keySet().stream().anyMatch(id -> isEvent(record, id))).toList();
        assertEquals(accepted.size(), copies.size(), "each accepted webhook is on trigger-events once");
        republish(copies);

        system.awaitQuiet(accepted.keySet());

        // Each accepted trigger instance: one execution, delivered; the target got each number once and nothing else.
        for (Map.Entry<String, String> instance : accepted.entrySet()) {
            given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                    .queryParam("triggerInstance", instance.getKey()).get("/api/v1/executions")
                    .then().statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.equalTo(1))
                    .body("items[0].status", org.hamcrest.Matchers.equalTo("SUCCEEDED"));
        }
        Map<String, Integer> received = new TreeMap<>();
        system.sink().requestsTo("/hooks/restart").forEach(request -> received.merge(request.body(), 1, Integer::sum));
        Map<String, Integer> once = new TreeMap<>();
        accepted.values().forEach(n -> once.put(n, 1));
        assertEquals(once, received, "each accepted webhook exactly once");
    }

    private static boolean isEvent(ConsumerRecord<String, String> record, String triggerInstanceId) {
        return record.value() != null && record.value().contains("\"id\":\"" + triggerInstanceId + "\"");
    }

    private void republish(List<ConsumerRecord<String, String>> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (ConsumerRecord<String, String> record : records) {
                producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())).get();
            }
        }
    }

    private String fire(int n) {
        String id = tryFire(n);
        if (id == null) {
            throw new AssertionError("webhook " + n + " was not accepted before the restart");
        }
        return id;
    }

    /** The trigger instance id if ingest accepted the webhook (202), null if it could not (503). */
    private String tryFire(int n) {
        var response = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"e2e.restart\", \"payload\": {\"n\": " + n + "}}")
                .post("/api/v1/webhooks/st2");
        if (response.statusCode() == 503) {
            return null;
        }
        assertEquals(202, response.statusCode(), response.asString());
        return response.path("id");
    }
}
