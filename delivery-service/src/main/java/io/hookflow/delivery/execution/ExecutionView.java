package io.hookflow.delivery.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.http.Redaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An execution as operators see it: secrets masked, attempts included on the detail view only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionView(
        String id,
        String ruleId,
        String ruleRef,
        String triggerInstanceId,
        String trigger,
        String actionRef,
        ExecutionStatus status,
        RequestView request,
        String destinationHost,
        int attemptCount,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        String traceId,
        LaneView lane,
        List<TransitionView> transitions,
        List<AttemptView> attempts) {

    public static ExecutionView of(Execution execution, List<Attempt> attempts) {
        return of(execution, attempts, null);
    }

    /** With its status history and attempts: the detail view. */
    public static ExecutionView of(Execution execution, List<Attempt> attempts, List<TransitionView> transitions) {
        return new ExecutionView(execution.id.toString(), execution.ruleId, execution.ruleRef,
                execution.triggerInstanceId, execution.triggerType, execution.actionRef, execution.status,
                RequestView.of(execution.request), execution.destinationHost, execution.attemptCount,
                // Only waiting executions have a next attempt; a finished or running one keeps a stale time in its row.
                execution.status == ExecutionStatus.PENDING || execution.status == ExecutionStatus.RETRYING
                        ? execution.nextAttemptAt : null, execution.lastError, execution.createdAt, execution.updatedAt,
                execution.finishedAt, execution.traceId, LaneView.of(execution), transitions, attempts == null ? null : attempts.stream().map(AttemptView::of).toList());
    }

    /**
     * The ordered lane the execution belongs to: its id ({@code <rule id>:<ordering key>}) and its place in it. It is
     * attempted only once every execution before it in the lane is finished (docs/delivery.md, Ordered lanes).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "The ordered lane of an execution of a rule with ordering; absent when unordered. Attempted only"
            + " once every execution before it in the lane is SUCCEEDED, FAILED or CANCELED.")
    public record LaneView(@Schema(description = "<rule id>:<rendered ordering key>") String id,
                           @Schema(description = "The rendered ordering key") String key,
                           @Schema(description = "Its place in the lane, given at intake") Long seq) {

        static LaneView of(Execution execution) {
            if (execution.lane == null) {
                return null;
            }
            int colon = execution.lane.indexOf(':');
            return new LaneView(execution.lane, colon < 0 ? null : execution.lane.substring(colon + 1), execution.laneSeq);
        }
    }

    /** One status change: {@code from} is null for the change that created the execution. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransitionView(String from, String to, Instant at) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestView(String method, String url, Map<String, String> headers, String body, String username,
                              String password, String secret, Integer timeoutSeconds, Integer connectTimeoutSeconds,
                              OutboundRequest.RetryOverride retry) {

        static RequestView of(OutboundRequest request) {
            return new RequestView(request.method(), Redaction.url(request.url()), Redaction.headers(request.headers()),
                    request.body(),
                    request.username(), Redaction.secret(request.password()), Redaction.secret(request.secret()),
                    request.timeoutSeconds(), request.connectTimeoutSeconds(), request.retry());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int number, Instant startedAt, long durationMs, String outcome, JsonNode request,
                              Integer responseStatus, Map<String, String> responseHeaders, String responseBody,
                              String error) {

        static AttemptView of(Attempt attempt) {
            return new AttemptView(attempt.number, attempt.startedAt, attempt.durationMs, attempt.outcome.name(),
                    attempt.request, attempt.responseStatus, attempt.responseHeaders, attempt.responseBody, attempt.error);
        }
    }
}
