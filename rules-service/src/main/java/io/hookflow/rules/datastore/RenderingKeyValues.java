package io.hookflow.rules.datastore;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.rules.template.KeyValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The datastore as one rendering sees it: the organisation's system keys, the user keys of the user rules run as,
 * and the secrets this rendering sealed ({@code decrypt_kv}). One instance per rendering; not shared between threads.
 */
final class RenderingKeyValues implements KeyValues {

    private final Datastore datastore;
    private final SecretCipher cipher;
    private final String orgId;
    private final String user;
    private final Map<String, String> sealed = new LinkedHashMap<>();

    RenderingKeyValues(Datastore datastore, SecretCipher cipher, String orgId, String user) {
        this.datastore = datastore;
        this.cipher = cipher;
        this.orgId = orgId;
        this.user = user;
    }

    @Override
    public Optional<String> find(String scope, String key) {
        return Scope.parse(scope).flatMap(wanted -> datastore.find(orgId, wanted, user, key)).map(Datastore.Entry::value);
    }

    @Override
    public String seal(String value) {
        if (!SecretCipher.isEncrypted(value)) {
            throw new IllegalArgumentException("takes the value of a secret key (set with \"secret\": true); this value "
                    + "is not encrypted");
        }
        String placeholder = OutboundRequest.SEALED_PREFIX + UUID.randomUUID().toString().replace("-", "");
        sealed.put(placeholder, value);
        return placeholder;
    }

    @Override
    public Map<String, String> sealedValues() {
        return Map.copyOf(sealed);
    }

    @Override
    public String opened(String text) {
        if (text == null || sealed.isEmpty() || !text.contains(OutboundRequest.SEALED_PREFIX)) {
            return text;
        }
        String result = text;
        for (Map.Entry<String, String> secret : sealed.entrySet()) {
            result = result.replace(secret.getKey(), cipher.decrypt(secret.getValue()));
        }
        return result;
    }
}
