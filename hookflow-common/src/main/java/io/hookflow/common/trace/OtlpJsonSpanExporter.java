package io.hookflow.common.trace;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import org.jboss.logging.Logger;

/**
 * OTLP/HTTP with the JSON encoding, sent by the JDK's HTTP client: the OTLP exporter of this OpenTelemetry version
 * sends through OkHttp (and its JDK sender is not served here), so the request is marshalled by the OTLP exporter's own
 * marshaller and sent without extra dependencies; nothing in it needs reflection.
 */
final class OtlpJsonSpanExporter implements SpanExporter {

    private static final Logger LOG = Logger.getLogger(OtlpJsonSpanExporter.class);

    private final URI traces;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OtlpJsonSpanExporter(String endpoint) {
        this.traces = URI.create(endpoint.replaceAll("/+$", "") + "/v1/traces");
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeJsonTo(body);
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
        CompletableResultCode result = new CompletableResultCode();
        HttpRequest request = HttpRequest.newBuilder(traces).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                result.succeed();
            } else {
                // Tracing must never disturb the work it describes: a lost batch of spans is only logged.
                LOG.debugf("Exporting %d span(s) to %s failed: %s", spans.size(), traces,
                        failure != null ? failure.toString() : "HTTP " + response.statusCode());
                result.fail();
            }
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
