package io.hookflow.delivery.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Masks what must never be stored or shown: credentials in headers, as the Pact Broker defines them. */
public final class Redaction {

    public static final String MASK = "********";

    private Redaction() {
    }

    public static Map<String, String> headers(Map<String, String> headers) {
        return headers(headers, Set.of());
    }

    /** As {@link #headers(Map)}, also masking the named (lower-case) headers, such as signatures. */
    public static Map<String, String> headers(Map<String, String> headers, Set<String> alsoMasked) {
        Map<String, String> redacted = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> redacted.put(name,
                    isSecretHeader(name) || alsoMasked.contains(name.toLowerCase(Locale.ROOT)) ? MASK : value));
        }
        return redacted;
    }

    public static boolean isSecretHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("authorization") || lower.contains("token") || lower.equals("cookie")
                || lower.contains("api-key");
    }

    /**
     * The url with any credentials in it ({@code user:pass@}) masked. Such a url is never sent (the destination guard
     * refuses it), but a rendered one is still recorded and shown; its credentials must not be.
     */
    public static String url(String url) {
        if (url == null || !io.hookflow.common.http.Urls.hasUserInfo(url)) {
            return url;
        }
        int scheme = url.indexOf("://");
        int at = url.indexOf('@', scheme + 3);
        return scheme < 0 || at < 0 ? MASK : url.substring(0, scheme + 3) + MASK + url.substring(at);
    }

    public static String secret(String value) {
        return value == null ? null : MASK;
    }
}
