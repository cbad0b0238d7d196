package io.hookflow.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbered webhooks sent through ingest at a steady pace, as a careful client sends them: each with its own
 * {@code Idempotency-Key}, and retried with that key on 503 (not stored: retry), 409 (the first copy is still being
 * stored), 502 and connection errors (the client cannot tell) until it is accepted. A retried key is answered with the
 * first 202, so retries never make a second trigger instance of one webhook. Any other answer fails the webhook.
 */
final class WebhookStream {

    static final int SENDERS = 16;
    static final Duration RETRY_FOR = Duration.ofSeconds(150);
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final String ingestUrl;
    private final String apiKey;
    private final String trigger;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    private final Map<Integer, String> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, String> failed = new ConcurrentHashMap<>();
    /** Answers that were retried, by status ("io" for no answer): what the client saw of the faults. */
    private final Map<String, Integer> retried = new ConcurrentHashMap<>();
    private final int count;

    private WebhookStream(String ingestUrl, String apiKey, String trigger, int count) {
        this.ingestUrl = ingestUrl;
        this.apiKey = apiKey;
        this.trigger = trigger;
        this.count = count;
    }

    /** Starts sending webhooks 0 .. count-1 of the trigger type at about {@code perSecond}; returns at once. */
    static WebhookStream start(String ingestUrl, String apiKey, String trigger, int count, int perSecond) {
        WebhookStream stream = new WebhookStream(ingestUrl, apiKey, trigger, count);
        long begin = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (int n = 0; n < count; n++) {
            int number = n;
            long due = begin + n * interval;
            stream.senders.submit(() -> {
                sleepNanos(due - System.nanoTime());
                stream.send(number);
            });
        }
        stream.senders.shutdown();
        return stream;
    }

    /** Webhooks accepted so far. */
    int acceptedCount() {
        return accepted.size();
    }

    /** Waits until every webhook was accepted or gave up; answers webhook number to trigger instance id. */
    Map<Integer, String> finish(Duration timeout) throws InterruptedException {
        if (!senders.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            senders.shutdownNow();
            throw new AssertionError("the stream of " + trigger + " did not finish within " + timeout + ": "
                    + accepted.size() + " of " + count + " accepted");
        }
        if (!failed.isEmpty()) {
            throw new AssertionError(failed.size() + " webhook(s) of " + trigger + " were not accepted: "
                    + new TreeMap<>(failed).entrySet().stream().limit(5).toList());
        }
        return Map.copyOf(accepted);
    }

    /** Answers other than 202 that the client retried, by status ("io": no answer at all). */
    Map<String, Integer> retried() {
        return new TreeMap<>(retried);
    }

    private void send(int n) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + "/api/v1/webhooks/st2"))
                .timeout(Duration.ofSeconds(30))
                .header("St2-Api-Key", apiKey)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", trigger + "-" + n)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"trigger\": \"" + trigger + "\", \"payload\": {\"n\": \"" + n + "\"}}"))
                .build();
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        String last = "never sent";
        while (System.nanoTime() < deadline) {
            String outcome;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    Matcher id = ID.matcher(response.body());
                    if (!id.find()) {
                        failed.put(n, "202 without an id: " + response.body());
                        return;
                    }
                    accepted.put(n, id.group(1));
                    return;
                }
                outcome = String.valueOf(response.statusCode());
                last = outcome + " " + response.body();
                if (!(response.statusCode() == 503 || response.statusCode() == 502 || response.statusCode() == 409)) {
                    failed.put(n, last);
                    return;
                }
            } catch (IOException e) {
                outcome = "io";
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.put(n, "interrupted");
                return;
            }
            retried.merge(outcome, 1, Integer::sum);
            sleepNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        failed.put(n, "still not accepted after " + RETRY_FOR + ": " + last);
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
