package io.hookflow.delivery.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IpRangeTest {

    @Test
    void shouldContainAddressesInsideTheBlockOnly() {
        IpRange range = IpRange.of("172.16.0.0/12");
        assertTrue(range.contains(IpRange.literal("172.16.0.0").orElseThrow()));
        assertTrue(range.contains(IpRange.literal("172.31.255.255").orElseThrow()));
        assertFalse(range.contains(IpRange.literal("172.32.0.0").orElseThrow()));
        assertFalse(range.contains(IpRange.literal("::1").orElseThrow()), "IPv6 is never inside an IPv4 block");
    }

    @Test
    void shouldNeverResolveNamesWhenParsingLiterals() {
        assertTrue(IpRange.literal("example.com").isEmpty());
        assertTrue(IpRange.parse("localhost").isEmpty());
        assertEquals(32, IpRange.parse("10.1.2.3").orElseThrow().prefixLength());
        assertEquals(0, IpRange.parse("0.0.0.0/0").orElseThrow().prefixLength());
    }
}
