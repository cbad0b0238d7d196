package io.hookflow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hookflow.e2e.hostile.CorpusSetup;
import io.hookflow.e2e.hostile.HostileCase;
import io.hookflow.e2e.hostile.Placeholders;
import io.hookflow.e2e.hostile.RawHttp;
import io.hookflow.stack.RecordedRequest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile corpus ({@code src/test/resources/hostile/*.json}) against the three packaged services: every case
 * must get one of its expected statuses within 5 s, never a 5xx, never a class name or stack trace, and a 4xx must
 * carry the one error body. Afterwards every service is still ready and good webhooks are still delivered, so no
 * case left a poison behind (the oversized-task rule above all).
 */
@ExtendWith(HookflowSystem.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileCorpusIT {

    /** The corpus cannot shrink silently: removing cases means lowering this on purpose. */
    static final int MIN_CASES = 300;
    static final Duration DEADLINE = Duration.ofSeconds(5);
    /** What a body must never show: exception and class names, stack frames, framework packages. */
    static final Pattern LEAK = Pattern.compile(
            "Exception|Throwable|\\bat (io|java|javax|jakarta|jdk|sun|org|com)\\.|java\\.(lang|util|io|net)|io\\.hookflow\\."
                    + "|com\\.fasterxml|org\\.jboss|io\\.vertx|io\\.quarkus|org\\.hibernate|org\\.postgresql|\\.java:\\d+");

    final List<HostileCase> corpus = HostileCase.loadAll();
    final Placeholders values = new Placeholders();
    HookflowSystem system;
    CorpusSetup setup;
    long corpusStarted;
    long corpusFinished;

    @BeforeAll
    void createTheResourcesTheCorpusPointsAt() {
        system = HookflowSystem.get();
        setup = new CorpusSetup(HookflowSystem.KEY, system.ingestUrl(), system.rulesUrl(), system.deliveryUrl(),
                system.sink(), values);
        long started = System.nanoTime();
        setup.run();
        System.out.printf("hostile corpus: setup took %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    @Order(1)
    void shouldHoldAtLeast300CasesCoveringEveryService() {
        Map<String, Long> byService = corpus.stream().collect(Collectors.groupingBy(HostileCase::service, Collectors.counting()));
        Map<String, Long> byFile = corpus.stream().collect(Collectors.groupingBy(HostileCase::file, java.util.TreeMap::new,
                Collectors.counting()));
        System.out.printf("hostile corpus: %d cases; by service %s; by file %s%n", corpus.size(), byService, byFile);
        assertTrue(corpus.size() >= MIN_CASES, "the hostile corpus shrank to " + corpus.size() + " cases");
        for (String service : List.of("ingest", "rules", "delivery")) {
            assertTrue(byService.getOrDefault(service, 0L) >= 50, service + " has only " + byService.get(service) + " cases");
        }
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> shouldAnswerEveryHostileRequestWithItsDocumented4xx() {
        corpusStarted = System.nanoTime();
        return Stream.concat(
                corpus.stream().map(hostile -> DynamicTest.dynamicTest(hostile.service() + ": " + hostile.name(),
                        () -> run(hostile))),
                Stream.of(DynamicTest.dynamicTest("(corpus timing)", () -> {
                    corpusFinished = System.nanoTime();
                    System.out.printf("hostile corpus: %d cases ran in %d ms%n", corpus.size(),
                            (corpusFinished - corpusStarted) / 1_000_000);
                })));
    }

    /**
     * A rule rendering a 600,000-character field twice makes a task larger than the broker takes: that one
     * enforcement must be recorded failed with the reason, instead of being retried forever in front of every other
     * event (issue 11, item 2).
     */
    @Test
    @Order(3)
    void shouldFailOnlyTheEnforcementWhoseRenderedTaskIsTooLarge() {
        String instance = values.get("blowupInstance");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().baseUri(system.rulesUrl()).header("St2-Api-Key", values.get("key"))
                        .queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements")
                        .then().statusCode(200)
                        .body("items[0].ruleRef", equalTo("hostile.blowup"))
                        .body("items[0].status", equalTo("failed"))
                        .body("items[0].failureReason", containsString("too large")));
    }

    @Test
    @Order(4)
    void shouldStayReadyAndDeliverGoodWebhooksAfterTheCorpus() {
        for (String service : List.of(system.ingestUrl(), system.rulesUrl(), system.deliveryUrl())) {
            given().baseUri(service).get("/q/health/ready").then().statusCode(200);
        }
        String marker = "good-" + UUID.randomUUID();
        given().baseUri(system.ingestUrl()).header("St2-Api-Key", values.get("key")).contentType("application/json")
                .body("{\"trigger\": \"hostile.good\", \"payload\": {\"marker\": \"" + marker + "\"}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202);
        // The rule-registered form shares the trigger type (and so the partition) of the oversized event.
        given().baseUri(system.ingestUrl()).header("St2-Api-Key", values.get("key")).contentType("application/json")
                .body("{\"marker\": \"" + marker + "\"}")
                .post("/api/v1/webhooks/hostile/good").then().statusCode(202);
        RecordedRequest st2 = system.sink().awaitRequestTo("/hostile/good/st2", Duration.ofSeconds(60));
        RecordedRequest url = system.sink().awaitRequestTo("/hostile/good/url", Duration.ofSeconds(60));
        assertEquals(marker, st2.body());
        assertEquals(marker, url.body());
        if (corpusFinished > 0) {
            System.out.printf("hostile corpus: good webhooks delivered %d ms after the last case%n",
                    (System.nanoTime() - corpusFinished) / 1_000_000);
        }
    }

    private void run(HostileCase hostile) throws Exception {
        String baseUrl = setup.baseUrls().get(hostile.service());
        List<RawHttp.Header> headers = new ArrayList<>();
        RawHttp.Header credential = setup.credential(hostile.auth());
        if (credential != null) {
            headers.add(credential);
        }
        for (RawHttp.Header header : hostile.headers()) {
            headers.add(new RawHttp.Header(values.wire(header.name()), values.wire(header.value())));
        }
        byte[] body = hostile.body() == null ? new byte[0] : values.bytes(hostile.body());
        String target = values.wire(hostile.target());

        long retryUntil = System.nanoTime() + Duration.ofSeconds(hostile.retrySeconds()).toNanos();
        RawHttp.Response response;
        while (true) {
            response = RawHttp.send(baseUrl, hostile.method(), target, headers, body, hostile.chunked(), DEADLINE);
            if (hostile.expect().contains(response.status()) || System.nanoTime() > retryUntil) {
                break;
            }
            Thread.sleep(100);
        }
        check(hostile, response);
    }

    private void check(HostileCase hostile, RawHttp.Response response) {
        String text = response.bodyText();
        String seen = hostile.describe() + "\n  answered " + response.status() + " in " + response.millis() + " ms: "
                + (text.length() > 600 ? text.substring(0, 600) + "…" : text)
                + (hostile.pending() == null ? "" : "\n  (pending fix: " + hostile.pending() + ")");
        if (response.timedOut()) {
            fail("no complete answer within " + DEADLINE.toSeconds() + " s\n  " + seen);
        }
        if (response.status() >= 500) {
            fail("a server error\n  " + seen);
        }
        var leak = LEAK.matcher(text);
        if (leak.find()) {
            fail("the answer shows '" + leak.group() + "' (a class name or stack trace)\n  " + seen);
        }
        if (!hostile.expect().contains(response.status())) {
            fail("expected " + hostile.expect() + "\n  " + seen);
        }
        if (response.status() >= 400 && response.status() < 500 && hostile.errorBody()) {
            checkErrorBody(hostile, response, seen);
        }
        for (String expected : hostile.contains()) {
            if (!text.contains(expected)) {
                fail("the answer does not contain '" + expected + "'\n  " + seen);
            }
        }
        if (hostile.ssrfRefused()) {
            JsonPath json = JsonPath.from(text);
            Object error = json.get("error");
            if (json.get("response") != null || !(error instanceof String reason) || !reason.startsWith("refused: ")) {
                fail("expected the send refused before connecting (response null, error 'refused: …')\n  " + seen);
            }
        }
        hostile.capture().forEach((name, path) -> {
            Object value = JsonPath.from(text).get(path);
            if (value == null) {
                fail("nothing at '" + path + "' to capture as " + name + "\n  " + seen);
            }
            values.put(name, value.toString());
        });
        if (hostile.sinkMustNotSee() != null) {
            for (RecordedRequest received : system.sink().requests()) {
                if (received.headers().containsKey(hostile.sinkMustNotSee())) {
                    fail("the target received a request with header " + hostile.sinkMustNotSee() + ": " + received
                            + "\n  " + seen);
                }
            }
        }
    }

    private static void checkErrorBody(HostileCase hostile, RawHttp.Response response, String seen) {
        String type = response.header("content-type");
        if (type == null || !type.startsWith("application/json")) {
            fail("a 4xx without the JSON error body (Content-Type " + type + ")\n  " + seen);
        }
        Map<String, Object> body;
        try {
            body = JsonPath.from(response.bodyText()).getMap("$");
        } catch (RuntimeException e) {
            fail("a 4xx whose body is not a JSON object\n  " + seen);
            return;
        }
        if (!(body.get("error") instanceof String error) || error.isBlank()
                || !(body.get("message") instanceof String message) || message.isBlank()) {
            fail("a 4xx without \"error\" and \"message\"\n  " + seen);
            return;
        }
        if (body.containsKey("details") && !(body.get("details") instanceof List<?>)) {
            fail("\"details\" is not a list\n  " + seen);
        }
        if (hostile.error() != null && !hostile.error().equals(error)) {
            fail("expected \"error\": \"" + hostile.error() + "\"\n  " + seen);
        }
    }
}
