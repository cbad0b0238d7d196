package io.hookflow.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the registry makes of the api-keys records it reads, in whatever order they arrive. */
class ApiKeyRegistryTest {

    final ApiKeyRegistry registry = new ApiKeyRegistry(new ObjectMapper(), Optional.empty());

    static String record(String id, String key, boolean enabled, long revision) {
        return """
                {"version":1,"id":"%s","orgId":"acme","digest":"%s","enabled":%s,"revision":%d}"""
                .formatted(id, ApiKeyRegistry.digest(key), enabled, revision);
    }

    @Test
    void shouldAcceptAnEnabledKeyByItsValueOnly() {
        registry.apply("k1", record("k1", "hfk_secret", true, 1));
        assertEquals("acme", registry.findEnabled("hfk_secret").orElseThrow().orgId());
        assertEquals("k1", registry.findEnabled("hfk_secret").orElseThrow().id());
        assertTrue(registry.findEnabled("hfk_other").isEmpty());
        assertTrue(registry.findEnabled(ApiKeyRegistry.digest("hfk_secret")).isEmpty(), "the digest is not the key");
    }

    @Test
    void shouldRefuseADisabledKeyAndIgnoreAnOlderRecordSeenLate() {
        registry.apply("k1", record("k1", "hfk_secret", false, 2));
        registry.apply("k1", record("k1", "hfk_secret", true, 1));
        assertTrue(registry.findEnabled("hfk_secret").isEmpty());
        assertFalse(registry.find("k1").orElseThrow().enabled());
        registry.apply("k1", record("k1", "hfk_secret", true, 3));
        assertTrue(registry.findEnabled("hfk_secret").isPresent());
    }

    @Test
    void shouldForgetADeletedKeyForGood() {
        registry.apply("k1", record("k1", "hfk_secret", true, 1));
        registry.apply("k1", null);
        assertTrue(registry.findEnabled("hfk_secret").isEmpty());
        assertTrue(registry.find("k1").isEmpty());
        registry.apply("k1", record("k1", "hfk_secret", true, 5));
        assertTrue(registry.findEnabled("hfk_secret").isEmpty(), "a late record does not bring a deleted key back");
    }

    @Test
    void shouldNotFollowATopicWithoutABroker() {
        assertFalse(registry.following());
        assertFalse(registry.caughtUp());
    }
}
