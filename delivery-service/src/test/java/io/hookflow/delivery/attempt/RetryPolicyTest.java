package io.hookflow.delivery.attempt;

import io.hookflow.delivery.http.HttpResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.OutboundRequest.RetryOverride;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static final HttpResult SERVER_ERROR = HttpResult.response(503, Map.of(), "", 5);
    final RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)), 0, Duration.ofHours(1));

    @Test
    void shouldFollowTheGlobalScheduleWhenTheRuleHasNoPolicy() {
        assertEquals(3, policy.maxAttempts(null));
        assertEquals(Duration.ofSeconds(5), policy.nextDelay(1, SERVER_ERROR, null).orElseThrow());
        assertEquals(Duration.ofMinutes(5), policy.nextDelay(2, SERVER_ERROR, null).orElseThrow());
        assertTrue(policy.nextDelay(3, SERVER_ERROR, null).isEmpty());
    }

    @Test
    void shouldRepeatTheRulesLastDelayUpToItsMaxAttempts() {
        RetryOverride own = new RetryOverride(5, List.of(1, 2));
        assertEquals(5, policy.maxAttempts(own));
        assertEquals(Duration.ofSeconds(1), policy.nextDelay(1, SERVER_ERROR, own).orElseThrow());
        assertEquals(Duration.ofSeconds(2), policy.nextDelay(2, SERVER_ERROR, own).orElseThrow());
        assertEquals(Duration.ofSeconds(2), policy.nextDelay(4, SERVER_ERROR, own).orElseThrow());
        assertTrue(policy.nextDelay(5, SERVER_ERROR, own).isEmpty());
    }

    @Test
    void shouldTakeTheAttemptLimitFromTheRulesScheduleWhenItGivesNoMaximum() {
        assertEquals(4, policy.maxAttempts(new RetryOverride(null, List.of(10, 20, 30))));
        // Only a maximum: the global schedule's delays, its last one repeating.
        RetryOverride onlyMax = new RetryOverride(6, null);
        assertEquals(6, policy.maxAttempts(onlyMax));
        assertEquals(Duration.ofMinutes(5), policy.nextDelay(5, SERVER_ERROR, onlyMax).orElseThrow());
    }

    @Test
    void shouldClampARulesPolicyIntoSaneBoundsWhenItAsksForTooMuchOrTooLittle() {
        assertEquals(RetryPolicy.MAX_ATTEMPTS_LIMIT, policy.maxAttempts(new RetryOverride(10_000, null)));
        assertEquals(1, policy.maxAttempts(new RetryOverride(0, null)));
        RetryOverride extreme = new RetryOverride(3, List.of(0, 10_000_000));
        assertEquals(Duration.ofSeconds(RetryPolicy.MIN_DELAY_SECONDS), policy.nextDelay(1, SERVER_ERROR, extreme).orElseThrow());
        assertEquals(Duration.ofSeconds(RetryPolicy.MAX_DELAY_SECONDS), policy.nextDelay(2, SERVER_ERROR, extreme).orElseThrow());
    }

    @Test
    void shouldNeverRetryWhenTheRuleAllowsOneAttempt() {
        assertTrue(policy.nextDelay(1, SERVER_ERROR, new RetryOverride(1, List.of(1))).isEmpty());
    }
}
