package io.hookflow.rules.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.event.TriggerIdentity;
import io.hookflow.common.json.LoneSurrogates;
import io.hookflow.rules.action.HttpAction;
import io.hookflow.rules.criteria.Criteria;
import io.hookflow.rules.criteria.OperatorRegistry;
import io.hookflow.rules.template.TemplateSyntaxException;
import io.hookflow.rules.template.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A rule as a client writes it, in StackStorm's shape, checked as a whole so that every problem is reported at once with
 * its path.
 */
public record RuleDefinition(String pack, String name, String description, boolean enabled, String mode,
                             String triggerType, JsonNode triggerParameters, JsonNode criteria, String actionRef,
                             JsonNode actionParameters, String orderingKey, OutboundRequest.RateLimit rateLimit) {

    /** StackStorm puts rules without a pack in {@code default}. */
    public static final String DEFAULT_PACK = "default";
    public static final String WEBHOOK_TRIGGER = TriggerEvent.WEBHOOK_TRIGGER;
    private static final String GENERIC_WEBHOOK = "st2";
    /** The ordering key template's length, and a rendered key's (longer keys fail that enforcement). */
    public static final int MAX_ORDERING_KEY = 1024;
    /** Pack and name make the ref {@code pack.name}, so neither may contain a dot. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern TRIGGER_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,255}");
    /**
     * A webhook url: path segments of unreserved characters. Several rules may share one url (StackStorm dispatches a
     * webhook to every rule listening on it), so only a malformed url is refused, never a shared one.
     */
    private static final Pattern WEBHOOK_URL = Pattern.compile("(?!\\.{1,2}(/|$))[A-Za-z0-9._~-]+(/(?!\\.{1,2}(/|$))[A-Za-z0-9._~-]+)*");

    public static RuleDefinition parse(JsonNode json, OperatorRegistry operators) {
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("a rule is a JSON object with name, pack, trigger, criteria and action");
        }
        String surrogate = LoneSurrogates.find(json);
        if (surrogate != null) {
            throw ApiException.badRequest("the rule holds a lone surrogate escape (\\ud800-\\udfff without its pair) in "
                    + surrogate + "; that is not valid Unicode text");
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        String name = name(json, "name", null, problems);
        String pack = name(json, "pack", DEFAULT_PACK, problems);
        String description = optionalText(json, "description", problems);
        boolean enabled = true;
        JsonNode enabledNode = json.get("enabled");
        if (enabledNode != null && !enabledNode.isNull()) {
            if (enabledNode.isBoolean()) {
                enabled = enabledNode.booleanValue();
            } else {
                problems.add(new ApiError.Detail("enabled", "must be true or false"));
            }
        }
        String mode = Rule.LIVE;
        JsonNode modeNode = json.get("mode");
        if (modeNode != null && !modeNode.isNull()) {
            String value = modeNode.isTextual() ? modeNode.textValue() : null;
            if (Rule.LIVE.equals(value) || Rule.SHADOW.equals(value)) {
                mode = value;
            } else {
                problems.add(new ApiError.Detail("mode", "must be \"live\" (the default: requests are sent) or \"shadow\""
                        + " (evaluated, rendered and recorded, never sent)"));
            }
        }
        OutboundRequest.RateLimit rateLimit = rateLimit(json.get("rate_limit"), problems);

        String triggerType = null;
        JsonNode triggerParameters = JsonNodeFactory.instance.objectNode();
        JsonNode trigger = json.get("trigger");
        if (trigger == null || !trigger.isObject()) {
            problems.add(new ApiError.Detail("trigger", "is required: {\"type\": \"pack.name\", \"parameters\": {...}}"));
        } else {
            JsonNode type = trigger.get("type");
            if (type == null || !type.isTextual() || type.textValue().isBlank()) {
                problems.add(new ApiError.Detail("trigger.type", "is required, e.g. \"core.st2.webhook\" or \"mypack.mytrigger\""));
            } else if (!TRIGGER_TYPE.matcher(type.textValue()).matches()) {
                problems.add(new ApiError.Detail("trigger.type", "may hold only letters, digits and . _ : -"));
            } else {
                triggerType = type.textValue();
            }
            JsonNode parameters = trigger.get("parameters");
            if (parameters != null && !parameters.isNull()) {
                if (parameters.isObject()) {
                    triggerParameters = parameters;
                } else {
                    problems.add(new ApiError.Detail("trigger.parameters", "must be an object"));
                }
            }
            if (WEBHOOK_TRIGGER.equals(triggerType)) {
                JsonNode url = triggerParameters.get("url");
                if (url == null || !url.isTextual() || url.textValue().replace("/", "").isBlank()) {
                    problems.add(new ApiError.Detail("trigger.parameters.url",
                            "is required for core.st2.webhook: the path the webhook answers at, e.g. \"sample\""));
                } else if (!WEBHOOK_URL.matcher(TriggerIdentity.normaliseWebhookUrl(url.textValue())).matches()
                        || TriggerIdentity.normaliseWebhookUrl(url.textValue()).length() > 255) {
                    problems.add(new ApiError.Detail("trigger.parameters.url", "must be a path of segments made of letters, "
                            + "digits and . _ ~ - separated by '/' (no empty, '.' or '..' segments, no query or fragment)"));
                } else if (GENERIC_WEBHOOK.equals(TriggerIdentity.normaliseWebhookUrl(url.textValue()))) {
                    // ingest routes /webhooks/st2 to the generic webhook, so a rule's webhook there could never fire.
                    problems.add(new ApiError.Detail("trigger.parameters.url",
                            "clashes with the generic webhook /api/v1/webhooks/st2; choose another url"));
                }
            }
        }

        JsonNode criteria = json.get("criteria");
        if (criteria == null || criteria.isNull()) {
            criteria = JsonNodeFactory.instance.objectNode();
        }
        Criteria.compile(criteria, operators, "criteria", problems);

        String actionRef = null;
        JsonNode actionParameters = JsonNodeFactory.instance.objectNode();
        JsonNode action = json.get("action");
        if (action == null || !action.isObject()) {
            problems.add(new ApiError.Detail("action", "is required: {\"ref\": \"core.http\", \"parameters\": {...}}"));
        } else {
            JsonNode ref = action.get("ref");
            if (ref == null || !ref.isTextual() || ref.textValue().isBlank()) {
                problems.add(new ApiError.Detail("action.ref", "is required; the available action is " + HttpAction.REF));
            } else if (!HttpAction.REF.equals(ref.textValue())) {
                problems.add(new ApiError.Detail("action.ref", "unknown action '" + ref.textValue()
                        + "'; the available action is " + HttpAction.REF));
            } else {
                actionRef = ref.textValue();
                int before = problems.size();
                actionParameters = HttpAction.normalise(action.get("parameters"), "action.parameters", problems);
                if (problems.size() == before) {
                    problems.addAll(HttpAction.check(actionParameters, "action.parameters"));
                }
            }
        }

        String orderingKey = orderingKey(json.get("ordering"), problems);

        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new RuleDefinition(pack, name, description, enabled, mode, triggerType, triggerParameters, criteria, actionRef,
                actionParameters, orderingKey, rateLimit);
    }

    /**
     * {@code ordering: {key: "<template>"}}: the key template, checked to compile now so that a rule never fails to
     * order at enforcement for a reason the save could have told; null when the rule is unordered.
     */
    private static String orderingKey(JsonNode ordering, List<ApiError.Detail> problems) {
        if (ordering == null || ordering.isNull()) {
            return null;
        }
        JsonNode key = ordering.isObject() ? ordering.get("key") : null;
        if (!ordering.isObject() || ordering.size() != 1 || key == null) {
            problems.add(new ApiError.Detail("ordering", "must be an object with one field, key: a template such as "
                    + "\"{{ trigger.body.repository.id }}\""));
            return null;
        }
        if (!key.isTextual() || key.textValue().isBlank()) {
            problems.add(new ApiError.Detail("ordering.key", "must be a non-empty string (a template such as "
                    + "\"{{ trigger.body.repository.id }}\", or a constant for one lane per rule)"));
            return null;
        }
        if (key.textValue().length() > MAX_ORDERING_KEY) {
            problems.add(new ApiError.Detail("ordering.key", "must be at most " + MAX_ORDERING_KEY + " characters"));
            return null;
        }
        if (Templates.isTemplate(key.textValue())) {
            try {
                Templates.compile(key.textValue());
            } catch (TemplateSyntaxException e) {
                problems.add(new ApiError.Detail("ordering.key", "is not a valid template: " + e.getMessage()));
                return null;
            }
        }
        return key.textValue();
    }

    /**
     * {@code rate_limit: {per_second: 10, burst: 20}}: requests per second for all the rule's executions together (its
     * own token bucket in delivery-service), burst optional. Bounds as delivery applies them.
     */
    private static OutboundRequest.RateLimit rateLimit(JsonNode node, List<ApiError.Detail> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(new ApiError.Detail("rate_limit", "must be an object {\"per_second\": 10, \"burst\": 20}"));
            return null;
        }
        int before = problems.size();
        node.fieldNames().forEachRemaining(field -> {
            if (!field.equals("per_second") && !field.equals("burst")) {
                problems.add(new ApiError.Detail("rate_limit." + field,
                        "unknown rate limit setting; rate_limit takes per_second and burst"));
            }
        });
        JsonNode perSecond = node.get("per_second");
        if (perSecond == null || !perSecond.isNumber() || !Double.isFinite(perSecond.doubleValue())
                || perSecond.doubleValue() < OutboundRequest.RateLimit.MIN_PER_SECOND
                || perSecond.doubleValue() > OutboundRequest.RateLimit.MAX_PER_SECOND) {
            problems.add(new ApiError.Detail("rate_limit.per_second", "is required: a number from "
                    + OutboundRequest.RateLimit.MIN_PER_SECOND + " to " + (int) OutboundRequest.RateLimit.MAX_PER_SECOND
                    + " (requests per second)"));
        }
        JsonNode burst = node.get("burst");
        boolean burstGiven = burst != null && !burst.isNull();
        if (burstGiven && (!burst.isIntegralNumber() || !burst.canConvertToInt() || burst.intValue() < 1
                || burst.intValue() > OutboundRequest.RateLimit.MAX_BURST)) {
            problems.add(new ApiError.Detail("rate_limit.burst", "must be a whole number from 1 to "
                    + OutboundRequest.RateLimit.MAX_BURST));
        }
        if (problems.size() > before) {
            return null;
        }
        return new OutboundRequest.RateLimit(perSecond.doubleValue(), burstGiven ? burst.intValue() : null);
    }

    private static String name(JsonNode json, String field, String fallback, List<ApiError.Detail> problems) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                problems.add(new ApiError.Detail(field, "is required"));
            }
            return fallback;
        }
        if (!node.isTextual() || !NAME.matcher(node.textValue()).matches()) {
            problems.add(new ApiError.Detail(field, "must be 1 to 128 letters, digits, '_' or '-' (no dots: the ref is pack.name)"));
            return fallback;
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode json, String field, List<ApiError.Detail> problems) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(new ApiError.Detail(field, "must be a string"));
            return null;
        }
        return node.textValue();
    }
}
