package io.hookflow.bench.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.rules.action.HttpAction;
import io.hookflow.rules.template.RenderBudget;
import io.hookflow.rules.template.TemplateContext;
import java.time.Duration;
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

/**
 * Requests rendered per second from one rule's parameters: {@code placeholders} takes the fast path (paths only),
 * {@code jinja} the same request with filters and a conditional, {@code jinjaLoop} a body built by a loop over ten
 * commits. The rules throughput benchmark ({@code jinja=1}) shows what the difference costs a whole service.
 *
 * <pre>benchmarks/run jmh TemplateBenchmark -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TemplateBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final RenderBudget.Limits LIMITS = new RenderBudget.Limits(524_288, Duration.ofSeconds(1), 100_000);

    @Param({"placeholders", "jinja", "jinjaLoop"})
    public String rule;

    private JsonNode parameters;
    private TemplateContext trigger;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        parameters = JSON.readTree(switch (rule) {
            case "placeholders" -> """
                    {"url": "https://ci.example.com/build/{{ trigger.repo }}",
                     "body": {"branch": "{{ trigger.branch }}", "n": "{{ trigger.n }}"}}""";
            case "jinja" -> """
                    {"url": "https://ci.example.com/build/{{ trigger.repo | lower }}",
                     "body": {"branch": "{% if trigger.branch %}{{ trigger.branch | upper }}{% else %}none{% endif %}",
                              "n": "{{ trigger.n | int }}"}}""";
            default -> """
                    {"url": "https://ci.example.com/build/{{ trigger.repo | lower }}",
                     "body": {"summary": "{% for c in trigger.commits %}{{ c.id[:7] }} {{ c.message | upper }}{% if not loop.last %}; {% endif %}{% endfor %}",
                              "authors": "{{ trigger.commits | map(attribute='author') | unique | list }}"}}""";
        });
        StringBuilder commits = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            commits.append(i == 0 ? "" : ",").append("{\"id\": \"c0ffee%04d\", \"message\": \"change %d\", \"author\": \"dev%d\"}"
                    .formatted(i, i, i % 3));
        }
        trigger = TemplateContext.of(JSON.readTree("{\"repo\": \"Repo-7\", \"branch\": \"main\", \"n\": 42, \"commits\": "
                + commits + "]}"));
    }

    @Benchmark
    public OutboundRequest render() {
        return HttpAction.render(parameters, trigger, LIMITS.start());
    }
}
