package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.stack.RecordedRequest;
import io.restassured.path.json.JsonPath;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hookflow command against the three packaged services, as an operator uses it: configured through the
 * environment (and, after login, the config file), human tables by default, -j for the services' JSON.
 */
@ExtendWith(HookflowSystem.class)
class CliIT {

    static final Duration DELIVERED = Duration.ofSeconds(60);

    final HookflowSystem system = HookflowSystem.get();
    final String run = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path home;

    Cli cli() {
        return new Cli(system, home);
    }

    @Test
    void shouldCreateAWebhookByIdFireItAndShowTheExecutionItCaused() throws Exception {
        Cli.Result created = cli().run("webhook", "create", "--name", "cli-" + run, "-j").assertOk();
        String webhookId = JsonPath.from(created.out()).getString("id");
        assertEquals("webhookId:" + webhookId, JsonPath.from(created.out()).getString("trigger"));
        assertTrue(cli().run("webhook", "list").assertOk().out().contains(webhookId));

        Path rule = home.resolve("rule.yaml");
        Files.writeString(rule, """
                name: by_id_%s
                pack: cli
                trigger:
                  type: webhookId:%s
                criteria:
                  trigger.body.branch: {type: equals, pattern: main}
                action:
                  ref: core.http
                  parameters:
                    url: %s
                    method: POST
                    body: {built: "{{ trigger.body.branch }}"}
                """.formatted(run, webhookId, system.sink().url("/cli/" + run + "/by-id")));
        assertTrue(cli().run("rule", "create", "-f", rule.toString()).assertOk().out()
                .contains("cli.by_id_" + run));

        Cli.Result fired = cli().run("webhook", "fire", webhookId, "--data", "{\"branch\": \"main\"}", "-j").assertOk();
        String triggerInstance = JsonPath.from(fired.out()).getString("id");

        RecordedRequest received = system.sink().awaitRequestTo("/cli/" + run + "/by-id", DELIVERED);
        assertEquals("{\"built\":\"main\"}", received.body());

        AtomicReference<String> executionId = new AtomicReference<>();
        await().atMost(DELIVERED).untilAsserted(() -> {
            Cli.Result listed = cli().run("execution", "list", "--trigger-instance", triggerInstance, "-j").assertOk();
            assertEquals("SUCCEEDED", JsonPath.from(listed.out()).getString("items[0].status"), listed.out());
            executionId.set(JsonPath.from(listed.out()).getString("items[0].id"));
        });
        Cli.Result table = cli().run("execution", "list", "--rule", "cli.by_id_" + run).assertOk();
        assertTrue(table.out().startsWith("ID "), table.out());
        assertTrue(table.out().contains(executionId.get() + "  SUCCEEDED  cli.by_id_" + run), table.out());

        Cli.Result details = cli().run("execution", "get", executionId.get()).assertOk();
        assertTrue(details.out().contains("status            SUCCEEDED"), details.out());
        assertTrue(details.out().contains("Status history:"), details.out());
        assertTrue(details.out().matches("(?s).*Attempts:\\n#\\s+STARTED.*\\n1\\s+\\S+\\s+\\d+ ms\\s+SUCCESS\\s+200.*"),
                details.out());

        assertTrue(cli().run("triggerinstance", "get", triggerInstance).assertOk().out().contains("processed"));
        assertTrue(cli().run("triggerinstance", "list", "--trigger", "webhookId:" + webhookId).assertOk().out()
                .contains(triggerInstance));
        Cli.Result enforcements = cli().run("enforcement", "list", "--trigger-instance", triggerInstance, "-j").assertOk();
        String enforcementId = JsonPath.from(enforcements.out()).getString("items[0].id");
        assertEquals(executionId.get(), JsonPath.from(enforcements.out()).getString("items[0].executionId"));
        assertTrue(cli().run("enforcement", "get", enforcementId).assertOk().out().contains(executionId.get()));

        cli().run("webhook", "delete", webhookId).assertOk();
        assertEquals(1, cli().run("webhook", "get", webhookId).exitCode());
    }

    @Test
    void shouldPrintTheServicesJsonUnchangedWithJ() {
        String api = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).get("/api/v1/webhooks")
                .then().statusCode(200).extract().asString();
        assertEquals(api + "\n", cli().run("-j", "webhook", "list").assertOk().out());
        assertEquals(api + "\n", cli().run("webhook", "list", "--json").assertOk().out());
    }

    @Test
    void shouldManageARuleFromYamlAndTestAndExecuteIt() throws Exception {
        String ref = "cli.managed_" + run;
        Path file = home.resolve("managed.yaml");
        Files.writeString(file, managedRule("first", "/cli/" + run + "/managed"));
        cli().run("rule", "create", "-f", file.toString()).assertOk();

        Cli.Result got = cli().run("rule", "get", ref).assertOk();
        assertTrue(got.out().contains("description         first"), got.out());
        assertTrue(got.out().contains("\"trigger.attribute1\":{\"type\":\"equals\",\"pattern\":\"value1\"}"), got.out());
        String api = given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/rules/" + ref)
                .then().statusCode(200).extract().asString();
        assertEquals(api + "\n", cli().run("rule", "get", ref, "-j").assertOk().out());
        assertTrue(cli().run("rule", "list", "--pack", "cli").assertOk().out().contains(ref));

        assertEquals("Rule " + ref + " disabled.\n", cli().run("rule", "disable", ref).assertOk().out());
        assertEquals("false", JsonPath.from(cli().run("rule", "get", ref, "-j").out()).getString("enabled"));
        assertFalse(cli().run("rule", "list", "--pack", "cli", "--enabled").out().contains(ref));
        assertTrue(cli().run("rule", "list", "--pack", "cli", "--enabled", "false").out().contains(ref));
        assertEquals("Rule " + ref + " enabled.\n", cli().run("rule", "enable", ref).assertOk().out());

        Cli.Result matched = cli().run("rule", "test", ref, "--payload", "{\"attribute1\": \"value1\"}").assertOk();
        assertTrue(matched.out().startsWith("MATCHED\n"), matched.out());
        assertTrue(matched.out().contains("trigger.attribute1  equals    value1   value1  true"), matched.out());
        assertTrue(matched.out().contains("POST " + system.sink().url("/cli/" + run + "/managed")), matched.out());
        Path payload = home.resolve("payload.json");
        Files.writeString(payload, "{\"attribute1\": \"other\"}");
        Cli.Result unmatched = cli().run("rule", "test", ref, "--payload", "@" + payload).assertOk();
        assertTrue(unmatched.out().startsWith("NOT MATCHED\n"), unmatched.out());
        assertFalse(JsonPath.from(cli().run("rule", "test", ref, "--payload", "@" + payload, "-j").out())
                .getBoolean("matched"));

        Files.writeString(file, managedRule("second", "/cli/" + run + "/managed"));
        cli().run("rule", "update", ref, "-f", file.toString()).assertOk();
        assertTrue(cli().run("rule", "get", ref).out().contains("description         second"));

        // A recorded instance: tested by id, then executed from it.
        String instance = JsonPath.from(cli().run("webhook", "fire", "st2", "-j", "--data",
                "{\"trigger\": \"cli.t_" + run + "\", \"payload\": {\"attribute1\": \"value1\"}}").assertOk().out())
                .getString("id");
        await().atMost(DELIVERED).until(() -> cli().run("triggerinstance", "get", instance).exitCode() == 0);
        assertTrue(cli().run("rule", "test", ref, "--trigger-instance", instance).assertOk().out().startsWith("MATCHED"));
        system.sink().awaitRequestTo("/cli/" + run + "/managed", DELIVERED);
        Cli.Result executed = cli().run("rule", "execute", ref, "--trigger-instance", instance).assertOk();
        assertTrue(executed.out().contains("response          HTTP 200"), executed.out());
        await().atMost(DELIVERED).until(() -> system.sink().requestsTo("/cli/" + run + "/managed").size() == 2);

        assertEquals("Deleted rule " + ref + ".\n", cli().run("rule", "delete", ref).assertOk().out());
        Cli.Result gone = cli().run("rule", "get", ref);
        assertEquals(1, gone.exitCode());
        assertTrue(gone.err().startsWith("Error: 404 not_found: "), gone.err());
    }

    @Test
    void shouldCreateListDisableEnableAndDeleteApiKeysAndIssueAndRevokeTokens() {
        Cli.Result created = cli().run("apikey", "create", "--name", "cli-" + run, "-j").assertOk();
        String id = JsonPath.from(created.out()).getString("id");
        String key = JsonPath.from(created.out()).getString("key");
        assertTrue(cli().run("apikey", "list").assertOk().out().lines().anyMatch(line ->
                line.matches(id + "\\s+cli-" + run + "\\s+" + key.substring(0, 8) + "\\*+\\s+true\\s.*")));

        Cli withNewKey = cli().with("HOOKFLOW_API_KEY", key);
        withNewKey.run("webhook", "list").assertOk();
        assertTrue(cli().run("apikey", "disable", id).assertOk().out().endsWith("disabled.\n"));
        Cli.Result refused = withNewKey.run("webhook", "list");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().startsWith("Error: 401 unauthorized: "), refused.err());
        cli().run("apikey", "enable", id).assertOk();
        withNewKey.run("webhook", "list").assertOk();
        assertEquals("Deleted API key " + id + ".\n", cli().run("apikey", "delete", id).assertOk().out());
        assertFalse(cli().run("apikey", "list", "-j").out().contains(id));

        String token = JsonPath.from(cli().run("token", "create", "--ttl", "10m", "-j").assertOk().out()).getString("token");
        Cli withToken = cli().with("HOOKFLOW_API_KEY", null).with("HOOKFLOW_AUTH_TOKEN", token);
        withToken.run("rule", "list").assertOk();
        assertEquals("Token revoked.\n", cli().run("token", "revoke", token).assertOk().out());
        // Every service follows the revocations topic: rules and delivery refuse the token within moments.
        await().atMost(Duration.ofSeconds(30)).until(() -> withToken.run("rule", "list").exitCode() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                withToken.run("execution", "list").err().startsWith("Error: 401 unauthorized: the token was revoked"));
    }

    @Test
    void shouldLoginOnceAndThenWorkFromTheConfigFileAlone() throws Exception {
        Cli bare = cli().with("HOOKFLOW_API_KEY", null).with("HOOKFLOW_INGEST_URL", null)
                .with("HOOKFLOW_RULES_URL", null).with("HOOKFLOW_DELIVERY_URL", null);
        Cli.Result login = bare.withStdin(KEY + "\n").run("login", "--ingest-url", system.ingestUrl(),
                "--rules-url", system.rulesUrl(), "--delivery-url", system.deliveryUrl()).assertOk();
        Path config = home.resolve("hookflow/config");
        assertTrue(login.out().contains("Saved in " + config), login.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertTrue(Files.readString(config).contains("api_key=" + KEY));

        bare.run("rule", "list").assertOk();
        bare.run("execution", "stats").assertOk();

        bare.withStdin(KEY + "\n").run("login", "--store-token", "--ttl", "1h").assertOk();
        String saved = Files.readString(config);
        assertTrue(saved.contains("auth_token=eyJ"), saved);
        assertFalse(saved.contains("api_key"), saved);
        bare.run("webhook", "list").assertOk();

        Cli.Result wrongKey = bare.run("login", "--api-key", "hfk_not-a-key");
        assertEquals(1, wrongKey.exitCode());
        assertTrue(wrongKey.err().startsWith("Error: 401 unauthorized: invalid API key"), wrongKey.err());
        assertTrue(Files.readString(config).contains("auth_token=eyJ"), "a refused login keeps the saved settings");
    }

    @Test
    void shouldCancelAndRetryAnExecutionAndShowStatsAndDestinations() {
        String path = "/cli/" + run + "/flaky";
        system.sink().respondWith(path, 503);
        String ref = "cli.flaky_" + run;
        cli().withStdin("""
                {"name": "flaky_%s", "pack": "cli", "trigger": {"type": "cli.flaky_%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "retry": {"maxAttempts": 5, "schedule": [120]}}}}
                """.formatted(run, run, system.sink().url(path))).run("rule", "create", "-f", "-").assertOk();
        String instance = JsonPath.from(cli().run("webhook", "fire", "st2", "-j", "--data",
                "{\"trigger\": \"cli.flaky_" + run + "\", \"payload\": {}}").assertOk().out()).getString("id");

        AtomicReference<String> executionId = new AtomicReference<>();
        await().atMost(DELIVERED).untilAsserted(() -> {
            JsonPath page = JsonPath.from(cli().run("execution", "list", "--trigger-instance", instance, "--status",
                    "RETRYING", "-j").assertOk().out());
            assertEquals(ref, page.getString("items[0].ruleRef"));
            executionId.set(page.getString("items[0].id"));
        });
        assertEquals("Execution " + executionId.get() + " is CANCELED.\n",
                cli().run("execution", "cancel", executionId.get()).assertOk().out());
        Cli.Result again = cli().run("execution", "cancel", executionId.get());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().startsWith("Error: 409 conflict: "), again.err());

        system.sink().respondWith(path, 200);
        assertTrue(cli().run("execution", "retry", executionId.get()).assertOk().out().contains("is RETRYING"));
        await().atMost(DELIVERED).until(() -> cli().run("execution", "get", executionId.get()).out()
                .contains("status            SUCCEEDED"));

        Cli.Result stats = cli().run("execution", "stats", "--since", "1h").assertOk();
        assertTrue(stats.out().matches("(?s).*SUCCEEDED\\s+[1-9]\\d*\\n.*"), stats.out());
        Cli.Result destinations = cli().run("destination", "list").assertOk();
        assertTrue(destinations.out().lines().anyMatch(line -> line.matches("127\\.0\\.0\\.1:" + system.sink().port()
                + "\\s+(CLOSED|OPEN|HALF_OPEN)\\s+\\d+\\b.*")), destinations.out());
    }

    @Test
    void shouldReplayARulesFailedExecutionsAndFollowTheJobToCompletion() {
        String path = "/cli/" + run + "/outage";
        system.sink().respondWith(path, 503);
        String ref = "cli.outage_" + run;
        String since = java.time.Instant.now().minusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        cli().withStdin("""
                {"name": "outage_%s", "pack": "cli", "trigger": {"type": "cli.outage_%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                    "body": "{{ trigger.n }}", "retry": {"maxAttempts": 1}}}}
                """.formatted(run, run, system.sink().url(path))).run("rule", "create", "-f", "-").assertOk();
        for (String n : List.of("1", "2")) {
            cli().run("webhook", "fire", "st2", "-j", "--data",
                    "{\"trigger\": \"cli.outage_" + run + "\", \"payload\": {\"n\": \"" + n + "\"}}").assertOk();
        }
        await().atMost(DELIVERED).untilAsserted(() -> assertEquals(2, JsonPath.from(cli().run("execution", "list",
                "--rule", ref, "--status", "FAILED", "-j").assertOk().out()).getList("items").size()));
        assertEquals(2, system.sink().requestsTo(path).size());

        system.sink().respondWith(path, 200);
        Cli.Result started = cli().run("execution", "replay", "--rule", ref, "--since", since).assertOk();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("Replay job (rpl_\\S+) started").matcher(started.out());
        assertTrue(id.find(), started.out());

        await().atMost(DELIVERED).untilAsserted(() -> {
            JsonPath job = JsonPath.from(cli().run("replay", "status", id.group(1), "-j").assertOk().out());
            assertEquals("completed", job.getString("status"));
            assertEquals(2, job.getInt("matched"));
            assertEquals(2, job.getInt("queued"));
        });
        String status = cli().run("replay", "status", id.group(1)).assertOk().out();
        assertTrue(status.matches("(?s).*status\\s+completed\\n.*") && status.matches("(?s).*queued\\s+2\\n.*")
                && status.contains(ref), status);
        assertTrue(cli().run("replay", "list").assertOk().out().lines()
                .anyMatch(line -> line.startsWith(id.group(1)) && line.contains("completed")));

        await().atMost(DELIVERED).until(() -> system.sink().deliveredTo(path).size() == 2);
        assertEquals(List.of("1", "2"), system.sink().deliveredTo(path).stream().map(RecordedRequest::body).sorted()
                .toList());
        Cli.Result finished = cli().run("replay", "cancel", id.group(1));
        assertEquals(1, finished.exitCode());
        assertTrue(finished.err().startsWith("Error: 409 conflict: "), finished.err());
    }

    @Test
    void shouldCreateRotateListAndRetireSigningKeys() {
        Cli.Result created = cli().run("signing-key", "create", "-j").assertOk();
        String oldId = JsonPath.from(created.out()).getString("id");
        assertTrue(JsonPath.from(created.out()).getString("publicKey").startsWith("whpk_"), created.out());
        String newId = JsonPath.from(cli().run("signing-key", "rotate", oldId, "--overlap", "60", "-j").assertOk().out())
                .getString("id");
        Cli.Result listed = cli().run("signing-key", "list").assertOk();
        assertTrue(listed.out().lines().anyMatch(line -> line.matches(oldId + "\\s+ed25519\\s+retiring\\b.*")), listed.out());
        assertTrue(listed.out().lines().anyMatch(line -> line.matches(newId + "\\s+ed25519\\s+active\\b.*")), listed.out());

        Cli.Result hmac = cli().run("signing-key", "create", "--algorithm", "hmac-sha256").assertOk();
        assertTrue(hmac.out().matches("(?s).*secret\\s+whsec_.*shown this once.*"), hmac.out());

        Cli.Result retired = cli().run("signing-key", "retire", oldId, "--overlap", "0").assertOk();
        assertTrue(retired.out().matches("(?s).*status\\s+retired\\n.*"), retired.out());
        Cli.Result again = cli().run("signing-key", "retire", oldId);
        assertEquals(1, again.exitCode());
        assertTrue(again.err().startsWith("Error: 409 conflict: "), again.err());
        cli().run("signing-key", "retire", newId, "--overlap", "0").assertOk();
    }

    @Test
    void shouldSendATestDeliveryAndShowTheAnswer() {
        Cli.Result sent = cli().run("test-delivery", "--url", system.sink().url("/cli/" + run + "/test"), "--method", "PUT",
                "--data", "{\"ping\": true}", "-H", "Content-Type: application/json").assertOk();
        assertTrue(sent.out().contains("request           PUT " + system.sink().url("/cli/" + run + "/test")), sent.out());
        assertTrue(sent.out().contains("response          HTTP 200"), sent.out());
        RecordedRequest received = system.sink().awaitRequestTo("/cli/" + run + "/test", DELIVERED);
        assertEquals("PUT", received.method());
        assertEquals("{\"ping\": true}", received.body());
    }

    @Test
    void shouldWatchNewExecutionsLive() throws Exception {
        cli().withStdin("""
                {"name": "watched_%s", "pack": "cli", "trigger": {"type": "cli.watched_%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s"}}}
                """.formatted(run, run, system.sink().url("/cli/" + run + "/watched"))).run("rule", "create", "-f", "-")
                .assertOk();
        StringWriter out = new StringWriter();
        AtomicReference<Thread> watcher = new AtomicReference<>();
        CompletableFuture<Cli.Result> watching = CompletableFuture.supplyAsync(() -> {
            watcher.set(Thread.currentThread());
            return cli().run(out, "execution", "watch", "--rule", "cli.watched_" + run, "--since", "5m", "--interval", "0.5",
                    "-j");
        });
        // --since: whatever the watch's first poll sees of this (new) rule is news, so firing needs no wait for it.
        await().atMost(Duration.ofSeconds(30)).until(() -> watcher.get() != null);
        cli().run("webhook", "fire", "st2", "--data", "{\"trigger\": \"cli.watched_" + run + "\", \"payload\": {}}")
                .assertOk();
        await().atMost(DELIVERED).until(() -> out.toString().contains("\"status\":\"SUCCEEDED\""));
        watcher.get().interrupt();
        Cli.Result ended = watching.get();
        assertEquals(0, ended.exitCode(), ended.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.stream().allMatch(line -> JsonPath.from(line).getString("ruleRef").equals("cli.watched_" + run)),
                out.toString());
        assertEquals(1, lines.stream().map(line -> JsonPath.from(line).getString("id")).distinct().count(), out.toString());
    }

    @Test
    void shouldAnswerOneLineAndTheRightExitCodeWhenRefusedUnreachableOrMisused() throws Exception {
        String unknown = UUID.randomUUID().toString();
        Cli.Result notFound = cli().run("webhook", "get", unknown);
        assertEquals(1, notFound.exitCode());
        assertEquals("Error: 404 not_found: no webhook with id '" + unknown + "'\n", notFound.err());
        assertEquals("", notFound.out());

        Path invalid = home.resolve("invalid.yaml");
        Files.writeString(invalid, "name: broken\ntrigger: {}\naction: {ref: core.http}\n");
        Cli.Result rejected = cli().run("rule", "create", "-f", invalid.toString());
        assertEquals(1, rejected.exitCode());
        assertTrue(rejected.err().startsWith("Error: 400 validation_failed: "), rejected.err());
        assertEquals(1, rejected.err().lines().count(), rejected.err());

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli.Result unreachable = cli().with("HOOKFLOW_RULES_URL", "http://127.0.0.1:" + closed).run("rule", "list");
        assertEquals(3, unreachable.exitCode());
        assertEquals(1, unreachable.err().lines().count(), unreachable.err());
        assertTrue(unreachable.err().startsWith("Error: cannot reach rules-service at http://127.0.0.1:" + closed));

        Cli.Result usage = cli().run("execution", "list", "--limit", "many");
        assertEquals(2, usage.exitCode());
        assertTrue(usage.err().startsWith("Error: Invalid value for option '--limit'"), usage.err());

        Cli.Result noKey = cli().with("HOOKFLOW_API_KEY", null).run("webhook", "list");
        assertEquals(1, noKey.exitCode());
        assertTrue(noKey.err().contains("run hookflow login"), noKey.err());
    }

    @Test
    void shouldRunThroughTheLauncherScript() throws Exception {
        ProcessBuilder launcher = new ProcessBuilder(HookflowSystem.ROOT.resolve("bin/hookflow").toString(), "webhook",
                "list").redirectErrorStream(true);
        launcher.environment().putAll(cli().environment());
        Process process = launcher.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.startsWith("KIND "), output);
        assertTrue(output.contains("/api/v1/webhooks/st2"), output);

        ProcessBuilder refused = new ProcessBuilder(HookflowSystem.ROOT.resolve("bin/hookflow").toString(), "rule", "get",
                "cli.none_" + run);
        refused.environment().putAll(Map.copyOf(cli().environment()));
        assertEquals(1, refused.start().waitFor());
    }

    /** A rule on its own trigger type that posts to the sink when attribute1 is value1. */
    private String managedRule(String description, String path) {
        return """
                name: managed_%s
                pack: cli
                description: %s
                trigger:
                  type: cli.t_%s
                criteria:
                  trigger.attribute1:
                    type: equals
                    pattern: value1
                action:
                  ref: core.http
                  parameters:
                    url: %s
                    method: POST
                    body: {got: "{{ trigger.attribute1 }}"}
                """.formatted(run, description, run, system.sink().url(path));
    }
}
