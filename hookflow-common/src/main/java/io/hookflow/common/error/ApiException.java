package io.hookflow.common.error;

import java.util.List;

/** A request we refuse, with the status and error body the caller gets. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final List<ApiError.Detail> details;
    private String reason;

    public ApiException(int status, String error, String message, List<ApiError.Detail> details) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.details = List.copyOf(details);
    }

    public ApiException(int status, String error, String message) {
        this(status, error, message, List.of());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException invalid(List<ApiError.Detail> details) {
        String message = details.size() == 1
                ? details.get(0).path() + ": " + details.get(0).message()
                : details.size() + " problems found; see details";
        return new ApiException(400, "validation_failed", message, details);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    /**
     * A finer reason for the refusal metrics than the error code (e.g. {@code invalid_api_key} for an
     * {@code unauthorized}): a bounded snake_case word; never sent to the caller.
     */
    public ApiException because(String reason) {
        this.reason = reason;
        return this;
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(error, getMessage(), details, reason);
    }
}
