package io.hookflow.ingest.observe;

import io.hookflow.common.error.ApiError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every webhook sent to ingest, counted once by what became of it: {@code hookflow_ingest_webhooks_total} with
 * {@code form} (st2, url, id), {@code outcome} (accepted, refused = a 4xx, failed = a 5xx) and {@code reason} (the
 * refusal's reason: the answer's error code, or a finer word where one code covers several causes, e.g.
 * {@code missing_credentials}, {@code invalid_api_key}, {@code invalid_token}, {@code invalid_signature},
 * {@code unknown_webhook}, {@code malformed_body}, {@code payload_too_large}, {@code broker_unavailable};
 * {@code accepted} or {@code replayed} for a 202). Every label takes a handful of values: no id, url or organisation.
 *
 * <p>Counted when the response ends, on a route placed before all others, so refusals made before any resource runs
 * (body limit, content encoding, authentication) count too.
 */
@ApplicationScoped
public class WebhookIntakeMetrics {

    static final String NAME = "hookflow.ingest.webhooks";
    /** Before every other route, request hygiene (-10) and the aliases (-5) included. */
    static final int ORDER = -1000;
    private static final String COUNTED = WebhookIntakeMetrics.class.getName() + ".counted";
    private static final String REASON = WebhookIntakeMetrics.class.getName() + ".reason";
    private static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final MeterRegistry registry;
    private final CurrentVertxRequest currentRequest;

    WebhookIntakeMetrics(MeterRegistry registry, CurrentVertxRequest currentRequest) {
        this.registry = registry;
        this.currentRequest = currentRequest;
        // Exported at zero from the start, so a dashboard shows the series before the first webhook.
        for (String form : List.of("st2", "url", "id")) {
            counter(form, "accepted", "accepted");
        }
    }

    void routes(@Observes Router router) {
        router.route(HttpMethod.POST, "/api/v1/webhooks/*").order(ORDER).handler(this::count);
        router.route(HttpMethod.POST, "/v1/webhooks/*").order(ORDER).handler(this::count);
        router.route(HttpMethod.POST, "/api/v1/trigger-webhooks/*").order(ORDER).handler(this::count);
        router.route(HttpMethod.POST, "/v1/trigger-webhooks/*").order(ORDER).handler(this::count);
    }

    /** Remembers the error code of a refusal a resource or filter answered, for the count at the response's end. */
    @ServerResponseFilter
    public void reason(ContainerResponseContext response) {
        if (response.getEntity() instanceof ApiError error && error.error() != null) {
            RoutingContext context = currentRequest.getCurrent();
            if (context != null) {
                context.put(REASON, error.metricReason());
            }
        }
    }

    private void count(RoutingContext context) {
        String path = context.normalizedPath();
        // Creating a webhook (POST /api/v1/webhooks) is not sending one. A request rerouted (an alias, a doubled
        // slash) passes here again: count it once.
        if (!path.endsWith("/webhooks") && !path.endsWith("/webhooks/") && context.get(COUNTED) == null) {
            context.put(COUNTED, Boolean.TRUE);
            String form = path.contains("trigger-webhooks/") ? "id" : path.endsWith("/webhooks/st2") ? "st2" : "url";
            context.addEndHandler(ended -> {
                int status = context.response().getStatusCode();
                String outcome = status < 400 ? "accepted" : status < 500 ? "refused" : "failed";
                counter(form, outcome, reason(context, status)).increment();
            });
        }
        context.next();
    }

    static String reasonFor(int status, String code, boolean replayed) {
        if (status < 400) {
            return replayed ? "replayed" : "accepted";
        }
        if (code != null && code.matches("[a-z_]{1,40}")) {
            return code;
        }
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status < 500 ? "client_error" : "server_error";
        };
    }

    private static String reason(RoutingContext context, int status) {
        // A resource's refusal (the response filter above), else a route handler's answered before any resource ran.
        String code = context.get(REASON);
        if (code == null && context.get(ApiError.ROUTING_CONTEXT_KEY) instanceof ApiError early) {
            code = early.metricReason();
        }
        return reasonFor(status, code,
                "true".equalsIgnoreCase(context.response().headers().get(REPLAYED_HEADER)));
    }

    private Counter counter(String form, String outcome, String reason) {
        return Counter.builder(NAME)
                .description("Webhooks sent to ingest, by form, outcome (accepted, refused, failed) and reason")
                .tag("form", form).tag("outcome", outcome).tag("reason", reason.toLowerCase(Locale.ROOT))
                .register(registry);
    }
}
