package io.hookflow.delivery.destination;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Address blocks a webhook must not reach unless an operator names them: everything that is not the public internet
 * (loopback, private, link-local incl. cloud metadata, CGNAT, multicast, reserved, documentation ranges).
 */
public final class NonPublicAddresses {

    private record Block(IpRange range, String kind) {
    }

    private static final List<Block> BLOCKS = List.of(
            block("0.0.0.0/8", "unspecified"),
            block("10.0.0.0/8", "private"),
            block("100.64.0.0/10", "carrier-grade NAT"),
            block("127.0.0.0/8", "loopback"),
            // 169.254.169.254 is the metadata service of AWS, GCP, Azure and others.
            block("169.254.0.0/16", "link-local / cloud metadata"),
            block("172.16.0.0/12", "private"),
            block("192.0.0.0/24", "IETF protocol assignments"),
            block("192.0.2.0/24", "documentation"),
            block("192.88.99.0/24", "6to4 relay"),
            block("192.168.0.0/16", "private"),
            block("198.18.0.0/15", "benchmarking"),
            block("198.51.100.0/24", "documentation"),
            block("203.0.113.0/24", "documentation"),
            block("224.0.0.0/4", "multicast"),
            block("240.0.0.0/4", "reserved"),
            block("::/128", "unspecified"),
            block("::1/128", "loopback"),
            block("64:ff9b:1::/48", "local NAT64"),
            block("100::/64", "discard-only"),
            block("2001::/23", "IETF protocol assignments"),
            block("2001:db8::/32", "documentation"),
            // fd00:ec2::254 (AWS metadata over IPv6) lies in the unique-local block.
            block("fc00::/7", "unique local (private)"),
            block("fe80::/10", "link-local"),
            block("fec0::/10", "site-local"),
            block("ff00::/8", "multicast"));

    private NonPublicAddresses() {
    }

    /** Why the address is not public, or empty when it is. */
    public static Optional<String> kindOf(InetAddress address) {
        InetAddress effective = embeddedIpv4(address).orElse(address);
        for (Block block : BLOCKS) {
            if (block.range().contains(effective)) {
                return Optional.of(block.kind());
            }
        }
        return Optional.empty();
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}) or NAT64
     * ({@code 64:ff9b::a.b.c.d}) address: the connection ends up there, so that is what must be judged.
     */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        boolean zeroPrefix = allZero(bytes, 0, 10);
        boolean mapped = zeroPrefix && (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF;
        boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0 && !allZero(bytes, 12, 16)
                && !(allZero(bytes, 12, 15) && bytes[15] == 1);
        boolean nat64 = (bytes[0] & 0xFF) == 0x00 && (bytes[1] & 0xFF) == 0x64 && (bytes[2] & 0xFF) == 0xFF
                && (bytes[3] & 0xFF) == 0x9B && allZero(bytes, 4, 12);
        if (!mapped && !compatible && !nat64) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Block block(String cidr, String kind) {
        return new Block(IpRange.of(cidr), kind);
    }
}
