package io.hookflow.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator must fail on the mistakes a hand-edited manifest has: each test plants one in a valid object. */
class ManifestValidatorTest {

    private final ManifestValidator validator = new ManifestValidator();

    @Test
    void shouldAcceptTheValidObjectsTheMistakesArePlantedIn() {
        for (ObjectNode object : List.of(deployment(), kafkaTopic(), scaledObject(), cluster(), serviceMonitor(),
                prometheusRule())) {
            assertEquals(List.of(), validator.problems(object), ManifestValidator.describe(object));
        }
    }

    @Test
    void shouldRejectAMisspeltFieldDeepInAKubernetesObject() {
        ObjectNode deployment = deployment();
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.set("startupProbes", container.remove("startupProbe"));
        assertMentions(validator.problems(deployment), "startupProbes");
    }

    @Test
    void shouldRejectAValueOfTheWrongType() {
        ObjectNode deployment = deployment();
        ((ObjectNode) deployment.get("spec")).put("replicas", "two");
        assertMentions(validator.problems(deployment), "replicas");
    }

    @Test
    void shouldRejectAMisspeltFieldInAStrimziResource() {
        ObjectNode topic = kafkaTopic();
        ((ObjectNode) topic.get("spec")).set("partition", ((ObjectNode) topic.get("spec")).remove("partitions"));
        assertMentions(validator.problems(topic), "partition");
    }

    @Test
    void shouldRejectAMisspeltFieldInAPrometheusOperatorResource() {
        ObjectNode monitor = serviceMonitor();
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("intervall", "15s");
        assertMentions(validator.problems(monitor), "intervall");
    }

    @Test
    void shouldRejectAMisspeltFieldInAnAlertOfThePrometheusRule() {
        ObjectNode rule = prometheusRule();
        ObjectNode alert = (ObjectNode) rule.at("/spec/groups/0/rules/0");
        alert.set("expression", alert.remove("expr"));
        assertMentions(validator.problems(rule), "expression");
    }

    @Test
    void shouldRejectAMisspeltFieldInAKedaScaledObject() {
        ObjectNode scaled = scaledObject();
        ((ObjectNode) scaled.get("spec")).set("maxReplicas", ((ObjectNode) scaled.get("spec")).remove("maxReplicaCount"));
        assertMentions(validator.problems(scaled), "maxReplicas");
    }

    @Test
    void shouldRejectAMisspeltFieldInACloudNativePgCluster() {
        ObjectNode cluster = cluster();
        ((ObjectNode) cluster.at("/spec/bootstrap/initdb")).put("databse", "hookflow");
        assertMentions(validator.problems(cluster), "databse");
    }

    @Test
    void shouldRejectAMisspeltFieldInTheMetadataOfACustomResource() {
        ObjectNode cluster = cluster();
        ((ObjectNode) cluster.get("metadata")).put("lables", "x");
        assertMentions(validator.problems(cluster), "lables");
    }

    @Test
    void shouldRejectAKindNothingCanCheck() {
        ObjectNode unknown = Rendering.parse("""
                apiVersion: example.com/v1
                kind: Gadget
                metadata: {name: g}
                spec: {size: 3}
                """).get(0);
        assertMentions(validator.problems(unknown), "no model or schema for example.com/v1 Gadget");
    }

    private static void assertMentions(List<String> problems, String text) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(text)), "expected a problem naming " + text + ": " + problems);
    }

    private static ObjectNode deployment() {
        return Rendering.named(Rendering.objects(Rendering.named("base")), "Deployment", "delivery-service").deepCopy();
    }

    private static ObjectNode kafkaTopic() {
        return Rendering.named(objectsWithAllComponents(), "KafkaTopic", "action-tasks").deepCopy();
    }

    private static ObjectNode scaledObject() {
        return Rendering.named(objectsWithAllComponents(), "ScaledObject", "delivery-service").deepCopy();
    }

    private static ObjectNode cluster() {
        return Rendering.named(objectsWithAllComponents(), "Cluster", "hookflow-db").deepCopy();
    }

    private static ObjectNode serviceMonitor() {
        return Rendering.named(objectsWithAllComponents(), "ServiceMonitor", "hookflow").deepCopy();
    }

    private static ObjectNode prometheusRule() {
        return Rendering.named(objectsWithAllComponents(), "PrometheusRule", "hookflow").deepCopy();
    }

    private static List<ObjectNode> objectsWithAllComponents() {
        return Rendering.objects(Rendering.named("prod+all-components"));
    }
}
