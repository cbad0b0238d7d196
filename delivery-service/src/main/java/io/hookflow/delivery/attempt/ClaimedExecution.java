package io.hookflow.delivery.attempt;

import io.hookflow.common.event.OutboundRequest;
import java.util.UUID;

/**
 * What a worker needs, outside the claiming transaction, to make one attempt.
 *
 * @param request as stored: password and secret still encrypted
 * @param destination host:port, or null for a URL without a host
 * @param traceparent the context of the delivery's intake span, the parent of the attempt's span; null untraced
 */
public record ClaimedExecution(UUID id, String orgId, String destination, int attemptNumber, OutboundRequest request,
                               String traceparent) {
}
