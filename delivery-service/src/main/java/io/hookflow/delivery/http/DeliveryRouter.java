package io.hookflow.delivery.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.http.BodyLimit;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The request body limit of delivery's API, answered with the JSON error body: a test delivery carries one outbound
 * request, whose body rules-service bounds at 512 KiB (hookflow.rules.max-task-size); 2 MiB leaves room for a request
 * written by hand without letting anyone stream megabytes at the service.
 */
@ApplicationScoped
public class DeliveryRouter {

    static final long MAX_BODY = 2 * 1024 * 1024;
    /** Before Quarkus' own upload limit (order -2), whose 413 has no body. */
    private static final int BODY_LIMIT_ORDER = -3;

    private final ObjectMapper mapper;

    DeliveryRouter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void routes(@Observes Router router) {
        BodyLimit.install(router, "/api/*", BODY_LIMIT_ORDER, MAX_BODY, mapper);
    }
}
