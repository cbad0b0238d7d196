package io.hookflow.delivery.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollingLoopTest {

    @Test
    void shouldRunTheNextRoundAtOnceWhenWokenDuringALongWait() throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        PollingLoop loop = new PollingLoop("test-loop", Duration.ofMinutes(1), () -> {
            first.countDown();
            second.countDown();
            return Duration.ofMinutes(1);
        });
        loop.start();
        try {
            assertTrue(first.await(5, TimeUnit.SECONDS));
            loop.wakeUp();
            assertTrue(second.await(5, TimeUnit.SECONDS), "a wake-up ends the one-minute wait");
        } finally {
            loop.stop();
        }
    }

    @Test
    void shouldWaitAsLongAsTheRoundAskedWhenNothingWakesIt() throws InterruptedException {
        AtomicInteger rounds = new AtomicInteger();
        PollingLoop loop = new PollingLoop("test-loop", Duration.ofMinutes(1), () -> {
            rounds.incrementAndGet();
            return Duration.ofMinutes(1);
        });
        loop.start();
        try {
            Thread.sleep(500);
            assertEquals(1, rounds.get(), "an idle loop does one round per interval, no more");
        } finally {
            loop.stop();
        }
    }

    @Test
    void shouldKeepGoingAfterARoundFailedAndWaitTheFailureTime() throws InterruptedException {
        CountDownLatch rounds = new CountDownLatch(3);
        PollingLoop loop = new PollingLoop("test-loop", Duration.ofMillis(20), () -> {
            rounds.countDown();
            throw new IllegalStateException("database away");
        });
        loop.start();
        try {
            assertTrue(rounds.await(5, TimeUnit.SECONDS));
        } finally {
            loop.stop();
        }
    }

    @Test
    void shouldStopPromptlyAndRunNoMoreRounds() throws InterruptedException {
        AtomicInteger rounds = new AtomicInteger();
        PollingLoop loop = new PollingLoop("test-loop", Duration.ofMillis(10), () -> {
            rounds.incrementAndGet();
            return Duration.ofMillis(10);
        });
        loop.start();
        Thread.sleep(100);
        long before = System.nanoTime();
        loop.stop();
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(2));
        int stoppedAt = rounds.get();
        Thread.sleep(100);
        assertEquals(stoppedAt, rounds.get());
        assertFalse(stoppedAt == 0);
    }
}
