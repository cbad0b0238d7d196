package io.hookflow.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.http.BodyLimit;
import io.hookflow.ingest.config.IngestConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * HTTP concerns that sit in front of the REST resources: the {@code /v1/...} aliases StackStorm clients call, and the
 * body size limit, enforced while the body streams in so an oversized body is never held in memory.
 */
@ApplicationScoped
public class IngestRouter {

    /** Before Quarkus' own upload limit (order -2), whose 413 has no body; the alias runs first of all. */
    private static final int ALIAS_ORDER = -4;
    private static final int BODY_LIMIT_ORDER = -3;
    /** With the body limit's order but added before it, so it runs first: a compressed body is never read. */
    private static final int ENCODING_ORDER = BODY_LIMIT_ORDER;

    private final IngestConfig config;
    private final ObjectMapper mapper;

    IngestRouter(IngestConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    void routes(@Observes Router router) {
        // "/api/v1/webhooks//sample" is the webhook "/sample", which is "sample": empty path segments mean nothing here.
        router.route().order(ALIAS_ORDER - 1).handler(context -> {
            String path = context.request().path();
            if (path != null && path.contains("//")) {
                String query = context.request().query();
                context.reroute(path.replaceAll("/{2,}", "/") + (query == null ? "" : "?" + query));
            } else {
                context.next();
            }
        });
        // st2 clients use /v1/...; the same resources answer there, so the two can never drift apart.
        router.route("/v1/*").order(ALIAS_ORDER).handler(context -> context.reroute("/api" + context.request().uri()));
        // StackStorm's auth API issues tokens at /auth/v1/tokens.
        router.route("/auth/v1/*").order(ALIAS_ORDER).handler(context ->
                context.reroute("/api/v1/auth/" + context.request().uri().substring("/auth/v1/".length())));

        // A compressed body would be parsed as if it were plain text (and a small one can inflate past every limit), so
        // only an uncompressed body is taken; the sender learns why and can send it plain.
        router.route("/api/*").order(ENCODING_ORDER).handler(this::refuseContentEncoding);

        BodyLimit.install(router, "/api/*", BODY_LIMIT_ORDER, config.maxBodySize().asLongValue(), mapper);
    }

    private void refuseContentEncoding(RoutingContext context) {
        String encoding = context.request().getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            context.next();
            return;
        }
        BodyLimit.answer(context, 415, new ApiError("unsupported_media_type", "Content-Encoding '"
                + encoding.trim().replaceAll("[^\\x20-\\x7e]", "?") + "' is not accepted; send the body uncompressed"), mapper);
    }
}
