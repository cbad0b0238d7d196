package io.hookflow.ingest.webhook;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.ingest.audit.Audit;
import io.hookflow.ingest.signature.WebhookSecret;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Webhooks by id: create, read, delete, always within the caller's organisation. */
@ApplicationScoped
public class WebhookService {

    static final int MAX_NAME = 255;
    static final int MAX_DESCRIPTION = 4096;

    private final WebhookRepository repository;
    private final SecretCipher cipher;

    WebhookService(WebhookRepository repository, SecretCipher cipher) {
        this.repository = repository;
        this.cipher = cipher;
    }

    /** Webhook secrets are stored encrypted, as rules' and delivery's are: without a key none could be stored. */
    void requireKey(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent startup) {
        if (!cipher.hasKey()) {
            throw new IllegalStateException("ingest-service needs an encryption key for webhook secrets: set"
                    + " HOOKFLOW_SECRETS_KEY (hookflow.secrets.key) to the base64 of 32 random bytes"
                    + " (in Kubernetes, from the hookflow-secrets Secret); generate one with `openssl rand -base64 32`");
        }
    }

    /** The webhook's signing secret in clear, for verifying a signature; null when it has none. */
    public String secretOf(Webhook webhook) {
        return cipher.decrypt(webhook.secret);
    }

    @Transactional
    public WebhookView create(String orgId, String principal, NewWebhook request) {
        NewWebhook input = request == null ? NewWebhook.EMPTY : request;
        validate(input);
        Webhook webhook = new Webhook();
        webhook.id = UUID.randomUUID();
        webhook.orgId = orgId;
        webhook.name = blankToNull(input.name());
        webhook.description = blankToNull(input.description());
        // Encrypted at rest (AES-GCM), so a database dump does not reveal it; decrypted only to verify a signature.
        webhook.secret = cipher.encrypt(blankToNull(input.secret()));
        webhook.audit = Audit.createdBy(principal);
        repository.persist(webhook);
        return WebhookView.of(webhook);
    }

    @Transactional
    public Optional<WebhookView> get(String orgId, String id) {
        return parse(id).flatMap(uuid -> repository.findInOrg(orgId, uuid)).map(WebhookView::of);
    }

    @Transactional
    public boolean delete(String orgId, String id) {
        Optional<Webhook> webhook = parse(id).flatMap(uuid -> repository.findInOrg(orgId, uuid));
        webhook.ifPresent(repository::delete);
        return webhook.isPresent();
    }

    /** Any organisation's webhook: only for requests that prove themselves with the webhook's own signature. */
    @Transactional
    public Optional<Webhook> find(String id) {
        return parse(id).flatMap(repository::findByIdOptional);
    }

    /** The caller's own webhook. */
    @Transactional
    public Optional<Webhook> find(String orgId, String id) {
        return parse(id).flatMap(uuid -> repository.findInOrg(orgId, uuid));
    }

    private static void validate(NewWebhook input) {
        List<ApiError.Detail> problems = new ArrayList<>();
        if (input.name() != null && input.name().length() > MAX_NAME) {
            problems.add(new ApiError.Detail("name", "must be at most " + MAX_NAME + " characters"));
        }
        if (input.description() != null && input.description().length() > MAX_DESCRIPTION) {
            problems.add(new ApiError.Detail("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        // PostgreSQL text cannot hold U+0000; refuse it here rather than fail on insert.
        for (var field : new String[][] {{"name", input.name()}, {"description", input.description()}, {"secret", input.secret()}}) {
            if (field[1] != null && field[1].indexOf('\u0000') >= 0) {
                problems.add(new ApiError.Detail(field[0], "must not contain the NUL character"));
            }
        }
        if (input.secret() != null && !input.secret().isBlank() && input.secret().indexOf('\u0000') < 0) {
            WebhookSecret.problem(input.secret()).ifPresent(problem -> problems.add(new ApiError.Detail("secret", problem)));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
