package io.hookflow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinProxyTest {

    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void shouldSpreadRequestsOverTheReplicasAndRelayWhatTheyAnswer() throws Exception {
        try (RequestSink a = RequestSink.start(0); RequestSink b = RequestSink.start(0);
             RoundRobinProxy proxy = RoundRobinProxy.start(0, List.of(a.url(""), b.url("")))) {
            a.respondWith("/hooks", 202);
            b.respondWith("/hooks", 202);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> response = post(proxy, "/hooks/x?n=" + i, "body " + i);
                assertEquals(202, response.statusCode());
            }
            assertEquals(5, a.requestsTo("/hooks").size());
            assertEquals(5, b.requestsTo("/hooks").size());
            RecordedRequest one = a.requestsTo("/hooks").get(0);
            assertEquals("POST", one.method());
            assertTrue(one.path().startsWith("/hooks/x?n="), one.path());
            assertTrue(one.body().startsWith("body "), one.body());
            assertEquals("yes", one.headers().get("x-custom"));
        }
    }

    @Test
    void shouldStopSendingToAReplicaWhoseReadinessIsDown() throws Exception {
        try (RequestSink a = RequestSink.start(0); RequestSink b = RequestSink.start(0);
             RoundRobinProxy proxy = RoundRobinProxy.start(0, List.of(a.url(""), b.url("")))) {
            a.respondWith("/q/health/ready", 503);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> proxy.readyBackends().equals(List.of(b.url(""))));
            for (int i = 0; i < 6; i++) {
                assertEquals(200, post(proxy, "/hooks/y", "x").statusCode());
            }
            assertEquals(0, a.requestsTo("/hooks").size(), "a draining replica gets no new request");
            assertEquals(6, b.requestsTo("/hooks").size());
        }
    }

    @Test
    void shouldSendToAnotherReplicaWhenOneCannotBeReached() throws Exception {
        try (RequestSink b = RequestSink.start(0)) {
            RequestSink a = RequestSink.start(0);
            try (RoundRobinProxy proxy = RoundRobinProxy.start(0, List.of(a.url(""), b.url("")))) {
                a.close(); // gone before the proxy noticed: connection refused, nothing sent
                for (int i = 0; i < 4; i++) {
                    assertEquals(200, post(proxy, "/hooks/z", "x").statusCode());
                }
                assertEquals(4, b.requestsTo("/hooks").size());
            }
        }
    }

    private HttpResponse<String> post(RoundRobinProxy proxy, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + path)).header("X-Custom", "yes")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
