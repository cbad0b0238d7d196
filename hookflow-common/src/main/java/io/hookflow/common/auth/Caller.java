package io.hookflow.common.auth;

import jakarta.enterprise.context.RequestScoped;
import java.time.Instant;

/** Who is calling: set once per request by {@link ApiKeyAuthFilter}, read by resources to scope data. */
@RequestScoped
public class Caller {

    private String orgId;
    private String principal;
    private boolean bootstrap;
    private Instant tokenExpiry;

    void authenticate(String orgId, String principal, boolean bootstrap, Instant tokenExpiry) {
        this.orgId = orgId;
        this.principal = principal;
        this.bootstrap = bootstrap;
        this.tokenExpiry = tokenExpiry;
    }

    /** The organisation every resource of this request is scoped to; null for an anonymous (signed) request. */
    public String orgId() {
        return orgId;
    }

    /** {@code bootstrap}, or {@code apikey:<id>} of the key that authenticated the request (or issued its token). */
    public String principal() {
        return principal;
    }

    /** True for the bootstrap admin key (and tokens it issued): the only caller that may act for another organisation. */
    public boolean bootstrap() {
        return bootstrap;
    }

    /** When the token this request came with expires; null when it came with an API key. */
    public Instant tokenExpiry() {
        return tokenExpiry;
    }
}
