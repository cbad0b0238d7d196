package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A rendered request to execute: one per (trigger instance, rule). The id is derived from both (see {@link TaskIds}),
 * so a redelivered trigger event yields the same task and delivery-service records a single execution for it.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActionTask(
        int version,
        String id,
        String orgId,
        String triggerInstanceId,
        String trigger,
        String ruleId,
        String ruleRef,
        String actionRef,
        OutboundRequest request,
        Instant createdAt,
        int depth) {

    public static final int VERSION = 1;
}
