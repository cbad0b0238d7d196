package io.hookflow.common.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: set once per request by {@link ApiKeyAuthFilter}, read by resources to scope data. */
@RequestScoped
public class Caller {

    private String orgId;
    private String principal;

    void authenticate(String orgId, String principal) {
        this.orgId = orgId;
        this.principal = principal;
    }

    public String orgId() {
        return orgId;
    }

    public String principal() {
        return principal;
    }
}
