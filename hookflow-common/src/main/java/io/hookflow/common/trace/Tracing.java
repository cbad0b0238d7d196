package io.hookflow.common.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's one OpenTelemetry tracer, built with the SDK when the application starts (never at build time, so a
 * native image holds no SDK state), and the W3C trace context in Kafka record headers ({@code traceparent}).
 *
 * <p>Chosen over {@code quarkus-opentelemetry}, whose jar for this Quarkus version is not served here: a tracer and a
 * propagator are all the services need, and spans are exported as OTLP/HTTP JSON ({@link OtlpJsonSpanExporter}).
 */
@ApplicationScoped
public class Tracing {

    public static final String TRACEPARENT = "traceparent";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    Tracing(TracingConfig config, @ConfigProperty(name = "quarkus.application.name") String service) {
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service))))
                .setSampler(KeepErrorsSampling.sampler(config.ratio()));
        config.endpoint().filter(endpoint -> !endpoint.isBlank()).ifPresent(endpoint -> {
            SpanExporter exporter = new OtlpJsonSpanExporter(endpoint);
            builder.addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(500, TimeUnit.MILLISECONDS)
                    .build());
            builder.addSpanProcessor(KeepErrorsSampling.errorsOf(exporter));
        });
        this.provider = builder.build();
        this.tracer = provider.get("io.hookflow." + service);
    }

    @Produces
    @Singleton
    Tracer tracer() {
        return tracer;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }

    /** Writes the span's context as a {@code traceparent} header (replacing one already there). */
    public static void inject(Context context, Headers headers) {
        headers.remove(TRACEPARENT);
        W3C.inject(context, headers, KAFKA_SETTER);
    }

    /** The context a record's {@code traceparent} header carries; {@link Context#root()} without a valid one. */
    public static Context extract(Headers headers) {
        return headers == null ? Context.root() : W3C.extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** The context a {@code traceparent} value carries (an HTTP header, a stored column). */
    public static Context fromTraceparent(String traceparent) {
        return traceparent == null || traceparent.isBlank() ? Context.root()
                : W3C.extract(Context.root(), traceparent, new TextMapGetter<String>() {
                    @Override
                    public Iterable<String> keys(String carrier) {
                        return List.of(TRACEPARENT);
                    }

                    @Override
                    public String get(String carrier, String key) {
                        return TRACEPARENT.equals(key) ? carrier : null;
                    }
                });
    }

    /** The {@code traceparent} value of a span's context; null for an invalid one. */
    public static String traceparent(SpanContext span) {
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** The trace id of the span, or null when it has none (for storage and log lines). */
    public static String traceId(Span span) {
        return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    }

    private static final TextMapSetter<Headers> KAFKA_SETTER = (headers, key, value) -> {
        if (headers != null && value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> KAFKA_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return () -> java.util.stream.StreamSupport.stream(headers.spliterator(), false).map(Header::key).iterator();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };
}
