package io.hookflow.common.error;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into the one {@link ApiError} body. Client mistakes keep their 4xx; anything unexpected becomes
 * a 500 that names an incident id to find in the logs, never a class name or a stack trace.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return json(e.status(), e.body());
    }

    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        // The JSON body reader reports unparsable input as a bare 400; say what and where, as for our own parsing.
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        if (status >= 500) {
            return unexpected(e);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        String code = type.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
        String message = e.getMessage() != null && !e.getMessage().startsWith("HTTP ")
                ? e.getMessage()
                : type.getReasonPhrase();
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(code, message));
        // Keep protocol headers such as Allow (405) that the original response carried.
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** More specific than Quarkus' own mapper for this type, which answers a bare 400 without our error body. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return json(400, new ApiError("bad_request", describe(e)));
    }

    /**
     * What is wrong with a JSON document, in the sender's terms: the field and the kind of value it needs, or the
     * parser's position. Never a Java type name (Jackson's own messages name them).
     */
    public static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        if (original != null && original.startsWith("Trailing token")) {
            return "malformed JSON: Trailing content after the document; send exactly one JSON document" + at(e.getLocation());
        }
        if (e instanceof MismatchedInputException mismatch) {
            String where = mismatch.getPath().isEmpty() ? "the body" : "'" + path(mismatch) + "'";
            return "invalid value for " + where + ": must be " + kindOf(mismatch.getTargetType());
        }
        return "malformed JSON: " + withoutTypeNames(e.getOriginalMessage()) + at(e.getLocation());
    }

    private static String kindOf(Class<?> type) {
        if (type == null) {
            return "of another kind";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** Jackson names types in backquotes ({@code `java.lang.String`}) or plainly; either becomes "value". */
    public static String withoutTypeNames(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.replaceAll("`?(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:\\$[\\w$]+)*`?", "value");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // A value PostgreSQL cannot hold or compare (a NUL character, a date out of its range, ...) came from the
        // request: that is the caller's to fix, not a server error.
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                LOG.debugf("Data refused by the database (SQL state %s): %s", sql.getSQLState(), sql.getMessage());
                return json(400, new ApiError("bad_request", "a value in the request cannot be stored or searched "
                        + "(for example a NUL character, or a number or date out of range)"));
            }
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure, incident %s", incident);
        return json(500, new ApiError("internal_error", "unexpected server error; incident " + incident));
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
