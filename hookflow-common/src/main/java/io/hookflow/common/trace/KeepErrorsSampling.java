package io.hookflow.common.trace;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Head sampling that still keeps every failure: a trace the ratio leaves out is recorded anyway (not sampled, so not
 * propagated as sampled), and its spans that end in error are exported on their own. A failed delivery attempt is
 * therefore always in the tracing backend, whatever the ratio.
 */
final class KeepErrorsSampling {

    private KeepErrorsSampling() {
    }

    /** The ratio for new traces, the parent's decision otherwise; "not sampled" records instead of dropping. */
    static Sampler sampler(double ratio) {
        Sampler recordOnly = new RecordOnly();
        return Sampler.parentBasedBuilder(new RatioOrRecord(Sampler.traceIdRatioBased(ratio)))
                .setRemoteParentNotSampled(recordOnly)
                .setLocalParentNotSampled(recordOnly)
                .build();
    }

    /** Exports the error spans of traces that were not sampled (sampled ones go through the batch processor). */
    static SpanProcessor errorsOf(SpanExporter exporter) {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                if (!span.getSpanContext().isSampled() && span.toSpanData().getStatus().getStatusCode() == StatusCode.ERROR) {
                    exporter.export(List.of(span.toSpanData()));
                }
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }

            @Override
            public CompletableResultCode shutdown() {
                return exporter.shutdown();
            }
        };
    }

    private static final class RecordOnly implements Sampler {
        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                           Attributes attributes, List<LinkData> parentLinks) {
            return SamplingResult.create(SamplingDecision.RECORD_ONLY);
        }

        @Override
        public String getDescription() {
            return "RecordOnly";
        }
    }

    private record RatioOrRecord(Sampler ratio) implements Sampler {
        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                           Attributes attributes, List<LinkData> parentLinks) {
            SamplingResult result = ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
            return result.getDecision() == SamplingDecision.DROP
                    ? SamplingResult.create(SamplingDecision.RECORD_ONLY) : result;
        }

        @Override
        public String getDescription() {
            return "RatioOrRecord{" + ratio.getDescription() + "}";
        }
    }
}
