package io.hookflow.k8scheck;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates a rendered object as the API server would with strict field validation: every field must exist in its
 * kind's schema, with the right type. Kubernetes kinds, the Prometheus Operator's ServiceMonitor and Strimzi's resources
 * are read into their Java models (fabric8, io.strimzi:api) with unknown fields failing; the models' catch-all for
 * unknown fields (a Jackson any-setter) is switched off for that. KEDA's ScaledObject and CloudNativePG's Cluster are
 * checked against the JSON schemas in src/test/resources/schemas.
 */
final class ManifestValidator {

    /** apiVersion + " " + kind of the kinds checked by a JSON schema, to its resource. */
    private static final Map<String, String> SCHEMAS = Map.of(
            "keda.sh/v1alpha1 ScaledObject", "schemas/keda.sh_v1alpha1_ScaledObject.json",
            "postgresql.cnpg.io/v1 Cluster", "schemas/postgresql.cnpg.io_v1_Cluster.json");

    /**
     * Strimzi's models, which fabric8's registry does not find by themselves. The manifests declare v1 (Strimzi 1.x);
     * the model on Java 17 is 0.51's v1beta2, whose fields for these kinds are v1's (v1 removed deprecated ones).
     */
    private static final Map<String, Class<?>> STRIMZI = Map.of(
            "kafka.strimzi.io/v1 Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class,
            "kafka.strimzi.io/v1 KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class,
            "kafka.strimzi.io/v1 KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class);

    /** Finds the model class of an apiVersion and kind (fabric8 registers every model on its class path). */
    private final KubernetesSerialization kinds = new KubernetesSerialization();

    /** Reads into a model and fails on any field the model does not have. */
    private final ObjectMapper strict = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .build();

    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    /** What is wrong with the object; empty when it is valid. */
    List<String> problems(ObjectNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            return List.of("has no apiVersion or kind");
        }
        String schema = SCHEMAS.get(apiVersion + " " + kind);
        return schema != null ? againstSchema(object, schema) : againstModel(object, apiVersion, kind);
    }

    private List<String> againstModel(ObjectNode object, String apiVersion, String kind) {
        Class<?> model = STRIMZI.get(apiVersion + " " + kind);
        if (model == null) {
            // Only the type's name: the object itself is read strictly below.
            String typeOnly = "{\"apiVersion\": \"%s\", \"kind\": \"%s\"}".formatted(apiVersion, kind);
            model = kinds.unmarshal(typeOnly, KubernetesResource.class).getClass();
        }
        if (model == GenericKubernetesResource.class) {
            return List.of("no model or schema for " + apiVersion + " " + kind + ": nothing could check it");
        }
        try {
            strict.treeToValue(object, model);
            return List.of();
        } catch (IOException e) {
            return List.of(firstLine(e));
        }
    }

    private List<String> againstSchema(ObjectNode object, String resource) {
        Schema schema = loaded.computeIfAbsent(resource, this::load);
        List<String> problems = schema.validate(object).stream().map(Object::toString).collect(Collectors.toList());
        // The schemas leave metadata open; ObjectMeta checks it.
        try {
            strict.treeToValue(object.path("metadata"), ObjectMeta.class);
        } catch (IOException e) {
            problems.add("metadata: " + firstLine(e));
        }
        return problems;
    }

    private Schema load(String resource) {
        try (InputStream in = ManifestValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the test class path");
            }
            return schemas.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's message with the path to the field, without the source excerpt that follows it. */
    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                ? " at " + mapping.getPathReference() : "";
        return message.lines().findFirst().orElse(message) + path;
    }

    static String describe(JsonNode object) {
        return object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
    }
}
