package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.e2e.console.Browser;
import io.hookflow.stack.Ports;
import io.hookflow.stack.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's headless Chromium) against the real services: the packaged console
 * proxies to the packaged ingest, rules and delivery services of {@link HookflowSystem}. Each test signs in as an
 * operator would and answers one of the console's questions by clicking, never by calling the API on the user's behalf
 * (the API is used only to play the webhook sender and to check what the clicks did).
 *
 * <p>Screenshots of the main pages go to target/console-screenshots/, and also to docs/console/ when run with
 * {@code -Dhookflow.console.screenshots=docs}.
 */
@ExtendWith(HookflowSystem.class)
class ConsoleIT {

    static final Duration DELIVERY = Duration.ofSeconds(60);
    static final List<Path> SCREENSHOTS = new ArrayList<>(List.of(HookflowSystem.WORK.resolve("../console-screenshots")));

    static ServiceProcess console;
    static Browser browser;
    final HookflowSystem system = HookflowSystem.get();
    final String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeAll
    static void startConsoleAndBrowser() {
        HookflowSystem system = HookflowSystem.get();
        if ("docs".equals(System.getProperty("hookflow.console.screenshots"))) {
            SCREENSHOTS.add(HookflowSystem.ROOT.resolve("docs/console"));
        }
        int port = Ports.free();
        console = ServiceProcess.start("console", HookflowSystem.ROOT.resolve("console/target/quarkus-app/quarkus-run.jar"),
                Map.of("QUARKUS_HTTP_PORT", String.valueOf(port),
                        "JAVA_OPTS", "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                        "HOOKFLOW_CONSOLE_INGEST_URL", system.ingestUrl(),
                        "HOOKFLOW_CONSOLE_RULES_URL", system.rulesUrl(),
                        "HOOKFLOW_CONSOLE_DELIVERY_URL", system.deliveryUrl()),
                port, HookflowSystem.WORK.resolve("console.log")).awaitReady(Duration.ofSeconds(120));
        browser = Browser.start(HookflowSystem.WORK.resolve("browser"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @BeforeEach
    void signOut() {
        browser.open(console.baseUrl() + "/");
        ((JavascriptExecutor) browser.driver()).executeScript("sessionStorage.clear()");
        browser.open(console.baseUrl() + "/?fresh=" + unique + "#/");
    }

    @Test
    void shouldFollowAWebhookToItsFailedExecutionAndRetryItUntilItSucceeds() {
        String path = "/console/walk-" + unique;
        system.sink().respondWith(path, 500);
        String ref = createRule("walk_" + unique, "e2e.console_" + unique, path, "{\"maxAttempts\": 1}");
        String matching = fire("e2e.console_" + unique, "{\"attribute\": \"go\", \"order\": 17}");
        String notMatching = fire("e2e.console_" + unique, "{\"attribute\": \"stop\", \"order\": 18}");

        signIn(KEY);
        // Did my webhook arrive? Both instances are listed, newest first, with what they matched.
        browser.button("Arrivals").click();
        browser.field("Trigger").sendKeys("e2e.console_" + unique);
        browser.button("Apply").click();
        browser.visible(By.cssSelector("a[href='#/arrivals/" + matching + "']"));
        browser.visible(By.cssSelector("a[href='#/arrivals/" + notMatching + "']"));
        String arrivals = browser.awaitText("no rule matched");
        assertTrue(arrivals.contains("processed"), arrivals);
        screenshot("arrivals");

        // Why didn't my rule fire? The instance shows each criterion's verdict.
        browser.visible(By.cssSelector("a[href='#/arrivals/" + notMatching + "']")).click();
        String why = browser.awaitText("does not hold");
        assertTrue(why.contains(ref) && why.contains("trigger.attribute") && why.contains("\"stop\""), why);
        screenshot("why-not");

        // What was sent and what came back? The execution failed on the target's 500.
        browser.open(console.baseUrl() + "/#/arrivals/" + matching);
        browser.awaitText("fired");
        browser.button("Open its execution").click();
        String failed = browser.awaitText("FAILED", DELIVERY);
        assertTrue(failed.contains("Attempt 1") && failed.contains("HTTP 500"), failed);
        assertTrue(failed.contains("\"order\":17") || failed.contains(path), failed);
        screenshot("execution-failed");

        // Re-run it: the target recovers, the operator retries, a second attempt succeeds.
        system.sink().respondWith(path, 200);
        browser.button("Retry").click();
        String succeeded = browser.awaitText("SUCCEEDED", DELIVERY);
        browser.awaitText("Attempt 2");
        assertTrue(succeeded.contains("Retry scheduled"), succeeded);
        assertEquals(2, system.sink().requestsTo(path).size(), "one failed and one retried request reached the target");
        screenshot("execution-retried");

        // The executions list shows it, filtered by rule.
        browser.open(console.baseUrl() + "/#/executions?rule=" + ref);
        browser.awaitText("SUCCEEDED");
        screenshot("executions");
    }

    @Test
    void shouldRetryEveryFailedExecutionOfAFilteredSetInBulk() {
        String path = "/console/bulk-" + unique;
        system.sink().respondWith(path, 503);
        String ref = createRule("bulk_" + unique, "e2e.bulk_" + unique, path, "{\"maxAttempts\": 1}");
        List<String> instances = List.of(fire("e2e.bulk_" + unique, "{\"attribute\": \"go\", \"n\": 1}"),
                fire("e2e.bulk_" + unique, "{\"attribute\": \"go\", \"n\": 2}"),
                fire("e2e.bulk_" + unique, "{\"attribute\": \"go\", \"n\": 3}"));
        await().atMost(DELIVERY).until(() -> executions(ref, "FAILED").size() == instances.size());
        system.sink().respondWith(path, 200);

        signIn(KEY);
        browser.open(console.baseUrl() + "/#/executions?status=FAILED&rule=" + ref);
        browser.awaitText("Retry every FAILED execution matching these filters");
        browser.button("Retry every FAILED execution matching these filters").click();
        browser.acceptConfirm();
        browser.awaitText("3 of 3 retried", DELIVERY);
        await().atMost(DELIVERY).until(() -> executions(ref, "SUCCEEDED").size() == instances.size());
        assertEquals(6, system.sink().requestsTo(path).size(), "three failed and three retried requests");
    }

    @Test
    void shouldShowARuleAsYamlTestItAgainstAPastedPayloadAndDisableIt() {
        String ref = createRule("tested_" + unique, "e2e.tested_" + unique, "/console/tested-" + unique, "{\"maxAttempts\": 2}");

        signIn(KEY);
        browser.button("Rules").click();
        browser.visible(By.cssSelector("a[href='#/rules/" + ref + "']")).click();
        String yaml = browser.visible(By.cssSelector("pre.yaml")).getText();
        assertTrue(yaml.contains("name: tested_" + unique) && yaml.contains("criteria:\n  trigger.attribute:")
                && yaml.contains("pattern: go") && yaml.contains("maxAttempts: 2"), yaml);

        WebElement payload = browser.field("Payload of a e2e.tested_" + unique + " trigger instance (JSON)");
        payload.clear();
        payload.sendKeys("{\"attribute\": \"go\", \"order\": 5}");
        browser.button("Run the test").click();
        String verdict = browser.awaitText("The rule matches");
        assertTrue(verdict.contains("holds") && verdict.contains("The request it would send"), verdict);
        screenshot("rule");

        browser.button("Disable").click();
        browser.awaitText("Rule disabled.");
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/rules/" + ref)
                .then().statusCode(200).body("enabled", org.hamcrest.Matchers.equalTo(false));
        browser.button("Enable").click();
        browser.awaitText("Rule enabled.");
    }

    @Test
    void shouldCreateAWebhookByIdAndAnApiKeyShownOnceThenDisableAndDeleteIt() {
        signIn(KEY);
        browser.button("Webhooks").click();
        browser.field("Name").sendKeys("console-hook-" + unique);
        browser.button("Create webhook").click();
        String url = browser.visible(By.id("created-url")).getText();
        assertTrue(url.startsWith(system.ingestUrl() + "/api/v1/trigger-webhooks/"), url);
        browser.awaitText("console-hook-" + unique);
        // The URL as shown takes a webhook.
        given().header("St2-Api-Key", KEY).contentType("application/json").body("{\"from\": \"console\"}").post(url)
                .then().statusCode(202);
        screenshot("webhooks");

        browser.button("API keys").click();
        browser.field("Name").sendKeys("console-key-" + unique);
        browser.button("Create key").click();
        String key = browser.visible(By.id("new-key")).getText();
        assertTrue(key.startsWith("hfk_"), key);
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", key).get("/api/v1/destinations").then().statusCode(200);
        screenshot("apikeys");

        String masked = key.substring(0, 8) + "********";
        browser.visible(By.cssSelector("button[aria-label='Disable key " + masked + "']")).click();
        browser.awaitText("disabled.");
        await().atMost(Duration.ofSeconds(10)).until(() -> given().baseUri(system.deliveryUrl()).header("St2-Api-Key", key)
                .get("/api/v1/destinations").statusCode() == 401);
        browser.visible(By.cssSelector("button[aria-label='Delete key " + masked + "']")).click();
        browser.acceptConfirm();
        browser.awaitText("deleted.");
        browser.await(d -> !d.findElement(By.cssSelector("table[aria-label='API keys']")).getText()
                .contains("console-key-" + unique));
    }

    @Test
    void shouldShowDestinationsAndStats() {
        String path = "/console/stats-" + unique;
        String ref = createRule("stats_" + unique, "e2e.stats_" + unique, path, "{\"maxAttempts\": 1}");
        fire("e2e.stats_" + unique, "{\"attribute\": \"go\"}");
        await().atMost(DELIVERY).until(() -> executions(ref, "SUCCEEDED").size() == 1);

        signIn(KEY);
        browser.button("Destinations").click();
        browser.awaitText("127.0.0.1:" + system.sink().port());
        assertTrue(browser.text().contains("CLOSED"), browser.text());
        screenshot("destinations");

        browser.button("Stats").click();
        browser.awaitText("success rate");
        WebElement chart = browser.visible(By.cssSelector("svg.chart"));
        assertTrue(chart.getAttribute("aria-label").matches("Executions by status: SUCCEEDED [1-9].*"),
                chart.getAttribute("aria-label"));
        screenshot("stats");
    }

    /**
     * Replays of SUCCEEDED executions (a receiver that lost what it was sent): unlike failures, they cannot open the
     * shared sink's circuit however many there are, and there must be enough for a job at one a second to be running
     * while it is canceled.
     */
    @Test
    void shouldStartAReplayWatchItsProgressCancelItAndReplayTheRest() {
        String path = "/console/replay-" + unique;
        String ref = createRule("replay_" + unique, "e2e.replay_" + unique, path, "{\"maxAttempts\": 1}");
        int delivered = 20;
        for (int n = 0; n < delivered; n++) {
            fire("e2e.replay_" + unique, "{\"attribute\": \"go\", \"order\": " + n + "}");
        }
        await().atMost(DELIVERY).until(() -> executions(ref, "SUCCEEDED").size() == delivered);

        signIn(KEY);
        browser.button("Replays").click();
        new Select(browser.field("Status")).selectByValue("SUCCEEDED");
        browser.field("Rule (ref or id)").sendKeys(ref);
        browser.field("Executions per second").sendKeys("1");
        browser.button("Start replay").click();
        browser.awaitText("started.");
        String slow = replayJobs().get(0);
        // One execution a second: still running when the page shows its progress.
        browser.awaitText("matched so far");
        browser.visible(By.cssSelector("button[aria-label='Cancel replay " + slow + "']")).click();
        browser.acceptConfirm();
        browser.awaitText("Replay " + slow + " canceled.");
        int queued = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/executions/replay/" + slow).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("canceled")).extract().path("queued");
        assertTrue(queued < delivered, "canceled before it queued all: " + queued);
        await().atMost(DELIVERY).until(() -> executions(ref, "SUCCEEDED").size() == delivered);

        browser.field("Executions per second").clear();
        browser.button("Start replay").click();
        browser.awaitText("started.");
        String rest = replayJobs().get(0);
        assertFalse(rest.equals(slow));
        browser.await(DELIVERY, d -> d.findElement(By.xpath("//tr[td/code[normalize-space(.)='" + rest + "']]"))
                .getText().contains(delivered + " queued of " + delivered + " matched"));
        await().atMost(DELIVERY).until(() -> system.sink().requestsTo(path).size() == 2 * delivered + queued);
        screenshot("replays");
    }

    @Test
    void shouldShowAShadowRulesModeAndTheRequestItWouldHaveSent() {
        String path = "/console/shadow-" + unique;
        String rule = """
                {"name": "shadow_%1$s", "pack": "e2e_console", "mode": "shadow", "trigger": {"type": "e2e.shadow_%1$s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%2$s", "method": "POST",
                    "body": {"order": "{{ trigger.order }}"}, "password": "shadow-password-%1$s", "username": "u"}}}
                """.formatted(unique, system.sink().url(path));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201);
        String ref = "e2e_console.shadow_" + unique;
        String instance = fire("e2e.shadow_" + unique, "{\"order\": \"o-" + unique + "\"}");
        await().atMost(DELIVERY).until(() -> "shadowed".equals(given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements").then().statusCode(200)
                .extract().path("items[0].status")));

        signIn(KEY);
        browser.button("Rules").click();
        String row = browser.visible(By.xpath("//tr[td/a[normalize-space(.)='" + ref + "']]")).getText();
        assertTrue(row.contains("shadow"), row);
        browser.visible(By.cssSelector("a[href='#/rules/" + ref + "']")).click();
        String page = browser.awaitText("What it would have sent");
        browser.awaitText("o-" + unique);
        page = browser.text();
        assertTrue(page.contains(path) && page.contains("shadowed"), page);
        assertFalse(page.contains("shadow-password-" + unique), "the password is masked: " + page);
        screenshot("shadow-rule");

        browser.open(console.baseUrl() + "/#/arrivals/" + instance);
        String arrival = browser.awaitText("matched in shadow mode: recorded, not sent");
        assertTrue(arrival.contains("The request it would have sent") && arrival.contains(path), arrival);
        assertTrue(system.sink().requestsTo(path).isEmpty(), "a shadow rule sends nothing");
    }

    @Test
    void shouldCreateRotateAndRetireSigningKeys() {
        signIn(KEY);
        browser.button("Signing keys").click();
        browser.button("Create signing key").click();
        String publicKey = browser.visible(By.id("new-public-key")).getText();
        assertTrue(publicKey.startsWith("whpk_"), publicKey);
        String ed25519 = browser.visible(By.id("new-signing-key-id")).getText();
        assertEquals(publicKey, signingKey(ed25519, "publicKey"));

        new Select(browser.field("Algorithm")).selectByValue("hmac-sha256");
        browser.button("Create signing key").click();
        String secret = browser.visible(By.id("new-signing-secret")).getText();
        assertTrue(secret.startsWith("whsec_"), secret);
        String hmac = browser.visible(By.id("new-signing-key-id")).getText();
        assertEquals("hmac-sha256", signingKey(hmac, "algorithm"));
        assertFalse(given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).get("/api/v1/signing-keys")
                .asString().contains(secret), "the secret is in the create answer only");

        browser.visible(By.cssSelector("button[aria-label='Rotate key " + ed25519 + "']")).click();
        browser.awaitText("Key " + ed25519 + " rotated.");
        assertEquals("retiring", signingKey(ed25519, "status"));

        browser.field("Overlap for rotate and retire").sendKeys("0");
        browser.visible(By.cssSelector("button[aria-label='Retire key " + hmac + "']")).click();
        browser.acceptConfirm();
        browser.awaitText("Key " + hmac + " retired.");
        assertEquals("retired", signingKey(hmac, "status"));
        browser.await(d -> d.findElement(By.xpath("//tr[td/code[normalize-space(.)='" + hmac + "']]")).getText()
                .contains("retired"));
        screenshot("signingkeys");
    }

    @Test
    void shouldRefuseAWrongKeyWithAClearMessage() {
        browser.field("API key").sendKeys("hfk_not_a_key_" + unique);
        browser.button("Sign in").click();
        WebElement alert = browser.visible(By.cssSelector("[role=alert]"));
        assertTrue(alert.getText().contains("Sign-in refused") && alert.getText().contains("invalid API key"), alert.getText());
        assertTrue(browser.text().contains("Sign in to the Hookflow console"), "still on the sign-in page");
        screenshot("signin-refused");
    }

    @Test
    void shouldShowASecondOrganisationNoneOfTheFirstsData() {
        String path = "/console/tenant-" + unique;
        String ref = createRule("tenant_" + unique, "e2e.tenant_" + unique, path, "{\"maxAttempts\": 1}");
        String instance = fire("e2e.tenant_" + unique, "{\"attribute\": \"go\"}");
        await().atMost(DELIVERY).until(() -> executions(ref, "SUCCEEDED").size() == 1);
        String execution = executions(ref, "SUCCEEDED").get(0);
        String otherKey = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"name\": \"other\", \"orgId\": \"console-other-" + unique + "\"}").post("/api/v1/apikeys")
                .then().statusCode(201).extract().path("key");

        signIn(otherKey);
        browser.button("Arrivals").click();
        browser.awaitText("No trigger instances match these filters.");
        browser.button("Executions").click();
        browser.awaitText("No executions match these filters.");
        browser.button("Rules").click();
        browser.awaitText("No rules.");
        assertFalse(browser.text().contains(ref));
        browser.open(console.baseUrl() + "/#/executions/" + execution);
        browser.awaitText("Not found");
        browser.open(console.baseUrl() + "/#/arrivals/" + instance);
        browser.awaitText("Not found");
    }

    private void signIn(String key) {
        browser.field("API key").sendKeys(key);
        browser.button("Sign in").click();
        browser.awaitText("Sign out");
    }

    private void screenshot(String name) {
        browser.screenshot(name, SCREENSHOTS);
    }

    private String createRule(String name, String trigger, String path, String retry) {
        String rule = """
                {"name": "%s", "pack": "e2e_console", "enabled": true, "description": "the console's browser test",
                 "trigger": {"type": "%s"},
                 "criteria": {"trigger.attribute": {"type": "equals", "pattern": "go"}},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                    "headers": {"Content-Type": "application/json"}, "body": {"order": "{{ trigger.order | default(0) }}"},
                    "retry": %s}}}
                """.formatted(name, trigger, system.sink().url(path), retry);
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201);
        return "e2e_console." + name;
    }

    private String fire(String trigger, String payload) {
        return given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"" + trigger + "\", \"payload\": " + payload + "}")
                .post("/api/v1/webhooks/st2").then().statusCode(202).extract().path("id");
    }

    /** The organisation's replay job ids, newest first. */
    private List<String> replayJobs() {
        return given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).get("/api/v1/executions/replay")
                .then().statusCode(200).extract().path("items.id");
    }

    private String signingKey(String id, String field) {
        return given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).get("/api/v1/signing-keys")
                .then().statusCode(200).extract().path("items.find { it.id == '" + id + "' }." + field);
    }

    private List<String> executions(String ruleRef, String status) {
        return given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .queryParam("rule", ruleRef).queryParam("status", status)
                .get("/api/v1/executions").then().statusCode(200).extract().path("items.id");
    }
}
