package io.hookflow.bench.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.rules.index.CompiledRule;
import io.hookflow.rules.index.RuleIndex;
import io.hookflow.rules.rule.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Trigger instances matched per second against 1, 100 and 10,000 rules of one trigger type, each rule listening for
 * one repository ({@code trigger.body.repository.name} equals ...) and a branch regex, as CI notification rules do.
 * {@code indexed}: through the rule index (what rules-service does); {@code everyRule}: every rule's criteria
 * evaluated, the cost without the index. {@code keys=jsonpath} adds a JSONPath criterion as StackStorm users write them
 * ({@code trigger.body.commits[*].author.name}, first match) to every rule; {@code keys=path} is the rules as before.
 *
 * <pre>benchmarks/run jmh CriteriaBenchmark -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CriteriaBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The trigger's identity travels with each event; the index keys on it, so its cost is part of every lookup. */
    static final JsonNode WEBHOOK_PARAMETERS = JSON.createObjectNode().put("url", "github");

    @Param({"1", "100", "10000"})
    public int rules;

    @Param({"path", "jsonpath"})
    public String keys;

    private RuleIndex.Snapshot snapshot;
    private List<CompiledRule> all;
    private JsonNode[] events;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<Rule> stored = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            stored.add(rule(i, keys.equals("jsonpath")));
        }
        snapshot = RuleIndex.Snapshot.build(1, stored, null, null);
        all = stored.stream().map(rule -> CompiledRule.of(rule, null)).toList();
        // Events for repositories that have a rule and some that have none, pushed to main or a feature branch.
        events = new JsonNode[1024];
        for (int i = 0; i < events.length; i++) {
            String repository = "repo-" + (i * 7919 % (rules * 2));
            String branch = i % 3 == 0 ? "feature/x" : "main";
            events[i] = JSON.readTree("""
                    {"body": {"repository": {"name": "%s"}, "ref": "refs/heads/%s",
                              "commits": [{"id": "c%d", "author": {"name": "%s"}}, {"id": "d%d", "author": {"name": "ann"}}]},
                     "headers": {"x-github-event": "push"}}""".formatted(repository, branch, i, i % 2 == 0 ? "ann" : "bob", i));
        }
    }

    static Rule rule(int i, boolean jsonPathKey) throws Exception {
        Rule rule = new Rule();
        rule.id = UUID.randomUUID();
        rule.orgId = "bench";
        rule.pack = "bench";
        rule.name = "rule_" + i;
        rule.enabled = true;
        rule.triggerType = "core.st2.webhook";
        rule.triggerParameters = JSON.readTree("{\"url\": \"github\"}");
        rule.criteria = JSON.readTree("""
                {"trigger.headers.x-github-event": {"type": "iequals", "pattern": "push"},
                 "trigger.body.repository.name": {"type": "equals", "pattern": "repo-%d"},
                 "trigger.body.ref": {"type": "regex", "pattern": "^refs/heads/(main|release/.*)$"}%s}"""
                .formatted(i, jsonPathKey
                        ? ", \"trigger.body.commits[*].author.name\": {\"type\": \"equals\", \"pattern\": \"ann\"}" : ""));
        rule.actionRef = "core.http";
        rule.actionParameters = JSON.readTree("{\"url\": \"https://ci.example.com/build\"}");
        rule.updatedAt = Instant.now();
        return rule;
    }

    @Benchmark
    public void indexed(Blackhole out) {
        JsonNode event = events[next++ & 1023];
        for (CompiledRule rule : snapshot.candidates("bench", "core.st2.webhook", WEBHOOK_PARAMETERS, event)) {
            out.consume(rule.matches(event));
        }
    }

    @Benchmark
    public void everyRule(Blackhole out) {
        JsonNode event = events[next++ & 1023];
        for (CompiledRule rule : all) {
            out.consume(rule.matches(event));
        }
    }
}
