package io.hookflow.delivery.testdelivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.attempt.HttpSender;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import io.hookflow.common.http.Urls;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

@Path("/api/v1/test-deliveries")
@Tag(name = "Test deliveries", description = "Send a request once, as a delivery would, without recording it")
public class TestDeliveryResource {

    private static final Logger LOG = Logger.getLogger(TestDeliveryResource.class);
    private static final int MAX_TIMEOUT_SECONDS = 3600;

    private final RunTestDelivery runTestDelivery;
    private final ObjectMapper mapper;
    private final Caller caller;

    TestDeliveryResource(RunTestDelivery runTestDelivery, ObjectMapper mapper, Caller caller) {
        this.runTestDelivery = runTestDelivery;
        this.mapper = mapper;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a request once, as a delivery would, and show what happened",
            description = "The body is an OutboundRequest (method, url, headers, body, username, password, secret,"
                    + " timeoutSeconds, connectTimeoutSeconds; password and secret may be enc:v1: ciphertext). It goes"
                    + " through the same whitelists, SSRF guard, signing and timeouts as a delivery; nothing is"
                    + " recorded. 200 with the request as sent (secrets masked) and either the response (body cut at"
                    + " 4 KiB) or the error, a refusal by the whitelists included; 400 for a malformed request.")
    public CompletionStage<TestDeliveryResult> send(HttpHeaders headers, io.vertx.ext.web.RoutingContext context) {
        // The body as the body limit's handler collected it: read once, never past the limit.
        io.vertx.core.buffer.Buffer raw = context.body().buffer();
        OutboundRequest request = parse(text(raw == null ? new byte[0] : raw.getBytes(), headers.getMediaType()));
        LOG.infof("Test delivery for organisation %s to %s", caller.orgId(), request.url());
        return runTestDelivery.run(caller.orgId(), request);
    }

    /** The body as text: JSON in strict UTF-8, or a 415 / 400 that says what to send instead. */
    private static String text(byte[] body, MediaType type) {
        boolean json = type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                && !type.isWildcardType() && !type.isWildcardSubtype();
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (!json || charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            throw new ApiException(415, "unsupported_media_type", "send the request as application/json in UTF-8 (got "
                    + (type == null ? "no Content-Type" : type) + ")");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body == null ? new byte[0] : body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the request body is not valid UTF-8");
        }
    }

    private OutboundRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("the body must be a request: {\"method\", \"url\", \"headers\", \"body\", ...}");
        }
        OutboundRequest request;
        try {
            request = mapper.readValue(body, OutboundRequest.class);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(io.hookflow.common.error.ApiExceptionMappers.describe(e));
        }
        if (request == null) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        if (request.url() == null || request.url().isBlank()) {
            problems.add(new ApiError.Detail("url", "is required"));
        } else if (Urls.hasUserInfo(request.url())) {
            problems.add(new ApiError.Detail("url", "must not carry credentials (user:password@host); give them as "
                    + "username and password"));
        }
        if (request.method() != null && !request.method().matches("[A-Za-z]{1,20}")) {
            problems.add(new ApiError.Detail("method", "must be an HTTP method name, such as POST"));
        }
        if (request.timeoutSeconds() != null
                && (request.timeoutSeconds() < 1 || request.timeoutSeconds() > MAX_TIMEOUT_SECONDS)) {
            problems.add(new ApiError.Detail("timeoutSeconds", "must be from 1 to " + MAX_TIMEOUT_SECONDS));
        }
        if (request.connectTimeoutSeconds() != null && (request.connectTimeoutSeconds() < 1
                || request.connectTimeoutSeconds() > HttpSender.MAX_CONNECT_TIMEOUT_SECONDS)) {
            problems.add(new ApiError.Detail("connectTimeoutSeconds",
                    "must be from 1 to " + HttpSender.MAX_CONNECT_TIMEOUT_SECONDS));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return request;
    }
}
