package io.hookflow.ingest.auth;

import static io.hookflow.ingest.Api.BOOTSTRAP;
import static io.hookflow.ingest.Api.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.auth.ApiKeyChange;
import io.hookflow.common.auth.ApiKeyRegistry;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The table and the api-keys topic disagree only when a commit fails after its change was published; these tests
 * publish such a change directly (what the failed commit leaves behind) and let the reconciler repair it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ApiKeyReconcilerTest {

    @Inject
    ApiKeyReconciler reconciler;
    @Inject
    CredentialPublisher publisher;
    @Inject
    ApiKeyRegistry registry;
    @Inject
    ApiKeyRepository repository;

    @BeforeEach
    void startFromAgreement() {
        await().atMost(Duration.ofSeconds(30)).until(registry::caughtUp);
        // Two passes settle anything earlier tests left differing, so each test sees only its own difference.
        reconciler.reconcile();
        reconciler.reconcile();
    }

    @Test
    void shouldWithdrawAKeyWhoseCreationWasPublishedButNeverCommitted() {
        String id = UUID.randomUUID().toString();
        publisher.publish(new ApiKeyChange(ApiKeyChange.VERSION, id, "default",
                ApiKeyRegistry.digest("hfk_never-stored"), true, 1));
        assertTrue(registry.find(id).isPresent());

        reconciler.reconcile();
        reconciler.reconcile();

        assertTrue(registry.find(id).isEmpty(), "a key the table does not have is withdrawn from every service");
        assertTrue(registry.wasDeleted(id));
    }

    @Test
    void shouldRepublishTheStoredStateWhenAChangeWasPublishedButNotCommitted() {
        String id = createKey();
        ApiKeyRegistry.Entry published = registry.find(id).orElseThrow();
        // A disable whose commit failed: the topic says disabled, the table (and the caller's 503) say enabled.
        publisher.publish(new ApiKeyChange(ApiKeyChange.VERSION, id, "default", digestOf(id), false,
                published.revision() + 1));

        // Judged by this key's own state, not by the pass's count, which other tests' keys can change.
        reconciler.reconcile();
        assertFalse(registry.find(id).orElseThrow().enabled(), "one pass never repairs: the change could still be committing");
        assertEquals(published.revision(), storedRevision(id), "not republished after one pass");
        reconciler.reconcile();

        ApiKeyRegistry.Entry repaired = registry.find(id).orElseThrow();
        assertTrue(repaired.enabled());
        assertEquals(published.revision() + 2, repaired.revision());
        assertEquals(repaired.revision(), storedRevision(id));
    }

    @Test
    void shouldLeaveAChangeAloneThatCommitsBeforeTheNextPass() {
        String id = createKey();
        long revision = registry.find(id).orElseThrow().revision();
        publisher.publish(new ApiKeyChange(ApiKeyChange.VERSION, id, "default", digestOf(id), false, revision + 1));
        reconciler.reconcile();
        // ... and now its transaction commits.
        QuarkusTransaction.requiringNew().run(() -> {
            ApiKey key = repository.findById(UUID.fromString(id));
            key.enabled = false;
            key.revision = revision + 1;
        });

        reconciler.reconcile();
        ApiKeyRegistry.Entry entry = registry.find(id).orElseThrow();
        assertFalse(entry.enabled(), "the committed change stands");
        assertEquals(revision + 1, entry.revision(), "and was not republished over");
        assertEquals(revision + 1, storedRevision(id));
    }

    @Test
    void shouldDeleteTheRowOfAKeyWhoseTombstoneWasPublished() {
        String id = createKey();
        publisher.publishDeleted(id);

        reconciler.reconcile();
        reconciler.reconcile();

        assertTrue(QuarkusTransaction.requiringNew().call(() -> repository.findById(UUID.fromString(id)) == null),
                "no service can bring a deleted key back, so the table follows the topic");
        as(BOOTSTRAP).get("/api/v1/apikeys/" + id).then().statusCode(404);
    }

    private static String createKey() {
        return as(BOOTSTRAP).body(Map.of("name", "reconciled")).post("/api/v1/apikeys")
                .then().statusCode(201).extract().path("id");
    }

    private String digestOf(String id) {
        return QuarkusTransaction.requiringNew().call(() -> repository.findById(UUID.fromString(id)).digest);
    }

    private long storedRevision(String id) {
        return QuarkusTransaction.requiringNew().call(() -> repository.findById(UUID.fromString(id)).revision);
    }
}
