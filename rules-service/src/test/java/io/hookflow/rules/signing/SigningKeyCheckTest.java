package io.hookflow.rules.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.error.ApiException;
import io.hookflow.rules.signing.SigningKeysApi.Key;
import io.hookflow.rules.signing.SigningKeysApi.KeyList;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check alone, with a stub of delivery's list: what is asked, and what each answer of delivery means. */
class SigningKeyCheckTest {

    static final KeyList KEYS = new KeyList(List.of(new Key("sk_active", "active"), new Key("sk_retired", "retired")));

    final List<String> asked = new ArrayList<>();

    SigningKeyCheck answering(KeyList keys) {
        return new SigningKeyCheck((apiKey, authToken) -> {
            asked.add(apiKey);
            return keys;
        });
    }

    @Test
    void shouldRefuseAKeyTheOrganisationDoesNotHaveNamingIt() {
        ApiException refused = assertThrows(ApiException.class, () -> answering(KEYS)
                .requireKnown("signing-keys:sk_active, sk_made_up", "action.parameters.secret", "key-1", null));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("'sk_made_up' is not one of the organisation's keys"),
                refused.getMessage());
        assertEquals(List.of("key-1"), asked, "asked once, with the caller's own key");
    }

    @Test
    void shouldAcceptTheOrganisationsKeysRetiredOnesIncluded() {
        answering(KEYS)
                .requireKnown("signing-keys:sk_active,sk_retired", "action.parameters.secret", "key-1", null);
        assertEquals(1, asked.size());
    }

    @Test
    void shouldNotAskDeliveryForSecretsThatNameNoKey() {
        SigningKeyCheck check = answering(KEYS);
        for (String secret : new String[] {null, "whsec_c2VjcmV0", "plain secret", "********", "signing-keys:all",
                "signing-keys: all "}) {
            check.requireKnown(secret, "action.parameters.secret", "key-1", null);
        }
        assertEquals(List.of(), asked);
    }

    @Test
    void shouldAnswer503WhenDeliveryCannotBeReached() {
        SigningKeyCheck check = new SigningKeyCheck((apiKey, authToken) -> {
            throw new ProcessingException(new ConnectException("Connection refused"));
        });
        ApiException unavailable = assertThrows(ApiException.class,
                () -> check.requireKnown("signing-keys:sk_active", "action.parameters.secret", "key-1", null));
        assertEquals(503, unavailable.status());
        assertEquals("delivery_unavailable", unavailable.body().error());
        assertTrue(unavailable.getMessage().contains("not saved"), unavailable.getMessage());
    }

    @Test
    void shouldAnswer502WhenDeliveryAnswersSomethingElseThanTheList() {
        SigningKeyCheck failing = new SigningKeyCheck((apiKey, authToken) -> {
            throw new WebApplicationException(500);
        });
        ApiException bad = assertThrows(ApiException.class,
                () -> failing.requireKnown("signing-keys:sk_active", "action.parameters.secret", "key-1", null));
        assertEquals(502, bad.status());
        ApiException noList = assertThrows(ApiException.class, () -> answering(new KeyList(null))
                .requireKnown("signing-keys:sk_active", "action.parameters.secret", "key-1", null));
        assertEquals(502, noList.status());
    }
}
