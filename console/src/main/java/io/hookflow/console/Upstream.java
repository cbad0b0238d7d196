package io.hookflow.console;

import java.net.URI;
import java.util.Locale;

/**
 * One service behind the console: {@code /api/<name>/rest} on the console is {@code <base path>/api/rest} on the
 * service, so the console reaches only the services' {@code /api} (never {@code /q/metrics} and the like).
 */
record Upstream(String name, String scheme, String host, int port, String basePath) {

    static Upstream of(String name, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("hookflow.console." + name + "-url must be an http(s) URL: " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("hookflow.console." + name + "-url has no host: " + url);
        }
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return new Upstream(name, scheme, url.getHost(), port, path);
    }

    /** The console's path prefix for this service, without its trailing slash. */
    String prefix() {
        return "/api/" + name;
    }

    boolean tls() {
        return scheme.equals("https");
    }

    /**
     * The service's URI for a console path already normalised by the router (no {@code ..} left), with the query as
     * the browser sent it.
     */
    String serviceUri(String normalisedPath, String rawQuery) {
        String rest = normalisedPath.substring(prefix().length());
        return basePath + "/api" + (rest.startsWith("/") ? rest : "/" + rest) + (rawQuery == null ? "" : "?" + rawQuery);
    }
}
