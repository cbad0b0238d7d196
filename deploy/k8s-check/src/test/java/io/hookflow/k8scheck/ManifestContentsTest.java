package io.hookflow.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.Topics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the rendered manifests must say, beyond being valid: the deployment promises of k8s/README.md. */
class ManifestContentsTest {

    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|PASSWORD|SECRET|TOKEN).*");
    private static final Set<String> PRIVATE_IPV4 = Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8");
    private static final Set<String> PRIVATE_IPV6 = Set.of("fc00::/7", "fe80::/10", "::1/128");

    static List<Rendering.Case> cases() {
        return Rendering.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldGiveEveryDeploymentProbesADrainWithinItsGracePeriodResourcesAndSpread(Rendering.Case renderCase) {
        List<ObjectNode> deployments = Rendering.ofKind(Rendering.objects(renderCase), "Deployment").toList();
        assertEquals(3, deployments.size(), renderCase + ": one Deployment per service");
        for (ObjectNode deployment : deployments) {
            String name = renderCase + " " + ManifestValidator.describe(deployment);
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText(), name);
            assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText(), name);
            assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText(), name);

            long preStop = container.at("/lifecycle/preStop/sleep/seconds").asLong();
            Duration drain = Duration.parse("PT" + env(container, "QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase());
            long grace = pod.path("terminationGracePeriodSeconds").asLong();
            assertTrue(preStop > 0, name + ": a preStop sleep lets the endpoint removal spread before SIGTERM");
            assertTrue(grace >= preStop + drain.toSeconds() + 10, name + ": grace " + grace + " s must cover preStop "
                    + preStop + " s, the drain " + drain.toSeconds() + " s and 10 s for closing clients");

            assertFalse(container.at("/resources/requests/cpu").isMissingNode(), name + ": a CPU request");
            assertFalse(container.at("/resources/requests/memory").isMissingNode(), name + ": a memory request");
            assertTrue(mebibytes(container.at("/resources/requests/memory").asText()) >= 280,
                    name + ": the request covers the measured peak RSS (294 MB = 280 MiB)");
            assertTrue(mebibytes(container.at("/resources/limits/memory").asText())
                    >= mebibytes(container.at("/resources/requests/memory").asText()), name + ": limit >= request");
            assertTrue(pod.path("topologySpreadConstraints").size() > 0, name + ": spread over zones and nodes");
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), name + ": runs as non-root");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldTakeSecretsOnlyByReference(Rendering.Case renderCase) {
        List<ObjectNode> objects = Rendering.objects(renderCase);
        assertEquals(0, Rendering.ofKind(objects, "Secret").count(), renderCase + ": no Secret is committed");
        Rendering.ofKind(objects, "ConfigMap").forEach(map -> map.path("data").fieldNames().forEachRemaining(key ->
                assertFalse(SECRET_NAME.matcher(key).matches(), renderCase + ": " + key + " belongs in a Secret")));
        Rendering.ofKind(objects, "Deployment").forEach(deployment -> {
            for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
                if (SECRET_NAME.matcher(env.path("name").asText()).matches()) {
                    assertTrue(env.has("valueFrom") && !env.has("value"),
                            renderCase + ": " + env.path("name").asText() + " must come from a Secret");
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldLetOnlyIngestBeReachedFromOutsideAndDeliveryReachOnlyTheInternet(Rendering.Case renderCase) {
        List<ObjectNode> policies = Rendering.ofKind(Rendering.objects(renderCase), "NetworkPolicy").toList();
        ObjectNode deny = Rendering.named(Rendering.objects(renderCase), "NetworkPolicy", "hookflow-default-deny");
        assertEquals("hookflow", deny.at("/spec/podSelector/matchLabels/app.kubernetes.io~1part-of").asText());
        assertEquals(Set.of("Ingress", "Egress"), texts(deny.at("/spec/policyTypes")));

        for (ObjectNode policy : policies) {
            for (JsonNode rule : policy.at("/spec/ingress")) {
                boolean fromAnywhere = !rule.has("from") || StreamSupport.stream(rule.get("from").spliterator(), false)
                        .anyMatch(peer -> peer.has("ipBlock"));
                if (fromAnywhere) {
                    assertEquals("ingest-service",
                            policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText(),
                            renderCase + ": " + ManifestValidator.describe(policy) + " opens a service to the outside");
                }
            }
        }

        ObjectNode egress = Rendering.named(Rendering.objects(renderCase), "NetworkPolicy", "delivery-service-egress");
        Map<String, Set<String>> blocks = StreamSupport.stream(egress.at("/spec/egress/0/to").spliterator(), false)
                .collect(Collectors.toMap(peer -> peer.at("/ipBlock/cidr").asText(),
                        peer -> texts(peer.at("/ipBlock/except"))));
        assertTrue(blocks.get("0.0.0.0/0").containsAll(PRIVATE_IPV4), renderCase + ": " + blocks);
        assertTrue(blocks.get("::/0").containsAll(PRIVATE_IPV6), renderCase + ": " + blocks);
    }

    /**
     * The alerts the issue asks for, each with a severity and a summary; that their expressions parse and use only
     * exported metrics is e2e-tests' MetricsContractIT.
     */
    @Test
    void shouldAlertOnFailuresBacklogLagIngestErrorsDeadLettersAndOpenCircuits() {
        ObjectNode rule = Rendering.named(Rendering.objects(Rendering.named("prod+prometheus-rules")), "PrometheusRule",
                "hookflow");
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : rule.at("/spec/groups")) {
            for (JsonNode alert : group.path("rules")) {
                String name = alert.path("alert").asText();
                assertTrue(alerts.add(name), "one alert per name: " + name);
                assertTrue(Set.of("warning", "critical").contains(alert.at("/labels/severity").asText()), name);
                assertFalse(alert.at("/annotations/summary").asText().isBlank(), name);
                assertFalse(alert.path("expr").asText().isBlank(), name);
            }
        }
        assertTrue(alerts.containsAll(Set.of("HookflowDeliveryFailureRatioHigh", "HookflowRetryBacklogGrowing",
                "HookflowConsumerLagHigh", "HookflowIngest5xx", "HookflowDeadLetters", "HookflowCircuitOpenTooLong")),
                alerts.toString());
        assertEquals(0, Rendering.ofKind(Rendering.objects(Rendering.named("overlays/prod")), "PrometheusRule").count(),
                "the alerts are an optional component");
    }

    @Test
    void shouldDeclareEveryTopicTheServicesUseWithTheirCleanupPolicy() throws IllegalAccessException {
        List<ObjectNode> objects = Rendering.objects(Rendering.named("prod+strimzi"));
        Set<String> declared = Rendering.ofKind(objects, "KafkaTopic")
                .map(t -> t.at("/metadata/name").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(topicNames(), declared);
        for (String compacted : List.of(Topics.RULE_CHANGES, Topics.API_KEYS, Topics.TOKEN_REVOCATIONS)) {
            assertEquals("compact", Rendering.named(objects, "KafkaTopic", compacted).at("/spec/config/cleanup.policy")
                    .asText(), compacted);
        }
    }

    @Test
    void shouldNeverScaleAConsumerBeyondThePartitionsOfItsTopic() {
        List<ObjectNode> withHpa = Rendering.objects(Rendering.named("prod+strimzi"));
        assertTrue(partitions(withHpa, Topics.TRIGGER_EVENTS)
                >= maxReplicas(withHpa, "HorizontalPodAutoscaler", "rules-service", "/spec/maxReplicas"));
        assertTrue(partitions(withHpa, Topics.EXECUTION_EVENTS)
                >= maxReplicas(withHpa, "HorizontalPodAutoscaler", "rules-service", "/spec/maxReplicas"));
        assertTrue(partitions(withHpa, Topics.ACTION_TASKS)
                >= maxReplicas(withHpa, "HorizontalPodAutoscaler", "delivery-service", "/spec/maxReplicas"));

        List<ObjectNode> withKeda = Rendering.objects(Rendering.named("prod+all-components"));
        assertEquals(0, Rendering.ofKind(withKeda, "HorizontalPodAutoscaler")
                .filter(h -> !h.at("/metadata/name").asText().equals("ingest-service")).count(),
                "KEDA's ScaledObjects replace the base's autoscalers of rules and delivery");
        // rules-service has only its Kafka partitions to share; delivery-service also shares due retries in PostgreSQL.
        assertTrue(partitions(withKeda, Topics.TRIGGER_EVENTS)
                >= maxReplicas(withKeda, "ScaledObject", "rules-service", "/spec/maxReplicaCount"));
    }

    @Test
    void shouldScaleOnTheLagOfConsumerGroupsTheServicesReallyHave() {
        List<ObjectNode> objects = Rendering.objects(Rendering.named("prod+all-components"));
        Set<String> topics = Rendering.ofKind(objects, "KafkaTopic").map(t -> t.at("/metadata/name").asText())
                .collect(Collectors.toSet());
        for (String service : List.of("rules-service", "delivery-service")) {
            List<String> lagTriggers = new ArrayList<>();
            for (JsonNode trigger : Rendering.named(objects, "ScaledObject", service).at("/spec/triggers")) {
                if (trigger.path("type").asText().equals("kafka")) {
                    String topic = trigger.at("/metadata/topic").asText();
                    assertTrue(topics.contains(topic), service + " scales on a topic nobody declared: " + topic);
                    lagTriggers.add(topic + " " + trigger.at("/metadata/consumerGroup").asText());
                }
            }
            assertEquals(ConsumerGroups.of(service), Set.copyOf(lagTriggers),
                    service + ": one lag trigger per consumer group in its application.properties");
        }
    }

    private static int partitions(List<ObjectNode> objects, String topic) {
        return Rendering.named(objects, "KafkaTopic", topic).at("/spec/partitions").asInt();
    }

    private static int maxReplicas(List<ObjectNode> objects, String kind, String name, String pointer) {
        return Rendering.named(objects, kind, name).at(pointer).asInt();
    }

    private static Set<String> topicNames() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return env.path("value").asText();
            }
        }
        throw new AssertionError("no " + name + " in " + container.path("name").asText());
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        throw new AssertionError("write memory in Mi or Gi: " + quantity);
    }

    private static Set<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).collect(Collectors.toSet());
    }
}
