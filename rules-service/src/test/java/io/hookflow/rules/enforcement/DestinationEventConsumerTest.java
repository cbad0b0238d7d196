package io.hookflow.rules.enforcement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hookflow.common.event.DestinationEvent;
import io.hookflow.common.event.TriggerEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A disabled destination as the trigger rules see: its type, its organisation, the event as payload, one id per disabling. */
class DestinationEventConsumerTest {

    static final Instant SINCE = Instant.parse("2026-11-27T08:00:00Z");
    static final Instant DISABLED = Instant.parse("2026-12-02T08:00:05Z");

    final DestinationEventConsumer consumer = new DestinationEventConsumer(null, null, null, null,
            new ObjectMapper().registerModule(new JavaTimeModule()));

    @Test
    void shouldTurnADisabledDestinationIntoAHookflowDestinationDisabledTrigger() {
        DestinationEvent event = event("hooks.example.com:443", DISABLED);

        TriggerEvent trigger = consumer.asTrigger(event);

        assertEquals("hookflow.destination.disabled", trigger.trigger());
        assertEquals("acme", trigger.orgId());
        assertEquals(1, trigger.depth(), "one level below the system event, so chains stay bounded");
        assertEquals(DISABLED, trigger.receivedAt());
        assertEquals("destination-events", trigger.source().webhook());
        assertEquals("hooks.example.com:443", trigger.payload().path("destination").asText());
        assertEquals("HTTP 503", trigger.payload().path("lastError").asText());
        assertEquals(1440, trigger.payload().path("consecutiveFailures").asInt());
        assertFalse(trigger.payload().has("version"));
    }

    @Test
    void shouldNameTheSameInstanceForARedeliveredEventAndANewOneForAnotherDisabling() {
        assertEquals(consumer.asTrigger(event("hooks.example.com:443", DISABLED)).id(),
                consumer.asTrigger(event("hooks.example.com:443", DISABLED)).id());
        assertNotEquals(consumer.asTrigger(event("hooks.example.com:443", DISABLED)).id(),
                consumer.asTrigger(event("hooks.example.com:443", DISABLED.plusSeconds(86400))).id());
        assertNotEquals(consumer.asTrigger(event("hooks.example.com:443", DISABLED)).id(),
                consumer.asTrigger(event("other.example.com:443", DISABLED)).id());
    }

    private static DestinationEvent event(String destination, Instant disabledAt) {
        return new DestinationEvent(DestinationEvent.VERSION, DestinationEvent.DISABLED, "acme", destination, "HTTP 503",
                1440, SINCE, disabledAt, 0);
    }
}
