package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerIdentity;
import io.hookflow.common.kafka.CompactedTopicView;
import io.hookflow.ingest.trigger.OrderedTriggers;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The urls that enabled {@code core.st2.webhook} rules register, learnt from the compacted {@code rule-changes}
 * topic, which every ingest replica reads in full and follows: a new, changed or deleted rule is visible here within
 * the reader's poll. Kept per organisation, so one organisation's url never answers for another. The same records say
 * which triggers an enabled rule delivers in ordered lanes ({@link OrderedTriggers}).
 */
@Singleton
@Priority(50)
public class RuleWebhooks extends CompactedTopicView implements WebhookSource, OrderedTriggers {

    public static final String TRIGGER_TYPE = io.hookflow.common.event.TriggerEvent.WEBHOOK_TRIGGER;

    private final ObjectMapper mapper;
    /** The latest state of every rule, by rule id. */
    private final Map<String, RuleChange> rules = new ConcurrentHashMap<>();
    /** (org, url) → rule id → ref, of the enabled rules registering the url. */
    private final Map<Registration, Map<String, String>> registered = new ConcurrentHashMap<>();

    /** (org, trigger type) → ids of the enabled rules on it that deliver in ordered lanes. */
    private final Map<OrderedTrigger, java.util.Set<String>> ordered = new ConcurrentHashMap<>();

    record Registration(String orgId, String url) {
    }

    record OrderedTrigger(String orgId, String triggerType) {
    }

    RuleWebhooks(ObjectMapper mapper, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        super(Topics.RULE_CHANGES, Optional.of(bootstrapServers), "no rule-registered webhook is served");
        this.mapper = mapper;
    }

    /** The refs of the enabled rules that registered the url in the organisation; empty when none did. */
    public Optional<SortedSet<String>> find(String orgId, String url) {
        Map<String, String> refs = registered.get(new Registration(orgId, TriggerIdentity.normaliseWebhookUrl(url)));
        return refs == null || refs.isEmpty() ? Optional.empty() : Optional.of(new TreeSet<>(refs.values()));
    }

    @Override
    public boolean ordered(String orgId, String triggerType) {
        java.util.Set<String> rules = ordered.get(new OrderedTrigger(orgId, triggerType));
        return rules != null && !rules.isEmpty();
    }

    @Override
    public List<WebhookListing> list(String orgId) {
        return registered.entrySet().stream()
                .filter(entry -> entry.getKey().orgId().equals(orgId) && !entry.getValue().isEmpty())
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Registration::url)))
                .map(entry -> new WebhookListing("rule", "/api/v1/webhooks/" + entry.getKey().url(), TRIGGER_TYPE,
                        null, entry.getKey().url(), List.copyOf(new TreeSet<>(entry.getValue().values()))))
                .toList();
    }

    @Override
    protected void apply(String ruleId, String json) {
        if (ruleId == null) {
            return;
        }
        RuleChange change = null;
        if (json != null) {
            try {
                change = mapper.readValue(json, RuleChange.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("unreadable rule-changes record for " + ruleId + ": "
                        + e.getOriginalMessage(), e);
            }
        }
        apply(ruleId, change);
    }

    synchronized void apply(String ruleId, RuleChange change) {
        RuleChange previous = rules.get(ruleId);
        if (change != null && previous != null && previous.revision() > change.revision()) {
            return;
        }
        if (change == null) {
            rules.remove(ruleId);
        } else {
            rules.put(ruleId, change);
        }
        Registration before = registration(previous);
        if (before != null) {
            registered.computeIfPresent(before, (key, refs) -> {
                refs.remove(ruleId);
                return refs.isEmpty() ? null : refs;
            });
        }
        if (previous != null && previous.orgId() != null && previous.triggerType() != null) {
            ordered.computeIfPresent(new OrderedTrigger(previous.orgId(), previous.triggerType()), (key, ids) -> {
                ids.remove(ruleId);
                return ids.isEmpty() ? null : ids;
            });
        }
        if (change != null && change.enabled() && change.hasOrdering() && change.orgId() != null
                && change.triggerType() != null) {
            ordered.computeIfAbsent(new OrderedTrigger(change.orgId(), change.triggerType()),
                    key -> ConcurrentHashMap.newKeySet()).add(ruleId);
        }
        Registration after = registration(change);
        if (after != null && change.enabled()) {
            registered.computeIfAbsent(after, key -> new ConcurrentSkipListMap<>())
                    .put(ruleId, change.ref() == null ? ruleId : change.ref());
        }
    }

    private static Registration registration(RuleChange change) {
        if (change == null || !TRIGGER_TYPE.equals(change.triggerType()) || change.webhookUrl() == null
                || change.orgId() == null) {
            return null;
        }
        String url = TriggerIdentity.normaliseWebhookUrl(change.webhookUrl());
        return url.isEmpty() ? null : new Registration(change.orgId(), url);
    }
}
