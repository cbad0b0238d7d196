package io.hookflow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestSinkTest {

    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void shouldRecordTheRawRequestAndAnswerWithTheChosenStatus() throws Exception {
        try (RequestSink sink = RequestSink.start(0)) {
            assertEquals(200, post(sink, "/hooks/a?branch=feature%2Fx+y", "{\"a\":1}").statusCode());
            sink.respondWith(503);
            assertEquals(503, post(sink, "/hooks/b", "second").statusCode());

            RecordedRequest first = sink.awaitRequest(Duration.ofSeconds(1));
            assertEquals("POST", first.method());
            assertEquals("/hooks/a?branch=feature%2Fx+y", first.path());
            assertEquals("{\"a\":1}", first.body());
            assertEquals("yes", first.headers().get("x-custom"));
            assertEquals("/hooks/b", sink.awaitRequest(Duration.ofSeconds(1)).path());
            assertEquals(2, sink.requests().size());
        }
    }

    @Test
    void shouldAnswerPerPathPrefixAndFindRequestsByPath() throws Exception {
        try (RequestSink sink = RequestSink.start(0)) {
            sink.respondWith("/fail", 500);
            sink.respondWith("/fail/but-not-this", 204);
            assertEquals(500, post(sink, "/fail/x", "a").statusCode());
            assertEquals(204, post(sink, "/fail/but-not-this", "b").statusCode());
            assertEquals(200, post(sink, "/ok", "c").statusCode());

            assertEquals("c", sink.awaitRequestTo("/ok", Duration.ofSeconds(1)).body());
            assertEquals(2, sink.requestsTo("/fail").size());
            assertThrows(IllegalStateException.class, () -> sink.awaitRequestTo("/none", Duration.ofMillis(50)));
        }
    }

    @Test
    void shouldCountAsDeliveredOnlyRequestsItAnsweredWith2xx() throws Exception {
        try (RequestSink sink = RequestSink.start(0)) {
            sink.respondWith("/d/fail", 500);
            post(sink, "/d/fail", "1");
            post(sink, "/d/ok", "2");
            sink.hold("/d/held", 1);
            client.sendAsync(HttpRequest.newBuilder(URI.create(sink.url("/d/held")))
                    .POST(HttpRequest.BodyPublishers.ofString("3")).build(), HttpResponse.BodyHandlers.discarding());
            sink.awaitRequestTo("/d/held", Duration.ofSeconds(5));
            assertEquals(3, sink.requestsTo("/d").size());
            assertEquals(java.util.List.of("2"), sink.deliveredTo("/d").stream().map(RecordedRequest::body).toList());
        }
    }

    @Test
    void shouldHoldTheFirstRequestsToAPathUnansweredUntilReleased() throws Exception {
        try (RequestSink sink = RequestSink.start(0)) {
            sink.hold("/hang", 1);
            java.util.concurrent.CompletableFuture<HttpResponse<Void>> held = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(sink.url("/hang"))).POST(HttpRequest.BodyPublishers.ofString("1")).build(),
                    HttpResponse.BodyHandlers.discarding());
            sink.awaitRequestTo("/hang", Duration.ofSeconds(5));
            assertEquals(200, post(sink, "/hang", "2").statusCode(), "only the first request is held");
            org.junit.jupiter.api.Assertions.assertFalse(held.isDone());
            sink.releaseHeld();
            assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void shouldHoldAgainAfterARelease() throws Exception {
        try (RequestSink sink = RequestSink.start(0)) {
            sink.hold("/again", 1);
            var first = sendAsync(sink, "/again");
            sink.awaitRequestTo("/again", Duration.ofSeconds(5));
            sink.releaseHeld();
            assertEquals(200, first.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());

            // A second hold after the first release must hold: this request stays unanswered until the next release.
            sink.hold("/again", 1);
            var second = sendAsync(sink, "/again");
            await(() -> sink.requestsTo("/again").size() == 2);
            assertThrows(java.util.concurrent.TimeoutException.class,
                    () -> second.get(300, java.util.concurrent.TimeUnit.MILLISECONDS), "held until released");
            sink.releaseHeld();
            assertEquals(200, second.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void shouldAnswerARedirectWithItsLocation() throws Exception {
        try (RequestSink sink = RequestSink.start(0)) {
            sink.redirect("/moved", "http://10.0.0.1/elsewhere");
            HttpResponse<Void> response = post(sink, "/moved/x", "");
            assertEquals(302, response.statusCode(), "the JDK client does not follow redirects by default");
            assertEquals("http://10.0.0.1/elsewhere", response.headers().firstValue("location").orElseThrow());
        }
    }

    @Test
    void shouldFailWhenNoRequestArrivesInTime() {
        try (RequestSink sink = RequestSink.start(0)) {
            assertThrows(IllegalStateException.class, () -> sink.awaitRequest(Duration.ofMillis(50)));
        }
    }

    @Test
    void shouldForgetRequestsOnClear() throws Exception {
        try (RequestSink sink = RequestSink.start(0)) {
            post(sink, "/old", "");
            sink.clear();
            post(sink, "/new", "");
            assertEquals("/new", sink.awaitRequest(Duration.ofSeconds(1)).path());
            assertEquals(1, sink.requests().size());
        }
    }

    private java.util.concurrent.CompletableFuture<HttpResponse<Void>> sendAsync(RequestSink sink, String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(sink.url(path)))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }

    private HttpResponse<Void> post(RequestSink sink, String pathAndQuery, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(sink.url(pathAndQuery)))
                .header("X-Custom", "yes")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }
}
