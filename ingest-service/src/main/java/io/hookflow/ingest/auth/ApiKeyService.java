package io.hookflow.ingest.auth;

import io.hookflow.common.auth.ApiKeyChange;
import io.hookflow.common.auth.ApiKeyRegistry;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.ingest.audit.Audit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API keys of an organisation: create (the key is shown once), list, read, enable or disable, delete. Each change is
 * published to the {@code api-keys} topic inside the database transaction: if the broker does not acknowledge it, the
 * transaction rolls back and the caller gets a 503, so the database and what every service knows never disagree about
 * a change that was answered. A commit that fails after its change was published is repaired by
 * {@link ApiKeyReconciler}.
 */
@ApplicationScoped
public class ApiKeyService {

    /** Recognisable in logs and by secret scanners. */
    public static final String KEY_PREFIX = "hfk_";
    static final int KEY_BYTES = 32;
    static final int HINT_LENGTH = KEY_PREFIX.length() + 4;
    static final int MAX_NAME = 255;
    static final Pattern ORG_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final ApiKeyRepository repository;
    private final CredentialPublisher publisher;
    /** Created at run time (never at build time), so a native image does not bake in its seed. */
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(ApiKeyRepository repository, CredentialPublisher publisher) {
        this.repository = repository;
        this.publisher = publisher;
    }

    /** The body of {@code POST /api/v1/apikeys}. */
    public record NewApiKey(String name, String orgId) {
    }

    @Transactional
    public ApiKeyView create(Caller caller, NewApiKey request) {
        String orgId = owningOrg(caller, request.orgId());
        if (request.name() != null && (request.name().length() > MAX_NAME || request.name().indexOf('\u0000') >= 0)) {
            throw ApiException.invalid(List.of(new ApiError.Detail("name",
                    "must be at most " + MAX_NAME + " characters, without the NUL character")));
        }
        byte[] secret = new byte[KEY_BYTES];
        random.nextBytes(secret);
        String plainKey = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.orgId = orgId;
        key.name = request.name() == null || request.name().isBlank() ? null : request.name();
        key.digest = ApiKeyRegistry.digest(plainKey);
        key.hint = plainKey.substring(0, HINT_LENGTH);
        key.enabled = true;
        key.revision = 1;
        key.audit = Audit.createdBy(caller.principal());
        repository.persist(key);
        repository.flush();
        publisher.publish(change(key));
        return ApiKeyView.of(key, plainKey);
    }

    @Transactional
    public List<ApiKeyView> list(String orgId) {
        return repository.listInOrg(orgId).stream().map(key -> ApiKeyView.of(key, null)).toList();
    }

    @Transactional
    public Optional<ApiKeyView> get(String orgId, String id) {
        return find(orgId, id).map(key -> ApiKeyView.of(key, null));
    }

    @Transactional
    public Optional<ApiKeyView> setEnabled(String orgId, String principal, String id, boolean enabled) {
        Optional<ApiKey> found = find(orgId, id);
        found.ifPresent(key -> {
            if (key.enabled != enabled) {
                key.enabled = enabled;
                key.revision++;
                key.audit.updatedBy(principal);
                repository.flush();
                publisher.publish(change(key));
            }
        });
        return found.map(key -> ApiKeyView.of(key, null));
    }

    @Transactional
    public boolean delete(String orgId, String id) {
        Optional<ApiKey> found = find(orgId, id);
        found.ifPresent(key -> {
            repository.delete(key);
            repository.flush();
            publisher.publishDeleted(key.id.toString());
        });
        return found.isPresent();
    }

    /** Keys belong to the caller's organisation; only the bootstrap key may create one for another organisation. */
    private static String owningOrg(Caller caller, String requested) {
        if (requested == null || requested.equals(caller.orgId())) {
            return caller.orgId();
        }
        if (!caller.bootstrap()) {
            throw new ApiException(403, "forbidden",
                    "only the bootstrap key may create API keys for another organisation");
        }
        if (!ORG_ID.matcher(requested).matches()) {
            throw ApiException.invalid(List.of(new ApiError.Detail("orgId",
                    "must be 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit")));
        }
        return requested;
    }

    private Optional<ApiKey> find(String orgId, String id) {
        try {
            return repository.findInOrg(orgId, UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static ApiKeyChange change(ApiKey key) {
        return new ApiKeyChange(ApiKeyChange.VERSION, key.id.toString(), key.orgId, key.digest, key.enabled, key.revision);
    }
}
