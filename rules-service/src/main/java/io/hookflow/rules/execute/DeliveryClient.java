package io.hookflow.rules.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.OutboundRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks delivery-service to send one request now and gives back its answer. A delivery-service that cannot be reached
 * is a 503 for our caller, one that answers nonsense or fails is a 502; its own refusals (4xx, e.g. a bad key) pass
 * through as they are.
 */
@ApplicationScoped
public class DeliveryClient {

    private static final Logger LOG = Logger.getLogger(DeliveryClient.class);

    private final DeliveryApi api;
    private final ObjectMapper json;

    DeliveryClient(@RestClient DeliveryApi api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    /** The result delivery-service answered: {@code {request, response, error, durationMs}}. */
    public Answer send(OutboundRequest request, String apiKey, String authToken) {
        Response answered;
        try {
            answered = api.send(request, apiKey, authToken);
        } catch (WebApplicationException e) {
            answered = e.getResponse();
        } catch (ProcessingException e) {
            LOG.warnf("delivery-service could not be reached: %s", e.toString());
            if (causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class)) {
                throw new ApiException(503, "delivery_unavailable",
                        "delivery-service cannot be reached to send the request; nothing was sent, try again later");
            }
            throw new ApiException(502, "bad_gateway",
                    "delivery-service did not answer in time; the request may or may not have been sent");
        }
        try (Response response = answered) {
            String body = bodyOf(response);
            JsonNode tree = body.isBlank() ? null : parse(body);
            int status = response.getStatus();
            if (status >= 200 && status < 300) {
                if (tree == null || !tree.isObject()) {
                    throw new ApiException(502, "bad_gateway", "delivery-service answered " + status + " without a result");
                }
                return new Answer(status, tree);
            }
            if (status >= 400 && status < 500 && tree != null && tree.isObject()) {
                return new Answer(status, tree);
            }
            throw new ApiException(502, "bad_gateway", "delivery-service answered " + status + "; nothing is known to be sent");
        }
    }

    /** Delivery's status and JSON body, passed through to our caller. */
    public record Answer(int status, JsonNode body) {
    }

    private static String bodyOf(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
