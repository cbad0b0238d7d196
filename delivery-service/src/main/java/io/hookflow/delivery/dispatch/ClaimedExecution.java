package io.hookflow.delivery.dispatch;

import io.hookflow.common.event.OutboundRequest;
import java.util.UUID;

/** What a worker needs, outside the claiming transaction, to make one attempt. */
public record ClaimedExecution(UUID id, int attemptNumber, OutboundRequest request) {
}
