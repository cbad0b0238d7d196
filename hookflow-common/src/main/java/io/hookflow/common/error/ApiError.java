package io.hookflow.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The one error body every Hookflow API answers with.
 *
 * @param error   a stable, machine-readable code such as {@code bad_request} or {@code validation_failed}
 * @param message what was wrong, for a person
 * @param details every individual problem, with the path of the offending field, when there are several
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(String error, String message, List<Detail> details) {

    public ApiError(String error, String message) {
        this(error, message, List.of());
    }

    @RegisterForReflection
    public record Detail(String path, String message) {
    }
}
