package io.hookflow.rules.datastore;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.rules.config.RulesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes the datastore. Every change bumps the datastore's revision in its own transaction, so replicas notice it
 * ({@link Datastore}) and concurrent changes are serialised; this replica's view is marked stale at once.
 */
@ApplicationScoped
public class KeyValueService {

    /** Names templates can address ({@code st2kv.system.name}, or {@code st2kv.system['a.b']} with dots). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,255}");
    static final Pattern USER = Pattern.compile("[A-Za-z0-9_.:@-]{1,255}");
    static final long MAX_TTL_SECONDS = Duration.ofDays(3650).toSeconds();

    /** A parsed {@code PUT /api/v1/keys/{name}} body. */
    public record Change(Scope scope, String user, String value, boolean secret, Optional<Duration> ttl) {
    }

    private final KeyValueRepository keys;
    private final SecretCipher cipher;
    private final RulesConfig config;
    private final Datastore datastore;

    KeyValueService(KeyValueRepository keys, SecretCipher cipher, RulesConfig config, Datastore datastore) {
        this.keys = keys;
        this.cipher = cipher;
        this.config = config;
        this.datastore = datastore;
    }

    /** Reads a PUT body; every problem at once in a 400. The caller's principal is the default user of user scope. */
    public Change parse(String name, JsonNode body, String callerPrincipal) {
        List<ApiError.Detail> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add(new ApiError.Detail("name", "must be 1-255 letters, digits, '_', '.', ':' or '-'"));
        }
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(List.of(new ApiError.Detail("", "the body must be a JSON object {\"value\": …}")));
        }
        JsonNode named = body.get("name");
        if (named != null && !named.isNull() && !name.equals(named.asText())) {
            problems.add(new ApiError.Detail("name", "differs from the name in the path"));
        }
        Scope scope = scope(body.get("scope"), problems);
        String user = user(scope, body.get("user"), callerPrincipal, problems);
        JsonNode value = body.get("value");
        String text = null;
        if (value == null || !value.isTextual()) {
            problems.add(new ApiError.Detail("value", "required, a string (store structured data as a JSON string and "
                    + "read it with from_json_string)"));
        } else if (value.textValue().getBytes(StandardCharsets.UTF_8).length > config.maxKeyValueSize()) {
            problems.add(new ApiError.Detail("value", "is larger than " + config.maxKeyValueSize() + " bytes"));
        } else {
            text = value.textValue();
        }
        JsonNode secret = body.get("secret");
        if (secret != null && !secret.isNull() && !secret.isBoolean()) {
            problems.add(new ApiError.Detail("secret", "must be true or false"));
        }
        JsonNode ttl = body.get("ttl");
        Optional<Duration> lifetime = Optional.empty();
        if (ttl != null && !ttl.isNull()) {
            if (!ttl.isIntegralNumber() || !ttl.canConvertToLong() || ttl.asLong() < 1 || ttl.asLong() > MAX_TTL_SECONDS) {
                problems.add(new ApiError.Detail("ttl", "must be a whole number of seconds from 1 to " + MAX_TTL_SECONDS));
            } else {
                lifetime = Optional.of(Duration.ofSeconds(ttl.asLong()));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new Change(scope, user, text, secret != null && secret.asBoolean(false), lifetime);
    }

    /** The scope of a query ({@code ?scope=}), {@code system} when absent. */
    public static Scope scopeOf(String value) {
        List<ApiError.Detail> problems = new ArrayList<>();
        Scope scope = scope(value == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(value), problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return scope;
    }

    /** The user of a query: the given one for user scope (the caller by default), '' for system scope. */
    public static String userOf(Scope scope, String value, String callerPrincipal) {
        List<ApiError.Detail> problems = new ArrayList<>();
        String user = user(scope, value == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(value),
                callerPrincipal, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return user;
    }

    @Transactional
    public KeyValue set(String orgId, String name, Change change) {
        if (change.secret() && !cipher.hasKey()) {
            throw new ApiException(503, "secrets_disabled",
                    "this service has no secrets key (hookflow.secrets.key) and cannot store secret values");
        }
        keys.nextRevision();
        Instant now = Instant.now();
        keys.deleteExpired(now);
        KeyValue.Id id = new KeyValue.Id(orgId, change.scope().wire(), change.user(), name);
        KeyValue stored = keys.findByIdOptional(id).orElse(null);
        boolean created = stored == null;
        if (created) {
            if (keys.countLive(orgId, now) >= config.maxKeysPerOrganisation()) {
                throw ApiException.conflict("the organisation holds " + config.maxKeysPerOrganisation()
                        + " keys, the most allowed (hookflow.rules.max-keys-per-organisation); delete some first");
            }
            stored = new KeyValue();
            stored.id = id;
            stored.createdAt = now;
        }
        stored.value = change.secret() ? cipher.encrypt(change.value()) : change.value();
        stored.secret = change.secret();
        stored.expiresAt = change.ttl().map(now::plus).orElse(null);
        stored.updatedAt = now;
        if (created) {
            keys.persist(stored);
        }
        datastore.markStaleAfterCommit();
        return stored;
    }

    @Transactional
    public void delete(String orgId, Scope scope, String user, String name) {
        keys.nextRevision();
        Instant now = Instant.now();
        KeyValue stored = keys.findByIdOptional(new KeyValue.Id(orgId, scope.wire(), user, name))
                .filter(key -> !key.expired(now))
                .orElseThrow(() -> ApiException.notFound("no " + scope.wire() + " key " + name));
        keys.delete(stored);
        datastore.markStaleAfterCommit();
    }

    public KeyValue get(String orgId, Scope scope, String user, String name) {
        Instant now = Instant.now();
        return keys.findByIdOptional(new KeyValue.Id(orgId, scope.wire(), user, name))
                .filter(key -> !key.expired(now))
                .orElseThrow(() -> ApiException.notFound("no " + scope.wire() + " key " + name));
    }

    private static Scope scope(JsonNode value, List<ApiError.Detail> problems) {
        if (value == null || value.isNull()) {
            return Scope.SYSTEM;
        }
        Optional<Scope> scope = value.isTextual() ? Scope.parse(value.textValue()) : Optional.empty();
        if (scope.isEmpty()) {
            problems.add(new ApiError.Detail("scope", "must be system or user"));
            return Scope.SYSTEM;
        }
        return scope.get();
    }

    private static String user(Scope scope, JsonNode value, String callerPrincipal, List<ApiError.Detail> problems) {
        boolean given = value != null && !value.isNull();
        if (scope == Scope.SYSTEM) {
            if (given) {
                problems.add(new ApiError.Detail("user", "applies to user scope only"));
            }
            return "";
        }
        if (!given) {
            return callerPrincipal;
        }
        if (!value.isTextual() || !USER.matcher(value.textValue()).matches()) {
            problems.add(new ApiError.Detail("user", "must be 1-255 letters, digits, '_', '.', ':', '@' or '-'"));
            return callerPrincipal;
        }
        return value.textValue();
    }
}
