package io.hookflow.rules.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.crypto.SigningSecrets;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.http.Urls;
import io.hookflow.rules.template.RenderBudget;
import io.hookflow.rules.template.TemplateContext;
import io.hookflow.rules.template.TemplateSyntaxException;
import io.hookflow.rules.template.Templates;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code core.http} action: an outbound HTTP request whose url, headers, body and credentials may read the trigger
 * instance through templates. Parameters are checked when a rule is saved and rendered for each matching event.
 */
public final class HttpAction {

    public static final String REF = "core.http";
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final Set<String> PARAMETERS = Set.of("url", "method", "headers", "body", "username", "password", "secret",
            "timeout", "connectTimeout", "retry");
    /** The Pact Broker's webhook shape: {@code request: {method, url, headers, body, username, password}}. */
    public static final String REQUEST_BLOCK = "request";
    static final Set<String> REQUEST_FIELDS = Set.of("url", "method", "headers", "body", "username", "password");
    // The bounds are the contract's (OutboundRequest), so a rule never asks for what delivery would quietly shorten.
    static final int MAX_TIMEOUT_SECONDS = OutboundRequest.MAX_TIMEOUT_SECONDS;
    static final int MAX_CONNECT_TIMEOUT_SECONDS = OutboundRequest.MAX_CONNECT_TIMEOUT_SECONDS;
    static final int MAX_ATTEMPTS = OutboundRequest.RetryOverride.MAX_ATTEMPTS;
    static final int MAX_RETRY_DELAY_SECONDS = OutboundRequest.RetryOverride.MAX_DELAY_SECONDS;

    /**
     * Parameters as stored: a Pact-Broker-style {@code request} block is the same thing as core.http's own parameters, so
     * its fields move up beside the others. Each field given in both places is a problem.
     */
    public static JsonNode normalise(JsonNode parameters, String at, List<ApiError.Detail> problems) {
        if (parameters == null || !parameters.isObject() || !parameters.has(REQUEST_BLOCK)) {
            return parameters;
        }
        JsonNode request = parameters.get(REQUEST_BLOCK);
        if (!request.isObject()) {
            problems.add(new ApiError.Detail(at + "." + REQUEST_BLOCK, "must be an object {method, url, headers, body, username, password}"));
            return parameters;
        }
        ObjectNode flat = ((ObjectNode) parameters).deepCopy();
        flat.remove(REQUEST_BLOCK);
        request.properties().forEach(field -> {
            if (!REQUEST_FIELDS.contains(field.getKey())) {
                problems.add(new ApiError.Detail(at + "." + REQUEST_BLOCK + "." + field.getKey(),
                        "unknown request field; a request block takes " + REQUEST_FIELDS));
            } else if (flat.has(field.getKey())) {
                problems.add(new ApiError.Detail(at + "." + REQUEST_BLOCK + "." + field.getKey(),
                        "is also given as " + at + "." + field.getKey() + "; give it once"));
            } else {
                flat.set(field.getKey(), field.getValue());
            }
        });
        return flat;
    }

    private HttpAction() {
    }

    /** Every problem with the parameters, each with its path under {@code at}; empty when the action can run. */
    public static List<ApiError.Detail> check(JsonNode parameters, String at) {
        List<ApiError.Detail> problems = new ArrayList<>();
        if (parameters == null || !parameters.isObject()) {
            problems.add(new ApiError.Detail(at, "must be an object with at least 'url'"));
            return problems;
        }
        parameters.fieldNames().forEachRemaining(name -> {
            if (!PARAMETERS.contains(name)) {
                problems.add(new ApiError.Detail(at + "." + name, "unknown parameter; " + REF + " takes " + PARAMETERS));
            }
        });
        JsonNode url = parameters.get("url");
        if (url == null || !url.isTextual() || url.textValue().isBlank()) {
            problems.add(new ApiError.Detail(at + ".url", "is required: the absolute http(s) URL to call"));
        } else if (Urls.hasUserInfo(url.textValue())) {
            problems.add(new ApiError.Detail(at + ".url", "must not carry credentials (user:password@host): they would "
                    + "be shown and logged with the url; give them as " + at + ".username and " + at + ".password"));
        } else if (!Templates.isTemplate(url.textValue())) {
            checkAbsoluteUrl(url.textValue(), at + ".url", problems);
        } else {
            checkTemplate(url.textValue(), at + ".url", problems);
        }
        JsonNode method = parameters.get("method");
        if (method != null && (!method.isTextual() || !METHODS.contains(method.textValue().toUpperCase(Locale.ROOT)))) {
            problems.add(new ApiError.Detail(at + ".method", "must be one of " + METHODS));
        }
        JsonNode headers = parameters.get("headers");
        if (headers != null && !headers.isNull()) {
            if (!headers.isObject()) {
                problems.add(new ApiError.Detail(at + ".headers", "must be an object of header name to value"));
            } else {
                headers.properties().forEach(header -> {
                    if (header.getValue().isTextual()) {
                        checkTemplate(header.getValue().textValue(), at + ".headers." + header.getKey(), problems);
                    } else if (!header.getValue().isNumber() && !header.getValue().isBoolean()) {
                        problems.add(new ApiError.Detail(at + ".headers." + header.getKey(), "must be a string"));
                    }
                });
            }
        }
        JsonNode body = parameters.get("body");
        if (body != null) {
            checkTemplates(body, at + ".body", problems);
        }
        for (String name : List.of("username", "password", "secret")) {
            JsonNode value = parameters.get(name);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    problems.add(new ApiError.Detail(at + "." + name, "must be a string"));
                } else if (!name.equals("secret")) {
                    checkTemplate(value.textValue(), at + "." + name, problems);
                } else if (!SecretCipher.isEncrypted(value.textValue())) {
                    // A sealed secret was checked when it was first saved; a plain one is checked now.
                    SigningSecrets.problemWith(value.textValue())
                            .ifPresent(problem -> problems.add(new ApiError.Detail(at + ".secret", problem)));
                }
            }
        }
        JsonNode timeout = parameters.get("timeout");
        if (timeout != null && !timeout.isNull()
                && (!timeout.canConvertToInt() || !timeout.isIntegralNumber() || timeout.intValue() < 1
                || timeout.intValue() > MAX_TIMEOUT_SECONDS)) {
            problems.add(new ApiError.Detail(at + ".timeout", "must be whole seconds from 1 to " + MAX_TIMEOUT_SECONDS));
        }
        JsonNode connectTimeout = parameters.get("connectTimeout");
        if (connectTimeout != null && !connectTimeout.isNull() && !isWhole(connectTimeout, 1, MAX_CONNECT_TIMEOUT_SECONDS)) {
            problems.add(new ApiError.Detail(at + ".connectTimeout", "must be whole seconds from 1 to " + MAX_CONNECT_TIMEOUT_SECONDS));
        }
        JsonNode retry = parameters.get("retry");
        if (retry != null && !retry.isNull()) {
            checkRetry(retry, at + ".retry", problems);
        }
        return problems;
    }

    private static void checkRetry(JsonNode retry, String at, List<ApiError.Detail> problems) {
        if (!retry.isObject()) {
            problems.add(new ApiError.Detail(at, "must be an object {maxAttempts, schedule: [seconds, ...]}"));
            return;
        }
        retry.fieldNames().forEachRemaining(name -> {
            if (!name.equals("maxAttempts") && !name.equals("schedule")) {
                problems.add(new ApiError.Detail(at + "." + name, "unknown retry setting; retry takes maxAttempts and schedule"));
            }
        });
        JsonNode maxAttempts = retry.get("maxAttempts");
        if (maxAttempts != null && !maxAttempts.isNull() && !isWhole(maxAttempts, 1, MAX_ATTEMPTS)) {
            problems.add(new ApiError.Detail(at + ".maxAttempts", "must be a whole number from 1 to " + MAX_ATTEMPTS
                    + " (attempts in total, the first included)"));
        }
        JsonNode schedule = retry.get("schedule");
        if (schedule != null && !schedule.isNull()) {
            // The first attempt is immediate: a schedule of n delays means n + 1 attempts, at most MAX_ATTEMPTS.
            if (!schedule.isArray() || schedule.isEmpty() || schedule.size() > MAX_ATTEMPTS - 1) {
                problems.add(new ApiError.Detail(at + ".schedule", "must be a list of 1 to " + (MAX_ATTEMPTS - 1)
                        + " delays in seconds, e.g. [10, 60, 120]"));
            } else {
                for (int i = 0; i < schedule.size(); i++) {
                    if (!isWhole(schedule.get(i), OutboundRequest.RetryOverride.MIN_DELAY_SECONDS, MAX_RETRY_DELAY_SECONDS)) {
                        problems.add(new ApiError.Detail(at + ".schedule[" + i + "]", "must be whole seconds from 1 to "
                                + MAX_RETRY_DELAY_SECONDS));
                    }
                }
            }
        }
    }

    private static boolean isWhole(JsonNode node, int min, int max) {
        return node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= min && node.intValue() <= max;
    }

    /**
     * The request for one trigger instance. Values placed in the url are URL-encoded, values placed alone in a JSON body
     * field keep their JSON type, everything else is text.
     *
     * @throws io.hookflow.rules.template.MissingValueException when a template needs a value the trigger instance lacks
     *                                                          and has no default
     * @throws io.hookflow.rules.template.RenderFailedException when a template fails otherwise
     */
    public static OutboundRequest render(JsonNode parameters, JsonNode trigger) {
        return render(parameters, TemplateContext.of(trigger), RenderBudget.standalone());
    }

    /**
     * As {@link #render(JsonNode, JsonNode)}, within the budget (RenderBudget.TooLargeException past its text, a
     * RenderFailedException past its time or loop iterations).
     */
    public static OutboundRequest render(JsonNode parameters, TemplateContext trigger, RenderBudget budget) {
        String url = Templates.cached(parameters.get("url").textValue()).render(trigger, HttpAction::encodeForUrl, budget);
        budget.charge(url.length());
        String method = parameters.hasNonNull("method") ? parameters.get("method").textValue().toUpperCase(Locale.ROOT) : "POST";
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode headerSpecs = parameters.get("headers");
        if (headerSpecs != null && headerSpecs.isObject()) {
            headerSpecs.properties().forEach(header -> headers.put(header.getKey(), text(header.getValue(), trigger, budget)));
        }
        String body = null;
        JsonNode bodySpec = parameters.get("body");
        if (bodySpec != null && !bodySpec.isNull()) {
            if (bodySpec.isContainerNode()) {
                body = write(renderTree(bodySpec, trigger, budget), budget);
                boolean typed = headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Content-Type"));
                if (!typed) {
                    headers.put("Content-Type", "application/json");
                }
            } else {
                body = text(bodySpec, trigger, budget);
            }
        }
        // Secrets are stored as ciphertext and travel as such; a templated password is rendered by the caller.
        return new OutboundRequest(method, url, headers, body, optionalText(parameters, "username", trigger, budget),
                parameters.hasNonNull("password") ? parameters.get("password").textValue() : null,
                parameters.hasNonNull("secret") ? parameters.get("secret").textValue() : null,
                parameters.hasNonNull("timeout") ? parameters.get("timeout").intValue() : null,
                parameters.hasNonNull("connectTimeout") ? parameters.get("connectTimeout").intValue() : null,
                retryOf(parameters.get("retry")), sealedOrNull(trigger.keyValues().sealedValues()));
    }

    private static Map<String, String> sealedOrNull(Map<String, String> sealed) {
        return sealed.isEmpty() ? null : sealed;
    }

    private static OutboundRequest.RetryOverride retryOf(JsonNode retry) {
        if (retry == null || !retry.isObject()) {
            return null;
        }
        Integer maxAttempts = retry.hasNonNull("maxAttempts") ? retry.get("maxAttempts").intValue() : null;
        List<Integer> schedule = null;
        if (retry.hasNonNull("schedule")) {
            schedule = new ArrayList<>();
            for (JsonNode delay : retry.get("schedule")) {
                schedule.add(delay.intValue());
            }
        }
        return new OutboundRequest.RetryOverride(maxAttempts, schedule == null ? null : List.copyOf(schedule));
    }

    /** The same request with another password (ciphertext). */
    public static OutboundRequest withPassword(OutboundRequest request, String password) {
        return new OutboundRequest(request.method(), request.url(), request.headers(), request.body(), request.username(),
                password, request.secret(), request.timeoutSeconds(), request.connectTimeoutSeconds(), request.retry(),
                request.sealedValues(), request.rateLimit());
    }

    /**
     * Before the host is known (a template that supplies the whole base URL) values go in as written; in the path they
     * are percent-encoded; in the query they are form-encoded.
     */
    static String encodeForUrl(String value, CharSequence renderedSoFar) {
        String sofar = renderedSoFar.toString();
        int scheme = sofar.indexOf("://");
        if (scheme < 0 || sofar.indexOf('/', scheme + 3) < 0 && sofar.indexOf('?', scheme + 3) < 0) {
            return value;
        }
        if (sofar.indexOf('?') >= 0) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode renderTree(JsonNode node, TemplateContext trigger, RenderBudget budget) {
        if (node.isTextual()) {
            return Templates.isTemplate(node.textValue()) ? Templates.cached(node.textValue()).renderValue(trigger, budget) : node;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(field -> out.set(field.getKey(), renderTree(field.getValue(), trigger, budget)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> out.add(renderTree(element, trigger, budget)));
            return out;
        }
        return node;
    }

    /** The body as JSON text, written through the budget: a value placed many times stops the write, not the heap. */
    private static String write(JsonNode body, RenderBudget budget) {
        StringBuilder out = new StringBuilder();
        try {
            BODY_WRITER.writeValue(budget.writer(out), body);
        } catch (RenderBudget.TooLargeException e) {
            throw e;
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof RenderBudget.TooLargeException tooLarge) {
                throw tooLarge;
            }
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectWriter BODY_WRITER =
            new com.fasterxml.jackson.databind.ObjectMapper().writer();

    private static String text(JsonNode spec, TemplateContext trigger, RenderBudget budget) {
        String text = spec.isTextual()
                ? Templates.isTemplate(spec.textValue()) ? Templates.cached(spec.textValue()).render(trigger, budget) : spec.textValue()
                : spec.asText();
        budget.charge(text.length());
        return text;
    }

    private static String optionalText(JsonNode parameters, String name, TemplateContext trigger, RenderBudget budget) {
        return parameters.hasNonNull(name) ? text(parameters.get(name), trigger, budget) : null;
    }

    private static void checkTemplates(JsonNode node, String at, List<ApiError.Detail> problems) {
        if (node.isTextual()) {
            checkTemplate(node.textValue(), at, problems);
        } else if (node.isObject()) {
            node.properties().forEach(field -> checkTemplates(field.getValue(), at + "." + field.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTemplates(node.get(i), at + "[" + i + "]", problems);
            }
        }
    }

    private static void checkTemplate(String text, String at, List<ApiError.Detail> problems) {
        try {
            Templates.compile(text);
        } catch (TemplateSyntaxException e) {
            problems.add(new ApiError.Detail(at, "template error: " + e.getMessage()));
        }
    }

    private static void checkAbsoluteUrl(String url, String at, List<ApiError.Detail> problems) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                problems.add(new ApiError.Detail(at, "must be an absolute http:// or https:// URL"));
            }
        } catch (URISyntaxException e) {
            problems.add(new ApiError.Detail(at, "is not a valid URL: " + e.getMessage()));
        }
    }
}
