package io.hookflow.delivery.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The IPv4 address inside each IPv6 form that carries one, and the classification that follows from it. */
class EmbeddedIpv4Test {

    @ParameterizedTest(name = "{0} carries {1} ({2})")
    @CsvSource({
            "2002:7f00:1::1,                        127.0.0.1,       6to4",
            "2002:a9fe:a9fe:1234::5,                169.254.169.254, 6to4",
            "2001:0:4136:e378:8000:63bf:80ff:fffe,  127.0.0.1,       Teredo",
            "2001:0:4136:e378:8000:63bf:f5ff:fffe,  10.0.0.1,        Teredo",
            "64:ff9b::7f00:1,                       127.0.0.1,       NAT64",
            "64:ff9b::a9fe:a9fe,                    169.254.169.254, NAT64",
            "64:ff9b:1::a00:1,                      10.0.0.1,        local-use NAT64 /96",
            "64:ff9b:1:7f00:0:100::,                127.0.0.1,       local-use NAT64 /48",
            "::ffff:0:7f00:1,                       127.0.0.1,       SIIT IPv4-translated",
            "::ffff:0:c0a8:101,                     192.168.1.1,     SIIT IPv4-translated",
            "::7f00:1,                              127.0.0.1,       IPv4-compatible",
            "::2,                                   0.0.0.2,         IPv4-compatible",
            "2600::5efe:a00:1,                      10.0.0.1,        ISATAP",
            "2600:1::200:5efe:7f00:1,               127.0.0.1,       ISATAP"})
    void shouldFindTheIpv4AddressEachFormCarries(String ipv6, String ipv4, String form) throws Exception {
        List<EmbeddedIpv4.Found> found = EmbeddedIpv4.of(v6(ipv6));
        assertEquals(1, found.size(), found.toString());
        assertEquals(ipv4, found.get(0).ipv4().getHostAddress());
        assertEquals(form, found.get(0).form());
    }

    @Test
    void shouldReadAnIpv4MappedAddressThatJavaLeftAsIpv6() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        List<EmbeddedIpv4.Found> found = EmbeddedIpv4.of(Inet6Address.getByAddress(null, mapped, -1));
        assertEquals("127.0.0.1", found.get(0).ipv4().getHostAddress());
        assertEquals("IPv4-mapped", found.get(0).form());
        assertEquals(Optional.of("loopback (127.0.0.1 in IPv4-mapped form)"),
                NonPublicAddresses.kindOf(Inet6Address.getByAddress(null, mapped, -1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "2606:4700::1111", "fe80::1", "2001:db8::1", "64:ff9b:1:7f00:1:1::1"})
    void shouldFindNothingInAddressesThatCarryNoIpv4(String ipv6) throws Exception {
        assertEquals(List.of(), EmbeddedIpv4.of(v6(ipv6)));
    }

    @Test
    void shouldFindNothingInAnIpv4Address() throws Exception {
        assertEquals(List.of(), EmbeddedIpv4.of(InetAddress.getByName("127.0.0.1")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "2002:7f00:1::1,                       loopback (127.0.0.1 in 6to4 form)",
            "::ffff:0:7f00:1,                      loopback (127.0.0.1 in SIIT IPv4-translated form)",
            "2001:0:4136:e378:8000:63bf:80ff:fffe, loopback (127.0.0.1 in Teredo form)",
            "2600::5efe:a00:1,                     private (10.0.0.1 in ISATAP form)",
            "::2,                                  unspecified (0.0.0.2 in IPv4-compatible form)",
            // Teredo with a public client is still in the IETF's special-purpose block.
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7, IETF protocol assignments",
            "64:ff9b:1:7f00:1:1::1,                local NAT64"})
    void shouldClassifyByTheCarriedIpv4AddressFirst(String ipv6, String kind) throws Exception {
        assertEquals(Optional.of(kind), NonPublicAddresses.kindOf(v6(ipv6)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2002:808:808::1", "64:ff9b::808:808", "::ffff:0:808:808", "2600::5efe:808:808",
            "::808:808"})
    void shouldLeaveFormsThatCarryAPublicIpv4AddressPublic(String ipv6) throws Exception {
        assertEquals(Optional.empty(), NonPublicAddresses.kindOf(v6(ipv6)));
    }

    /**
     * Guava's InetAddresses reads 6to4, Teredo, IPv4-compatible and ISATAP too: on many addresses of those forms (and
     * random ones), this class must find what Guava finds.
     */
    @Test
    void shouldAgreeWithGuavaOnTheFormsGuavaKnows() throws Exception {
        Random random = new Random(20261202L);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            Inet6Address address = randomAddress(random);
            List<EmbeddedIpv4.Found> found = EmbeddedIpv4.of(address);
            Optional<String> mine = found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).ipv4().getHostAddress());
            Optional<String> guava = guava(address);
            if (!found.isEmpty() && !List.of("6to4", "Teredo", "IPv4-compatible", "ISATAP").contains(found.get(0).form())) {
                continue; // NAT64, SIIT, mapped: forms Guava does not read
            }
            assertEquals(guava, mine, address.getHostAddress());
            compared++;
        }
        assertTrue(compared > 15_000, "compared only " + compared);
    }

    private static Optional<String> guava(Inet6Address address) {
        if (InetAddresses.isTeredoAddress(address)) {
            return Optional.of(InetAddresses.getTeredoInfo(address).getClient().getHostAddress());
        }
        if (InetAddresses.is6to4Address(address)) {
            return Optional.of(InetAddresses.get6to4IPv4Address(address).getHostAddress());
        }
        if (InetAddresses.isCompatIPv4Address(address)) {
            return Optional.of(InetAddresses.getCompatIPv4Address(address).getHostAddress());
        }
        if (InetAddresses.isIsatapAddress(address)) {
            return Optional.of(InetAddresses.getIsatapIPv4Address(address).getHostAddress());
        }
        return Optional.empty();
    }

    /** Mostly addresses of the forms under test, with random bytes where the form leaves them free. */
    private static Inet6Address randomAddress(Random random) throws UnknownHostException {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        switch (random.nextInt(6)) {
            case 0 -> {
                bytes[0] = 0x20;
                bytes[1] = 0x01;
                bytes[2] = 0;
                bytes[3] = 0;
            }
            case 1 -> {
                bytes[0] = 0x20;
                bytes[1] = 0x02;
            }
            case 2 -> {
                Arrays.fill(bytes, 0, 12, (byte) 0);
                if (random.nextBoolean()) {
                    Arrays.fill(bytes, 12, 15, (byte) 0);
                }
            }
            case 3 -> {
                bytes[8] = (byte) random.nextInt(4);
                bytes[9] = 0;
                bytes[10] = 0x5E;
                bytes[11] = (byte) 0xFE;
            }
            default -> {
                // fully random
            }
        }
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    /** An IP literal (never a DNS lookup). */
    private static InetAddress v6(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
