package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard (deploy/grafana/hookflow.json) and the alerts (k8s/components/prometheus-rules) against what
 * the packaged services really export: after traffic that includes a refused webhook, a retried and finally failed
 * delivery and a successful one, every metric and label an expression uses must be on some service's /q/metrics, and
 * every expression must parse with Prometheus' own PromQL grammar (@prometheus-io/lezer-promql, installed by npm from
 * e2e-tests/promql/package-lock.json).
 */
@ExtendWith(HookflowSystem.class)
class MetricsContractIT {

    static final Path DASHBOARD = HookflowSystem.ROOT.resolve("deploy/grafana/hookflow.json");
    static final Path ALERTS = HookflowSystem.ROOT.resolve("k8s/components/prometheus-rules/prometheus-rule.yaml");
    static final Path PROMQL = HookflowSystem.ROOT.resolve("e2e-tests/promql");
    static final Path OUT = HookflowSystem.WORK.resolve("metrics-contract");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Labels Prometheus adds to every series from the scrape target; the services do not export them. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "service", "container");

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldExportEveryMetricAndLabelTheDashboardAndAlertsUse() throws Exception {
        driveTraffic();
        Map<String, Set<String>> exported = new TreeMap<>();
        Files.createDirectories(OUT);
        for (Map.Entry<String, String> service : Map.of("ingest", system.ingestUrl(), "rules", system.rulesUrl(),
                "delivery", system.deliveryUrl()).entrySet()) {
            String scrape = given().baseUri(service.getValue()).get("/q/metrics").then().statusCode(200).extract().asString();
            Files.writeString(OUT.resolve(service.getKey() + ".txt"), scrape);
            exposition(scrape).forEach((name, labels) -> exported.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels));
        }

        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.putAll(dashboardExpressions());
        expressions.putAll(alertExpressions());
        assertTrue(expressions.keySet().stream().filter(id -> id.startsWith("alert ")).count() >= 6,
                "the alerts: " + expressions.keySet());
        List<String> problems = check(expressions, exported);
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n(scrapes in " + OUT + ")");
    }

    /** The check itself catches a misspelt metric, an unknown label and a broken expression. */
    @Test
    void shouldRefuseAMisspeltMetricAnUnknownLabelAndABrokenExpression() throws Exception {
        Map<String, Set<String>> exported = Map.of(
                "hookflow_ingest_webhooks_total", Set.of("form", "outcome", "reason"));
        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.put("good", "sum by (reason) (rate(hookflow_ingest_webhooks_total{outcome=\"refused\"}[5m]))");
        expressions.put("misspelt", "sum(rate(hookflow_ingest_webhook_total[5m]))");
        expressions.put("label", "sum(rate(hookflow_ingest_webhooks_total{status=\"500\"}[5m]))");
        expressions.put("grouping", "sum by (url) (rate(hookflow_ingest_webhooks_total[5m]))");
        expressions.put("broken", "sum(rate(hookflow_ingest_webhooks_total[5m])");
        List<String> problems = check(expressions, exported);
        assertFalse(problems.stream().anyMatch(p -> p.startsWith("good:")), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("misspelt:") && p.contains("hookflow_ingest_webhook_total")),
                String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("label:") && p.contains("status")), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("grouping:") && p.contains("url")), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("broken:") && p.contains("syntax")), String.join("\n", problems));
    }

    /** A delivery that succeeds, one that fails after a retry, a refused webhook. */
    private void driveTraffic() {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        system.sink().respondWith("/metrics-contract/fail/", 500);
        for (String kind : List.of("ok", "fail")) {
            String rule = """
                    {"name": "metrics_%1$s_%2$s", "pack": "e2e_metrics", "enabled": true,
                     "trigger": {"type": "e2e.metrics_%1$s"},
                     "action": {"ref": "core.http", "parameters": {"url": "%3$s", "method": "POST", "body": "x",
                                "retry": {"maxAttempts": 2, "schedule": [1]}}}}
                    """.formatted(run, kind, system.sink().url("/metrics-contract/" + kind + "/" + run));
            given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                    .post("/api/v1/rules").then().statusCode(201);
        }
        given().baseUri(system.ingestUrl()).header("St2-Api-Key", "not-a-key").contentType("application/json")
                .body("{\"trigger\": \"e2e.metrics_" + run + "\", \"payload\": {}}")
                .post("/api/v1/webhooks/st2").then().statusCode(401);
        String instance = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"e2e.metrics_" + run + "\", \"payload\": {}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().baseUri(system.deliveryUrl())
                .header("St2-Api-Key", KEY).queryParam("triggerInstance", instance).get("/api/v1/executions")
                .then().statusCode(200)
                .body("items.size()", equalTo(2))
                .body("items.findAll { it.status == 'SUCCEEDED' || it.status == 'FAILED' }.size()", equalTo(2)));
        assertEquals(2, system.sink().requestsTo("/metrics-contract/fail/" + run).size(), "retried once");
        // The latency is measured when rules reads the final execution events; the backlog gauges refresh every 5 s.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.rulesUrl()).get("/q/metrics").asString()
                .contains("hookflow_pipeline_trigger_to_delivery_seconds_count{outcome=\"failed\""));
    }

    private static Map<String, String> dashboardExpressions() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        Map<String, String> found = new LinkedHashMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        for (int i = 0; i < panels.size(); i++) {
            JsonNode panel = panels.get(i);
            panel.path("panels").forEach(panels::add); // collapsed rows hold their panels
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isEmpty()) {
                    found.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                            grafanaVariables(expr));
                }
            }
        }
        assertTrue(found.size() >= 12, "the dashboard's queries: " + found.keySet());
        List<String> rows = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            if (panel.path("type").asText().equals("row")) {
                rows.add(panel.path("title").asText());
            }
        });
        assertEquals(List.of("Pipeline", "Ingest", "Rules", "Delivery"), rows, "one row for the pipeline, one per service");
        return found;
    }

    /** Grafana's interval variables, as Grafana would fill them in. */
    static String grafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h");
    }

    private static Map<String, String> alertExpressions() throws IOException {
        JsonNode rule = new YAMLMapper().readTree(ALERTS.toFile());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        Map<String, String> found = new LinkedHashMap<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                found.put("alert " + alert.path("alert").asText(alert.path("record").asText()), alert.path("expr").asText());
            }
        }
        return found;
    }

    /** What is wrong with the expressions against the exported metrics (name to label names); empty when nothing. */
    static List<String> check(Map<String, String> expressions, Map<String, Set<String>> exported) throws Exception {
        List<Map<String, String>> input = new ArrayList<>();
        expressions.forEach((id, expr) -> input.add(Map.of("id", id, "expr", expr)));
        JsonNode parsed = parse(input);
        List<String> problems = new ArrayList<>();
        for (JsonNode one : parsed) {
            String id = one.path("id").asText();
            one.path("errors").forEach(error -> problems.add(id + ": " + error.asText() + " in " + one.path("expr").asText()));
            Set<String> labelsOfExpression = new TreeSet<>(TARGET_LABELS);
            for (JsonNode metric : one.path("metrics")) {
                String name = metric.asText();
                Set<String> labels = exported.get(name);
                if (labels == null) {
                    problems.add(id + ": metric " + name + " is not exported by any service");
                    continue;
                }
                labelsOfExpression.addAll(labels);
                for (JsonNode label : one.path("labels").path(name)) {
                    if (!labels.contains(label.asText()) && !TARGET_LABELS.contains(label.asText())
                            && !label.asText().equals("__name__")) {
                        problems.add(id + ": metric " + name + " has no label " + label.asText() + " (it has " + labels + ")");
                    }
                }
            }
            for (JsonNode label : one.path("grouping")) {
                if (!labelsOfExpression.contains(label.asText())) {
                    problems.add(id + ": groups by " + label.asText() + ", a label none of its metrics has");
                }
            }
        }
        return problems;
    }

    /** Runs check.mjs (installing its packages first, from the lock file, on a fresh clone). */
    private static JsonNode parse(List<Map<String, String>> input) throws Exception {
        if (!Files.isDirectory(PROMQL.resolve("node_modules/@prometheus-io/lezer-promql"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
        }
        Files.createDirectories(OUT);
        Path in = Files.createTempFile(OUT, "expressions", ".json");
        Files.writeString(in, JSON.writeValueAsString(input));
        return JSON.readTree(run(List.of("node", "check.mjs", in.toString()), Duration.ofMinutes(1)));
    }

    private static String run(List<String> command, Duration timeout) throws Exception {
        Files.createDirectories(OUT); // npm ci on a fresh clone runs before anything else made it
        Path output = Files.createTempFile(OUT, "node", ".out");
        Process process = new ProcessBuilder(command).directory(PROMQL.toFile()).redirectErrorStream(false)
                .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " took longer than " + timeout);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), command + " failed (node and npm are needed on the PATH): " + out);
        return out;
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    /** The Prometheus text format's series: metric name to the label names seen on it. */
    static Map<String, Set<String>> exposition(String scrape) {
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            Set<String> labels = series.computeIfAbsent(sample.group(1), name -> new TreeSet<>());
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return series;
    }
}
