package io.hookflow.delivery.destination;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The host whitelist with the Pact Broker's entry forms: a hostname, {@code *.example.com} (exactly one more label), an
 * IP, a CIDR range, or {@code /regex/} (found anywhere in the hostname, as Ruby's {@code =~} does). Empty means any
 * public host.
 */
public final class HostWhitelist {

    sealed interface Entry permits Name, Wildcard, Regex, Range {
        /** Whether a request to this host, connecting to this address, is on the list. */
        boolean allows(String host, InetAddress address);

        /** Whether the entry names this destination precisely enough to reach a non-public address. */
        boolean namesExplicitly(String host, InetAddress address);
    }

    record Name(String name) implements Entry {
        public boolean allows(String host, InetAddress address) {
            return name.equals(host);
        }

        public boolean namesExplicitly(String host, InetAddress address) {
            return allows(host, address);
        }
    }

    record Wildcard(String suffix) implements Entry {
        public boolean allows(String host, InetAddress address) {
            if (!host.endsWith(suffix) || host.length() == suffix.length()) {
                return false;
            }
            String label = host.substring(0, host.length() - suffix.length());
            return !label.contains(".");
        }

        /** A pattern is not a name: internal addresses need an exact entry. */
        public boolean namesExplicitly(String host, InetAddress address) {
            return false;
        }
    }

    record Regex(Pattern pattern) implements Entry {
        public boolean allows(String host, InetAddress address) {
            return pattern.matcher(host).find();
        }

        public boolean namesExplicitly(String host, InetAddress address) {
            return false;
        }
    }

    record Range(IpRange range) implements Entry {
        public boolean allows(String host, InetAddress address) {
            return range.contains(address);
        }

        public boolean namesExplicitly(String host, InetAddress address) {
            return allows(host, address);
        }
    }

    private final List<Entry> entries;

    private HostWhitelist(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** @throws IllegalArgumentException for an entry that is none of the forms (a typo must not widen the list) */
    public static HostWhitelist parse(List<String> texts) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : texts) {
            String text = raw.trim();
            if (text.isEmpty()) {
                continue;
            }
            entries.add(entry(text));
        }
        return new HostWhitelist(entries);
    }

    private static Entry entry(String text) {
        if (text.length() >= 2 && text.startsWith("/") && text.endsWith("/")) {
            try {
                return new Regex(Pattern.compile(text.substring(1, text.length() - 1)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("host whitelist entry " + text + " is not a valid regex: "
                        + e.getDescription());
            }
        }
        Optional<IpRange> range = IpRange.parse(text);
        if (range.isPresent()) {
            return new Range(range.get());
        }
        String name = normalise(text);
        if (name.startsWith("*.") && name.length() > 2 && !name.substring(2).contains("*")) {
            return new Wildcard(name.substring(1));
        }
        if (name.contains("*") || name.contains("/") || name.contains(":")) {
            throw new IllegalArgumentException("host whitelist entry " + text
                    + " is not a hostname, *.domain, IP, CIDR range or /regex/");
        }
        return new Name(name);
    }

    /** Lower case, without IPv6 brackets or the root's trailing dot, so "Example.COM." and "example.com" are one host. */
    public static String normalise(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public boolean allows(String host, InetAddress address) {
        return entries.isEmpty() || entries.stream().anyMatch(entry -> entry.allows(host, address));
    }

    public boolean namesExplicitly(String host, InetAddress address) {
        return entries.stream().anyMatch(entry -> entry.namesExplicitly(host, address));
    }
}
