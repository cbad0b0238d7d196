package io.hookflow.rules.signing;

import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Refuses, at save, a {@code core.http} action whose {@code secret} names signing keys ({@code signing-keys:sk_…,sk_…})
 * that the organisation does not have: otherwise the rule saves and every execution fails at send time. The keys live
 * in delivery-service, so it asks delivery's list with the caller's own credentials (which also makes another
 * organisation's key as unknown as a made-up one). A retired key of the organisation passes: a rule may still name it
 * after a rotation, and delivery skips it. {@code signing-keys:all} is not checked (keys may come later).
 *
 * <p>When delivery-service cannot answer, the save fails with 503 and nothing is stored: the client can try again, and
 * a rule that would fail every execution is never accepted silently. Only saves that name keys ask delivery.
 */
@ApplicationScoped
public class SigningKeyCheck {

    /** The prefix of an action secret that names the organisation's signing keys (as delivery's RequestSigner reads it). */
    public static final String PREFIX = "signing-keys:";
    private static final String ALL = "all";
    private static final Logger LOG = Logger.getLogger(SigningKeyCheck.class);

    private final SigningKeysApi api;

    SigningKeyCheck(@RestClient SigningKeysApi api) {
        this.api = api;
    }

    /**
     * @param secret the action's secret as the client sent it (null, a mask, ciphertext or a secret of another kind:
     *               nothing to check)
     * @param path   where the secret is in the rule, for the error's details
     * @throws ApiException 400 naming each unknown key; 503 when delivery-service cannot be reached; 502 when it
     *                      answers something else than the list
     */
    public void requireKnown(String secret, String path, String apiKey, String authToken) {
        Set<String> named = named(secret);
        if (named.isEmpty()) {
            return;
        }
        Set<String> known = known(apiKey, authToken);
        List<ApiError.Detail> problems = new ArrayList<>();
        for (String id : named) {
            if (!known.contains(id)) {
                problems.add(new ApiError.Detail(path, "the signing key '" + abbreviated(id) + "' is not one of the"
                        + " organisation's keys (GET /api/v1/signing-keys lists them)"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }

    /** The key ids a {@code signing-keys:} secret names; empty for {@code all} and for any other secret. */
    static Set<String> named(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Set.of();
        }
        String names = secret.substring(PREFIX.length()).strip();
        if (names.equals(ALL)) {
            return Set.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                ids.add(name.strip());
            }
        }
        return ids;
    }

    private Set<String> known(String apiKey, String authToken) {
        SigningKeysApi.KeyList keys;
        try {
            keys = api.list(apiKey, authToken);
        } catch (WebApplicationException e) {
            LOG.warnf("delivery-service answered %d to the signing key list", e.getResponse().getStatus());
            throw new ApiException(502, "bad_gateway", "delivery-service answered " + e.getResponse().getStatus()
                    + " instead of the organisation's signing keys; the rule was not saved, try again later");
        } catch (ProcessingException e) {
            LOG.warnf("delivery-service could not be reached to check signing keys: %s", e.toString());
            throw new ApiException(503, "delivery_unavailable", "delivery-service cannot be reached to check the"
                    + " signing keys the rule names; the rule was not saved, try again later");
        }
        if (keys == null || keys.items() == null) {
            throw new ApiException(502, "bad_gateway", "delivery-service answered without the organisation's signing"
                    + " keys; the rule was not saved, try again later");
        }
        Set<String> ids = new HashSet<>();
        keys.items().forEach(key -> ids.add(key.id()));
        return ids;
    }

    private static String abbreviated(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "..." : id;
    }
}
