package io.hookflow.delivery.destination;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 addresses an IPv6 address carries inside it. A packet to such an address may end up at that IPv4 address
 * (through a 6to4 relay, a Teredo peer, a NAT64 or SIIT translator, an ISATAP tunnel or a dual stack), so the SSRF
 * guard judges it by them too: {@code 2002:7f00:1::1} is loopback. Hand-written rather than Guava's
 * {@code InetAddresses} (not otherwise a dependency, and without NAT64, SIIT or the local-use NAT64 prefix).
 */
final class EmbeddedIpv4 {

    /** One IPv4 address inside an IPv6 one, and the form that puts it there (for the refusal's reason). */
    record Found(Inet4Address ipv4, String form) {
    }

    private EmbeddedIpv4() {
    }

    /** Every IPv4 address the address carries, by the first form it has; empty for an IPv4 or a plain IPv6 address. */
    static List<Found> of(InetAddress address) {
        List<Found> found = new ArrayList<>();
        if (!(address instanceof Inet6Address)) {
            return found;
        }
        byte[] b = address.getAddress();
        if (u(b[0]) == 0x20 && u(b[1]) == 0x01 && b[2] == 0 && b[3] == 0) {
            // Teredo (RFC 4380), 2001::/32: the client's address, bits inverted, in the last 32 bits.
            found.add(new Found(ipv4(b, 12, 0xFF), "Teredo"));
        } else if (u(b[0]) == 0x20 && u(b[1]) == 0x02) {
            // 6to4 (RFC 3056), 2002::/16: the site's address in bits 16-47.
            found.add(new Found(ipv4(b, 2, 0), "6to4"));
        } else if (u(b[0]) == 0x00 && u(b[1]) == 0x64 && u(b[2]) == 0xFF && u(b[3]) == 0x9B) {
            if (zero(b, 4, 12)) {
                // NAT64 well-known prefix (RFC 6052), 64:ff9b::/96.
                found.add(new Found(ipv4(b, 12, 0), "NAT64"));
            } else if (b[4] == 0 && u(b[5]) == 0x01) {
                // Local-use NAT64 (RFC 8215), 64:ff9b:1::/48 (refused as a whole anyway). Where the IPv4 address sits
                // depends on the prefix length the operator chose (RFC 6052); read where the layout says so.
                if (zero(b, 6, 12)) {
                    found.add(new Found(ipv4(b, 12, 0), "local-use NAT64 /96"));
                } else if (b[8] == 0 && zero(b, 11, 16)) {
                    found.add(new Found(ipv4(new byte[] {b[6], b[7], b[9], b[10]}, 0, 0), "local-use NAT64 /48"));
                }
            }
        } else if (zero(b, 0, 10) && u(b[10]) == 0xFF && u(b[11]) == 0xFF) {
            // IPv4-mapped (RFC 4291), ::ffff:0:0/96; Java usually hands these over as IPv4 already.
            found.add(new Found(ipv4(b, 12, 0), "IPv4-mapped"));
        } else if (zero(b, 0, 8) && u(b[8]) == 0xFF && u(b[9]) == 0xFF && b[10] == 0 && b[11] == 0) {
            // SIIT IPv4-translated (RFC 2765), ::ffff:0:0:0/96.
            found.add(new Found(ipv4(b, 12, 0), "SIIT IPv4-translated"));
        } else if (zero(b, 0, 12) && !(zero(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
            // IPv4-compatible (RFC 4291, deprecated), ::/96 less :: and ::1 (judged as themselves).
            found.add(new Found(ipv4(b, 12, 0), "IPv4-compatible"));
        } else if ((u(b[8]) | 0x03) == 0x03 && b[9] == 0 && u(b[10]) == 0x5E && u(b[11]) == 0xFE) {
            // ISATAP (RFC 5214): any prefix, interface identifier [00|02]00:5efe:a.b.c.d.
            found.add(new Found(ipv4(b, 12, 0), "ISATAP"));
        }
        return found;
    }

    private static Inet4Address ipv4(byte[] bytes, int from, int mask) {
        byte[] four = new byte[4];
        for (int i = 0; i < 4; i++) {
            four[i] = (byte) (bytes[from + i] ^ mask);
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u(byte value) {
        return value & 0xFF;
    }
}
