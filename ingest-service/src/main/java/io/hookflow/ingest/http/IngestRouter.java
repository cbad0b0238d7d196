package io.hookflow.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import io.hookflow.ingest.config.IngestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
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

        long limit = config.maxBodySize().asLongValue();
        // BodyHandler checks Content-Length up front and counts chunked bodies as they arrive, dropping the excess.
        router.route("/api/*").order(BODY_LIMIT_ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(limit))
                .handler(IngestRouter::emptyBodyIsABody)
                .failureHandler(context -> tooLarge(context, limit));
    }

    /**
     * BodyHandler leaves no buffer for an empty body, and REST would then wait for a body that already ended; an
     * empty buffer lets the resource answer "empty body" with a 400 instead.
     */
    @SuppressWarnings("deprecation")
    private static void emptyBodyIsABody(RoutingContext context) {
        if (context.getBody() == null) {
            context.setBody(Buffer.buffer());
        }
        context.next();
    }

    private void tooLarge(RoutingContext context, long limit) {
        if (context.response().ended()) {
            // We already answered (413) and closed; the client's unsent rest of the body fails the request late.
            return;
        }
        if (context.statusCode() != 413) {
            context.next();
            return;
        }
        ApiError error = new ApiError("payload_too_large",
                "the request body is larger than the limit of " + limit + " bytes");
        String json;
        try {
            json = mapper.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ApiError always serialises", e);
        }
        // The rest of the body is not read; closing the connection keeps a client from streaming it to us anyway.
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(json);
    }
}
