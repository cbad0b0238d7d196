package io.hookflow.cli.execution;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The filters {@code execution list} and {@code execution watch} share, as the API's query parameters. */
final class ExecutionFilters {

    @Option(names = "--status", description = "PENDING, RUNNING, RETRYING, SUCCEEDED, FAILED or CANCELED.")
    String status;

    @Option(names = "--rule", paramLabel = "REF", description = "The rule's ref (pack.name) or id.")
    String rule;

    @Option(names = "--destination", paramLabel = "HOST", description = "The destination host (case-insensitive).")
    String destination;

    @Option(names = "--trigger-instance", paramLabel = "ID", description = "The trigger instance that caused them.")
    String triggerInstance;

    Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", status);
        query.put("rule", rule);
        query.put("host", destination);
        query.put("triggerInstance", triggerInstance);
        return query;
    }
}
