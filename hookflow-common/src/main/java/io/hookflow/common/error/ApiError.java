package io.hookflow.common.error;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The one error body every Hookflow API answers with.
 *
 * @param error   a stable, machine-readable code such as {@code bad_request} or {@code validation_failed}
 * @param message what was wrong, for a person
 * @param details every individual problem, with the path of the offending field, when there are several
 * @param reason  a finer, bounded reason for the refusal metrics only (e.g. {@code missing_credentials} for an
 *                {@code unauthorized}); not part of the body
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(String error, String message, List<Detail> details, @JsonIgnore String reason) {

    /**
     * Where a refusal answered by a route handler (before any resource runs) leaves its error in the request's
     * routing context, for the metrics that count refusals by reason.
     */
    public static final String ROUTING_CONTEXT_KEY = ApiError.class.getName();

    public ApiError(String error, String message) {
        this(error, message, List.of(), null);
    }

    public ApiError(String error, String message, List<Detail> details) {
        this(error, message, details, null);
    }

    /** The refusal's reason for metrics (a bounded, snake_case word, never sent): {@link #reason}, else the code. */
    public String metricReason() {
        return reason != null ? reason : error;
    }

    @RegisterForReflection
    public record Detail(String path, String message) {
    }
}
