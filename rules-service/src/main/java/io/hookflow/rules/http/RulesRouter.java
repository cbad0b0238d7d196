package io.hookflow.rules.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.http.BodyLimit;
import io.hookflow.rules.config.RulesConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Body limits in front of the REST resources, applied while the body streams in and before anything parses it (a
 * YAML or JSON parser's cost grows with the document): a rule document may be {@code hookflow.rules.max-rule-size}
 * bytes; the rule tester, which also carries a trigger instance as large as a webhook body, a little over a megabyte
 * more.
 */
@ApplicationScoped
public class RulesRouter {

    /** Before Quarkus' own upload limit (order -2), whose 413 has no body. */
    private static final int BODY_LIMIT_ORDER = -3;
    /** Room for a webhook body as ingest takes it (1 MiB) plus the rule and the instance's envelope. */
    static final long TESTER_EXTRA = 1024 * 1024 + 64 * 1024;

    private final RulesConfig config;
    private final ObjectMapper mapper;

    RulesRouter(RulesConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    void routes(@Observes Router router) {
        // The first limit a request meets is its limit: BodyHandler reads a body once and later ones let it through.
        BodyLimit.install(router, "/api/v1/rules/test", BODY_LIMIT_ORDER, config.maxRuleSize() + TESTER_EXTRA, mapper);
        BodyLimit.install(router, "/api/v1/rules*", BODY_LIMIT_ORDER, config.maxRuleSize(), mapper);
        BodyLimit.install(router, "/api/*", BODY_LIMIT_ORDER, config.maxRuleSize(), mapper);
    }
}
