package io.hookflow.delivery.destination;

import io.hookflow.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a request may be sent: scheme, method and host whitelists (Pact Broker semantics), then the resolved
 * addresses, so a public-looking name cannot lead into the private network (SSRF). Resolving may block: call it off
 * the event loop.
 */
@ApplicationScoped
public class DestinationGuard {

    /** Name resolution, replaceable in tests so they need no DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> schemes;
    private final Set<String> methods;
    private final HostWhitelist hosts;
    private final Resolver resolver;

    @Inject
    DestinationGuard(DeliveryConfig config) {
        this(config.whitelist().schemes(), config.whitelist().methods(),
                HostWhitelist.parse(config.whitelist().hosts().orElse(List.of())), DestinationGuard::resolve);
    }

    DestinationGuard(List<String> schemes, List<String> methods, HostWhitelist hosts, Resolver resolver) {
        this.schemes = normalised(schemes, false);
        this.methods = normalised(methods, true);
        this.hosts = hosts;
        this.resolver = resolver;
    }

    public Destination check(String method, String url) {
        String verb = method == null ? "POST" : method.trim().toUpperCase(Locale.ROOT);
        if (!methods.contains(verb)) {
            return new Destination.Refused("method " + verb + " is not allowed (allowed: " + String.join(", ", methods) + ")");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            return new Destination.Refused("URL is not valid: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            return new Destination.Refused("scheme '" + scheme + "' is not allowed (allowed: " + String.join(", ", schemes) + ")");
        }
        if (uri.getRawUserInfo() != null) {
            // Never sent as basic auth and never echoed: the URL itself is left out of the reason.
            return new Destination.Refused("the URL carries credentials (user:password@host); give them as username and "
                    + "password instead");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return new Destination.Refused("URL has no valid host: " + url);
        }
        String host = HostWhitelist.normalise(uri.getHost());
        if (isNumberButNotDottedDecimal(host)) {
            // 0177.0.0.1, 0x7f000001, 2130706433, 127.1: parsers disagree on what these mean (Java reads 0177 as
            // decimal 177, curl as octal 127), so no answer can be trusted, and none is looked up in DNS.
            return new Destination.Refused("host '" + host + "' is a number written other than as a.b.c.d; write the "
                    + "IPv4 address in dotted decimal");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return new Destination.Unresolved("DNS lookup failed: " + host);
        }
        if (addresses == null || addresses.length == 0) {
            return new Destination.Unresolved("DNS lookup failed: " + host);
        }
        // Every answer must pass: we connect to the first, but a mixed answer is a sign of something trying its luck.
        for (InetAddress address : addresses) {
            Optional<String> refusal = judge(host, address);
            if (refusal.isPresent()) {
                return new Destination.Refused(refusal.get());
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Destination.Allowed(scheme, host, port, pathAndQuery, addresses[0]);
    }

    /** Every label numeric (decimal, 0-led or 0x), yet not exactly four decimal labels of 0-255 without leading zeros. */
    static boolean isNumberButNotDottedDecimal(String host) {
        String[] labels = host.split("\\.", -1);
        boolean canonical = labels.length == 4;
        for (String label : labels) {
            if (label.matches("(?i)0x[0-9a-f]*")) {
                canonical = false;
            } else if (label.matches("[0-9]+")) {
                if (label.length() > 1 && label.charAt(0) == '0' || label.length() > 3 || Integer.parseInt(label) > 255) {
                    canonical = false;
                }
            } else {
                return false;
            }
        }
        return !canonical;
    }

    private Optional<String> judge(String host, InetAddress address) {
        String ip = address.getHostAddress();
        if (!hosts.allows(host, address)) {
            return Optional.of("host " + host + " (" + ip + ") is not in the host whitelist");
        }
        Optional<String> kind = NonPublicAddresses.kindOf(address);
        if (kind.isPresent() && !hosts.namesExplicitly(host, address)) {
            return Optional.of("host " + host + " resolves to " + ip + ", a " + kind.get()
                    + " address; only a whitelist entry naming it (hostname, IP or CIDR) allows that");
        }
        return Optional.empty();
    }

    /** The system resolver, as production uses it; package-private so a test can check real name resolution. */
    static InetAddress[] resolve(String host) throws UnknownHostException {
        Optional<InetAddress> literal = IpRange.literal(host);
        return literal.isPresent() ? new InetAddress[] {literal.get()} : InetAddress.getAllByName(host);
    }

    private static Set<String> normalised(List<String> values, boolean upper) {
        Set<String> result = new TreeSet<>();
        for (String value : values) {
            String trimmed = value.trim();
            if (!trimmed.isEmpty()) {
                result.add(upper ? trimmed.toUpperCase(Locale.ROOT) : trimmed.toLowerCase(Locale.ROOT));
            }
        }
        return result;
    }
}
