package io.hookflow.cli.webhook;

import io.hookflow.cli.http.ApiClient;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where {@code webhook fire} sends: a full URL as given; a path ({@code /api/v1/...}, as {@code webhook list} shows it)
 * on ingest-service; a webhook id (a UUID) at {@code /api/v1/trigger-webhooks/<id>}; anything else is the name of
 * a webhook under {@code /api/v1/webhooks/} ({@code st2}, or a url a rule registered, such as {@code github/push}).
 */
final class WebhookTarget {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private WebhookTarget() {
    }

    /** An absolute URL, or a path to append to ingest-service's base URL. */
    static String resolve(String urlOrId) {
        String target = urlOrId.trim();
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            return target;
        }
        if (target.startsWith("/")) {
            return target;
        }
        if (UUID.matcher(target).matches()) {
            return "/api/v1/trigger-webhooks/" + target;
        }
        return "/api/v1/webhooks/" + Arrays.stream(target.split("/")).filter(segment -> !segment.isEmpty())
                .map(ApiClient::encode).collect(Collectors.joining("/"));
    }

    static boolean isAbsolute(String resolved) {
        return !resolved.startsWith("/");
    }
}
