package io.hookflow.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * A request body limit enforced while the body streams in, answered with the JSON error body: BodyHandler checks
 * Content-Length up front and counts a chunked body as it arrives, so an oversized body is never held in memory nor
 * parsed. Installed before Quarkus' own upload limit (route order -2), whose 413 has no body.
 */
public final class BodyLimit {

    private BodyLimit() {
    }

    /** Limits the bodies of requests under {@code path} (a Vert.x route path such as {@code /api/*}). */
    public static void install(Router router, String path, int order, long limit, ObjectMapper mapper) {
        router.route(path).order(order)
                .handler(BodyHandler.create(false).setBodyLimit(limit))
                .handler(BodyLimit::emptyBodyIsABody)
                .failureHandler(context -> tooLarge(context, limit, mapper));
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

    private static void tooLarge(RoutingContext context, long limit, ObjectMapper mapper) {
        if (context.response().ended()) {
            // We already answered (413) and closed; the client's unsent rest of the body fails the request late.
            return;
        }
        if (context.statusCode() == 413) {
            answer(context, 413, new ApiError("payload_too_large",
                    "the request body is larger than the limit of " + limit + " bytes"), mapper);
        } else if (context.statusCode() >= 400 && context.statusCode() < 500) {
            // e.g. a form with more fields than the HTTP layer decodes: still our error shape, never its default page.
            answer(context, context.statusCode(), new ApiError("bad_request",
                    "the request body could not be read (a form with too many fields, or a malformed body)", List.of(),
                    "malformed_body"), mapper);
        } else {
            context.next();
        }
    }

    /** Answers with the JSON error body and closes: the rest of the request body is not read. */
    public static void answer(RoutingContext context, int status, ApiError error, ObjectMapper mapper) {
        String json;
        try {
            json = mapper.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ApiError always serialises", e);
        }
        context.put(ApiError.ROUTING_CONTEXT_KEY, error);
        // Closing the connection keeps a client from streaming the unread body to us anyway.
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(json);
    }
}
