package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A rendered request to execute: one per (trigger instance, rule). The id is derived from both (see {@link TaskIds}),
 * so a redelivered trigger event yields the same task and delivery-service records a single execution for it.
 *
 * @param lane for a rule with {@code ordering}: {@code <rule id>:<rendered ordering key>}. Tasks of one lane are
 *             published to action-tasks keyed by it, in trigger-instance order, and delivered one after the other
 *             (docs/delivery.md, Ordered lanes). Null for an unordered rule (and for tasks from before lanes existed).
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
        int depth,
        String lane) {

    public static final int VERSION = 1;

    /** An unordered task: no lane. */
    public ActionTask(int version, String id, String orgId, String triggerInstanceId, String trigger, String ruleId,
                      String ruleRef, String actionRef, OutboundRequest request, Instant createdAt, int depth) {
        this(version, id, orgId, triggerInstanceId, trigger, ruleId, ruleRef, actionRef, request, createdAt, depth, null);
    }

    /** Whether the task waits its turn in a lane behind the earlier tasks of the same rule and key. */
    public boolean ordered() {
        return lane != null;
    }
}
