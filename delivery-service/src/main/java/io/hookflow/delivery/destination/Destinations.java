package io.hookflow.delivery.destination;

import java.net.URI;
import java.util.Locale;

/** Where a request URL goes, as the execution rows keep it: the destination (host:port) and the host. */
public final class Destinations {

    private Destinations() {
    }

    /** host:port with the scheme's default port filled in, lower case; null for a URL without a host. */
    public static String destinationOf(String url) {
        try {
            URI uri = url == null ? null : URI.create(url);
            if (uri == null || uri.getHost() == null) {
                return null;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static String hostOf(String url) {
        try {
            String host = url == null ? null : URI.create(url).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
