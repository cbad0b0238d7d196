package io.hookflow.rules.enforcement;

import io.hookflow.common.error.ApiError;
import io.hookflow.rules.criteria.Criteria;
import io.hookflow.rules.criteria.OperatorRegistry;
import io.hookflow.rules.rule.Rule;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Criteria compiled once per rule version (regexes included), not once per event. */
@ApplicationScoped
public class CompiledRules {

    private record Entry(int version, Criteria criteria) {
    }

    private final Map<UUID, Entry> cache = new ConcurrentHashMap<>();

    public Criteria criteriaOf(Rule rule) {
        Entry entry = cache.get(rule.id);
        if (entry == null || entry.version() != rule.version) {
            List<ApiError.Detail> problems = new ArrayList<>();
            // Stored rules were validated on save; a problem here would mean the operator set shrank since.
            entry = new Entry(rule.version, Criteria.compile(rule.criteria, OperatorRegistry.standard(), "criteria", problems));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("rule " + rule.ref() + " no longer compiles: " + problems);
            }
            cache.put(rule.id, entry);
        }
        return entry.criteria();
    }
}
