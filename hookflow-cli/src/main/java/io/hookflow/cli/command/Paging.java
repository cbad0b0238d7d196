package io.hookflow.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Option;

/** The time window and paging options every record list takes. */
public final class Paging {

    @Option(names = "--since", paramLabel = "AGE|TIME", description = "Since: an age (30s, 15m, 1h, 2d, 1w) or an ISO-8601 time.")
    public String since;

    @Option(names = "--limit", description = "At most this many (1..500, default 50).")
    Integer limit;

    @Option(names = "--cursor", description = "The next page, as the previous page's answer named it.")
    String cursor;

    public Map<String, String> addTo(Map<String, String> query) {
        query.put("since", Since.parameter(since, Instant.now()));
        query.put("limit", limit == null ? null : limit.toString());
        query.put("cursor", cursor);
        return query;
    }

    /** The hint for the next page, when there is one. */
    public static String more(JsonNode page) {
        return page.hasNonNull("nextCursor") ? "More: add --cursor " + page.path("nextCursor").asText() + "\n" : "";
    }
}
