package io.hookflow.stack;

import java.util.Map;

/**
 * One request as the {@link RequestSink} received it.
 *
 * @param path the raw path plus {@code ?} and the raw query, exactly as sent (percent-encoding kept)
 * @param headers header names in lower case; repeated headers joined with a comma
 */
public record RecordedRequest(String method, String path, Map<String, String> headers, String body) {
}
