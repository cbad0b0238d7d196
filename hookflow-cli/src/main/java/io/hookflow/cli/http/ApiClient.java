package io.hookflow.cli.http;

import io.hookflow.cli.config.Service;
import io.hookflow.cli.config.Settings;
import io.hookflow.cli.error.CliException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Talks to the three services: adds the credential, turns any non-2xx answer into a one-line {@link CliException}
 * with exit code 1, and no answer at all into exit code 3.
 */
public final class ApiClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for execute-now and test deliveries, which wait for a target's answer. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http;
    private final Settings settings;
    private final String userAgent;

    public ApiClient(Settings settings, String version) {
        this.settings = settings;
        this.userAgent = "hookflow-cli/" + version;
        // HTTP/1.1: no h2c upgrade dance with a plain-HTTP service; redirects are never followed silently.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public ApiResponse get(Service service, String path, Map<String, String> query) {
        return send(service, "GET", path + queryString(query), Body.NONE);
    }

    public ApiResponse get(Service service, String path) {
        return get(service, path, Map.of());
    }

    public ApiResponse send(Service service, String method, String path, Body body) {
        return send(uri(service, path), method, body, service.label() + "-service");
    }

    /** A request to a URL the user gave in full (a webhook URL); the configured credential still goes with it. */
    public ApiResponse send(URI uri, String method, Body body, String what) {
        return send(uri, method, body, Map.of(), what);
    }

    /** As {@link #send(URI, String, Body, String)} with extra headers (a webhook's own, such as X-GitHub-Event). */
    public ApiResponse send(URI uri, String method, Body body, Map<String, String> headers, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("User-Agent", userAgent).header("Accept", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (!body.isEmpty()) {
            request.header("Content-Type", body.contentType());
        }
        headers.forEach(request::header);
        Settings.Credential credential = settings.credential();
        if (credential != null) {
            request.header(credential.header(), credential.value());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(what, uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted while waiting for " + what + " at " + base(uri));
        }
        if (response.statusCode() / 100 != 2) {
            String line = ErrorLine.of(response.statusCode(), response.body());
            if (response.statusCode() == 401 && credential == null) {
                line += " (no credential is configured: run hookflow login, set HOOKFLOW_API_KEY or pass --api-key)";
            }
            throw new CliException(CliException.REFUSED, line);
        }
        return new ApiResponse(response.statusCode(), response.body());
    }

    /** The service's base URL followed by the path. */
    public URI uri(Service service, String path) {
        return uri(settings.url(service) + path);
    }

    static URI uri(String text) {
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
                throw CliException.usage("not an http(s) URL: " + text);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CliException.usage("not a valid URL: " + text + " (" + e.getMessage() + ")");
        }
    }

    private static CliException unreachable(String what, URI uri, IOException e) {
        String reason;
        if (e instanceof HttpConnectTimeoutException) {
            reason = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            reason = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof ConnectException && e.getCause() instanceof UnresolvedAddressException) {
            reason = "unknown host " + uri.getHost();
        } else if (e instanceof ConnectException) {
            reason = "connection refused";
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new CliException(CliException.UNREACHABLE, "Error: cannot reach " + what + " at " + base(uri) + ": "
                + reason + " (is it running? point the CLI at it with --base-url or HOOKFLOW_URL)");
    }

    private static String base(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** {@code ?a=1&b=2} from the entries with a value, in order; empty when there are none. */
    public static String queryString(Map<String, String> query) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                joined.add(encode(name) + "=" + encode(value));
            }
        });
        return joined.toString();
    }

    /** A value for a path segment or query: percent-encoded, spaces as %20. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
