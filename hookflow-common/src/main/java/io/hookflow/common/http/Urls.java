package io.hookflow.common.http;

import java.net.URI;
import java.net.URISyntaxException;

/** URL facts that rules-service (at save) and delivery-service (before sending) must judge alike. */
public final class Urls {

    private Urls() {
    }

    /**
     * Whether the URL carries credentials ({@code http://user:pass@host/}). They would be neither sent as basic auth nor
     * kept secret (URLs are logged and shown), so both services refuse them and point to username and password.
     */
    public static boolean hasUserInfo(String url) {
        if (url == null) {
            return false;
        }
        try {
            return new URI(url.trim()).getRawUserInfo() != null;
        } catch (URISyntaxException e) {
            // Not a URI at all; an '@' before the path still reads as credentials to people and to lenient clients.
            int scheme = url.indexOf("://");
            int authorityEnd = scheme < 0 ? -1 : indexOfAny(url, scheme + 3);
            String authority = scheme < 0 ? "" : url.substring(scheme + 3, authorityEnd < 0 ? url.length() : authorityEnd);
            return authority.contains("@");
        }
    }

    private static int indexOfAny(String url, int from) {
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return -1;
    }
}
