package io.hookflow.delivery.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whitelists and the SSRF rules, with a fake resolver so no test depends on DNS. */
class DestinationGuardTest {

    /** What the fake DNS answers; anything else does not resolve. */
    static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "api.example.com", List.of("93.184.216.35"),
            "a.b.example.com", List.of("93.184.216.36"),
            "example.com", List.of("93.184.216.34"),
            "internal.corp", List.of("10.1.2.3"),
            "rebind.evil.test", List.of("93.184.216.34", "127.0.0.1"),
            "metadata.evil.test", List.of("169.254.169.254"),
            "localhost", List.of("127.0.0.1"),
            "sixtofour.evil.test", List.of("2002:7f00:1::1"),
            "v6.example.com", List.of("2606:2800:220:1:248:1893:25c8:1946"));

    static final DestinationGuard.Resolver FAKE_DNS = host -> {
        var literal = IpRange.literal(host);
        if (literal.isPresent()) {
            return new InetAddress[] {literal.get()};
        }
        List<String> answers = DNS.get(host);
        if (answers == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] addresses = new InetAddress[answers.size()];
        for (int i = 0; i < answers.size(); i++) {
            addresses[i] = IpRange.literal(answers.get(i)).orElseThrow();
        }
        return addresses;
    };

    static DestinationGuard guard(String... hosts) {
        return new DestinationGuard(List.of("https"), List.of("POST"), HostWhitelist.parse(Arrays.asList(hosts)), FAKE_DNS);
    }

    static Destination check(DestinationGuard guard, String url) {
        return guard.check("POST", url);
    }

    static String refusal(Destination destination) {
        return assertInstanceOf(Destination.Refused.class, destination).reason();
    }

    @Test
    void shouldAllowHttpsPostToAPublicHostByDefault() {
        Destination.Allowed allowed = assertInstanceOf(Destination.Allowed.class,
                check(guard(), "https://hooks.example.com/in?x=1"));
        assertEquals("hooks.example.com", allowed.host());
        assertEquals(443, allowed.port());
        assertEquals("/in?x=1", allowed.pathAndQuery());
        assertEquals("93.184.216.34", allowed.address().getHostAddress());
        assertTrue(allowed.tls());
    }

    @Test
    void shouldRefuseHttpByDefault() {
        assertTrue(refusal(check(guard(), "http://hooks.example.com/")).contains("scheme 'http'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH", "TRACE"})
    void shouldRefuseMethodsOtherThanPostByDefault(String method) {
        assertTrue(refusal(guard().check(method, "https://hooks.example.com/")).contains("method " + method));
    }

    @Test
    void shouldAcceptConfiguredSchemesAndMethodsInAnyCase() {
        DestinationGuard guard = new DestinationGuard(List.of("HTTP", "https"), List.of("post", "Put"),
                HostWhitelist.parse(List.of()), FAKE_DNS);
        assertInstanceOf(Destination.Allowed.class, guard.check("put", "HTTP://hooks.example.com/x"));
        Destination.Allowed allowed = assertInstanceOf(Destination.Allowed.class,
                guard.check("POST", "http://hooks.example.com:8080"));
        assertEquals(8080, allowed.port());
        assertEquals("/", allowed.pathAndQuery());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "https:///nohost", "mailto:someone@example.com", "https://"})
    void shouldRefuseUrlsWithoutAUsableHost(String url) {
        assertInstanceOf(Destination.Refused.class, check(guard(), url));
    }

    @ParameterizedTest
    @CsvSource({
            "https://127.0.0.1/, loopback",
            "https://127.8.9.10/, loopback",
            "https://10.0.0.1/, private",
            "https://172.16.0.1/, private",
            "https://172.31.255.255/, private",
            "https://192.168.1.1/, private",
            "https://169.254.169.254/latest/meta-data/, cloud metadata",
            "https://100.64.0.1/, carrier-grade NAT",
            "https://100.100.100.200/, carrier-grade NAT",
            "https://0.0.0.0/, unspecified",
            "https://224.0.0.1/, multicast",
            "https://255.255.255.255/, reserved",
            "https://[::1]/, loopback",
            "https://[::]/, unspecified",
            "https://[fc00::1]/, unique local",
            "https://[fd00:ec2::254]/, unique local",
            "https://[fe80::1]/, link-local",
            "https://[ff02::1]/, multicast",
            "https://[::ffff:127.0.0.1]/, loopback",
            "https://[::ffff:a9fe:a9fe]/, cloud metadata",
            "https://[64:ff9b::a00:1]/, private",
            // IPv6 forms that carry an IPv4 address are judged by it (issue 17).
            "https://[2002:7f00:1::1]/, loopback (127.0.0.1 in 6to4 form)",
            "https://[2002:a9fe:a9fe::]/, cloud metadata (169.254.169.254 in 6to4 form)",
            "https://[::ffff:0:7f00:1]/, loopback (127.0.0.1 in SIIT IPv4-translated form)",
            "https://[::ffff:0:a00:1]/, private (10.0.0.1 in SIIT IPv4-translated form)",
            "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/, loopback (127.0.0.1 in Teredo form)",
            "https://[64:ff9b::7f00:1]/, loopback (127.0.0.1 in NAT64 form)",
            "https://[64:ff9b:1::a9fe:a9fe]/, cloud metadata (169.254.169.254 in local-use NAT64 /96 form)",
            "https://[::7f00:1]/, loopback (127.0.0.1 in IPv4-compatible form)",
            "https://[::a9fe:a9fe]/, cloud metadata (169.254.169.254 in IPv4-compatible form)",
            "https://[2600::5efe:c0a8:101]/, private (192.168.1.1 in ISATAP form)",
            "https://sixtofour.evil.test/, loopback (127.0.0.1 in 6to4 form)",
            "https://localhost/, loopback",
            "https://LOCALHOST./, loopback",
            "https://metadata.evil.test/, cloud metadata",
            "https://internal.corp/, private"})
    void shouldRefuseNonPublicAddressesWhenNoEntryNamesThem(String url, String kind) {
        String reason = refusal(check(guard(), url));
        assertTrue(reason.contains(kind), reason);
    }

    @Test
    void shouldRefuseAHostWhenAnyOfItsAddressesIsNotPublic() {
        assertTrue(refusal(check(guard(), "https://rebind.evil.test/")).contains("127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://172.15.255.255/", "https://172.32.0.1/", "https://100.63.255.255/",
            "https://100.128.0.1/", "https://169.253.0.1/", "https://8.8.8.8/", "https://[2606:4700::1111]/",
            "https://v6.example.com/", "https://[2002:808:808::1]/", "https://[64:ff9b::808:808]/",
            "https://[::ffff:0:808:808]/"})
    void shouldAllowPublicAddressesNextToTheBlockedRanges(String url) {
        assertInstanceOf(Destination.Allowed.class, check(guard(), url));
    }

    @Test
    void shouldAllowANonPublicAddressThatAnIpEntryNames() {
        assertInstanceOf(Destination.Allowed.class, check(guard("127.0.0.1"), "https://127.0.0.1:8443/"));
        assertInstanceOf(Destination.Allowed.class, check(guard("127.0.0.1"), "https://localhost/"));
        assertInstanceOf(Destination.Refused.class, check(guard("127.0.0.1"), "https://127.0.0.2/"));
    }

    @Test
    void shouldAllowANonPublicAddressThatACidrEntryNames() {
        DestinationGuard guard = guard("10.0.0.0/8", "fc00::/7");
        assertInstanceOf(Destination.Allowed.class, check(guard, "https://10.200.1.1/"));
        assertInstanceOf(Destination.Allowed.class, check(guard, "https://internal.corp/"));
        assertInstanceOf(Destination.Allowed.class, check(guard, "https://[fd12::1]/"));
        assertInstanceOf(Destination.Refused.class, check(guard, "https://192.168.0.1/"));
    }

    @Test
    void shouldAllowANonPublicAddressThatAHostnameEntryNames() {
        assertInstanceOf(Destination.Allowed.class, check(guard("internal.corp"), "https://internal.corp/"));
        assertInstanceOf(Destination.Allowed.class, check(guard("Internal.Corp."), "https://INTERNAL.corp/"));
    }

    @Test
    void shouldNotLetPatternEntriesReachNonPublicAddresses() {
        assertInstanceOf(Destination.Refused.class, check(guard("/.*/"), "https://127.0.0.1/"));
        assertInstanceOf(Destination.Refused.class, check(guard("*.corp"), "https://internal.corp/"));
        assertInstanceOf(Destination.Refused.class, check(guard("/corp$/"), "https://internal.corp/"));
        assertInstanceOf(Destination.Allowed.class, check(guard("/.*/"), "https://hooks.example.com/"));
    }

    @Test
    void shouldAllowOnlyListedHostsWhenTheHostWhitelistIsNotEmpty() {
        DestinationGuard guard = guard("hooks.example.com");
        assertInstanceOf(Destination.Allowed.class, check(guard, "https://hooks.example.com/"));
        assertTrue(refusal(check(guard, "https://api.example.com/")).contains("not in the host whitelist"));
    }

    @Test
    void shouldMatchWildcardEntriesAgainstExactlyOneLabel() {
        DestinationGuard guard = guard("*.example.com");
        assertInstanceOf(Destination.Allowed.class, check(guard, "https://hooks.example.com/"));
        assertInstanceOf(Destination.Allowed.class, check(guard, "https://api.example.com/"));
        assertInstanceOf(Destination.Refused.class, check(guard, "https://a.b.example.com/"));
        assertInstanceOf(Destination.Refused.class, check(guard, "https://example.com/"));
    }

    @Test
    void shouldMatchRegexEntriesAnywhereInTheHost() {
        DestinationGuard guard = guard("/^(hooks|api)\\.example\\.com$/");
        assertInstanceOf(Destination.Allowed.class, check(guard, "https://api.example.com/"));
        assertInstanceOf(Destination.Refused.class, check(guard, "https://a.b.example.com/"));
        assertInstanceOf(Destination.Allowed.class, check(guard("/example/"), "https://a.b.example.com/"));
    }

    @Test
    void shouldMatchIpAndCidrEntriesAgainstTheResolvedAddress() {
        assertInstanceOf(Destination.Allowed.class, check(guard("93.184.216.34"), "https://hooks.example.com/"));
        assertInstanceOf(Destination.Allowed.class, check(guard("93.184.216.0/24"), "https://api.example.com/"));
        assertInstanceOf(Destination.Refused.class, check(guard("93.184.216.34/32"), "https://api.example.com/"));
        assertInstanceOf(Destination.Allowed.class, check(guard("2606:2800::/32"), "https://v6.example.com/"));
    }

    @Test
    void shouldReportUnresolvableHostsAsRetryableRatherThanRefused() {
        assertInstanceOf(Destination.Unresolved.class, check(guard(), "https://nowhere.example.net/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/[unclosed/", "*.*.example.com", "foo*.example.com", "10.0.0.0/33", "http://example.com"})
    void shouldRejectWhitelistEntriesThatAreNoneOfTheForms(String entry) {
        assertThrows(IllegalArgumentException.class, () -> HostWhitelist.parse(List.of(entry)));
    }

    @Test
    void shouldTreatAnEmptyHostWhitelistAsAnyPublicHost() {
        assertTrue(HostWhitelist.parse(List.of(" ", "")).isEmpty());
    }

    @Test
    void shouldRefuseAHostNameThatTheSystemResolverMapsToLoopback() {
        // The real resolver (the hosts file or DNS), not FAKE_DNS: the name is judged by where it really leads. Any
        // host is allowed by the list, so only the SSRF rule can refuse it.
        DestinationGuard guard = new DestinationGuard(List.of("https"), List.of("POST"), HostWhitelist.parse(List.of("/.*/")),
                DestinationGuard::resolve);
        String reason = refusal(check(guard, "https://localhost:8443/hook"));
        assertTrue(reason.contains("loopback"), reason);
    }
}
