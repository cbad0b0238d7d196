package io.hookflow.delivery.destination;

import java.net.InetAddress;
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

    /**
     * Why the address is not public, or empty when it is. An IPv6 address that carries an IPv4 address (6to4, Teredo,
     * NAT64, SIIT, IPv4-mapped or -compatible, ISATAP) is judged by that IPv4 address as well as by its own block:
     * the packet may end up there.
     */
    public static Optional<String> kindOf(InetAddress address) {
        for (EmbeddedIpv4.Found embedded : EmbeddedIpv4.of(address)) {
            Optional<String> inside = blockOf(embedded.ipv4());
            if (inside.isPresent()) {
                return Optional.of(inside.get() + " (" + embedded.ipv4().getHostAddress() + " in " + embedded.form()
                        + " form)");
            }
        }
        return blockOf(address);
    }

    private static Optional<String> blockOf(InetAddress address) {
        for (Block block : BLOCKS) {
            if (block.range().contains(address)) {
                return Optional.of(block.kind());
            }
        }
        return Optional.empty();
    }

    private static Block block(String cidr, String kind) {
        return new Block(IpRange.of(cidr), kind);
    }
}
