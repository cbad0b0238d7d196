package io.hookflow.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;

/**
 * Refusals every service makes alike, before any resource runs: a NUL character anywhere in the path or query (no id,
 * ref or filter holds one, and PostgreSQL cannot even compare it), and a request with more than one Content-Type
 * (which one would the body be read as?). Each gets a 400 with the JSON error body.
 */
@ApplicationScoped
public class RequestHygiene {

    /** Before every other route of ours (aliases are at -5). */
    static final int ORDER = -10;

    private final ObjectMapper mapper;

    RequestHygiene(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void routes(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String uri = context.request().uri();
        if (uri != null && (uri.indexOf('\0') >= 0 || uri.toLowerCase(Locale.ROOT).contains("%00"))) {
            BodyLimit.answer(context, 400, new ApiError("bad_request",
                    "the path or query holds a NUL character (%00); no id, name or filter can contain one", List.of(),
                    "nul_in_uri"), mapper);
            return;
        }
        if (context.request().headers().getAll(HttpHeaders.CONTENT_TYPE).size() > 1) {
            BodyLimit.answer(context, 400, new ApiError("bad_request",
                    "the request has more than one Content-Type header; send exactly one", List.of(),
                    "ambiguous_content_type"), mapper);
            return;
        }
        context.next();
    }
}
