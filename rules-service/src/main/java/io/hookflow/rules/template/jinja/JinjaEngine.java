package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import io.hookflow.rules.template.st2.StackStormFilters;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The one Jinjava set up for rules: StackStorm's environment (strict undefined values, {@code trim_blocks},
 * {@code lstrip_blocks}, its filters) inside a sandbox. What templates may use is allow-listed: Jinja's own filters
 * and tests, {@code range} and {@code namespace}, every tag but those that load other templates; everything Jinjava
 * adds beyond Jinja (dates, randomness, {@code render}, ip helpers, ...) is disabled.
 */
final class JinjaEngine {

    /** Jinja's built-in filters as Jinjava names them, plus Jinjava's {@code split}, {@code bool} and base64. */
    static final Set<String> JINJA_FILTERS = Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d",
            "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby",
            "indent", "int", "join", "last", "length", "list", "lower", "map", "reject", "rejectattr", "replace",
            "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title",
            "tojson", "trim", "truncate", "unique", "upper", "urlize", "wordcount", "wordwrap", "xmlattr", "split", "bool",
            "b64encode", "b64decode");
    static final Set<String> FUNCTIONS = Set.of("range", "namespace");
    /** Tags that read other templates: a rule's template is self-contained. */
    static final Set<String> LOADING_TAGS = Set.of("include", "import", "from", "extends", "block", "endblock");
    /** Collections built inside a template (literals, filters) are bounded too. */
    static final int MAX_COLLECTION_SIZE = 100_000;

    static final JinjaEngine INSTANCE = new JinjaEngine();

    private final Jinjava jinjava;
    private final JinjavaConfig baseConfig;
    private final Map<Context.Library, Set<String>> disabled;
    private final Map<Long, JinjavaConfig> configs = new ConcurrentHashMap<>();
    /** Each thread's root context: Jinjava pushes what a rendering resolved up to the root, so roots are not shared. */
    private final ThreadLocal<Context> roots;
    /** Each thread's interpreters, by configuration (one per output limit; in service, one). */
    private final ThreadLocal<Map<JinjavaConfig, SandboxInterpreter>> interpreters =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private JinjaEngine() {
        JinjavaConfig bootstrap = config(0, Map.of(), false);
        Jinjava probe = new Jinjava(bootstrap);
        disabled = disabledLibraries(probe.getGlobalContext());
        baseConfig = config(0, disabled, false);
        jinjava = new Jinjava(baseConfig);
        jinjava.setResourceLocator((String name, Charset encoding, JinjavaInterpreter interpreter) -> {
            throw new ResourceNotFoundException("templates cannot load other templates");
        });
        register(jinjava.getGlobalContext());
        roots = ThreadLocal.withInitial(this::newRoot);
    }

    private static Map<Context.Library, Set<String>> disabledLibraries(Context global) {
        Set<String> ours = StackStormFilters.all().stream().map(Filter::getName)
                .collect(Collectors.toCollection(java.util.HashSet::new));
        ours.add(DecryptKvFilter.NAME);
        return Map.of(
                Context.Library.FILTER, global.getAllFilters().stream().map(Filter::getName)
                        .filter(name -> !JINJA_FILTERS.contains(name) && !ours.contains(name)).collect(Collectors.toSet()),
                // Functions are disabled by their full name, "namespace:name" (":today" for the global ones).
                Context.Library.FUNCTION, global.getAllFunctions().stream()
                        .filter(function -> !function.getNamespace().isEmpty()
                                || !FUNCTIONS.contains(function.getLocalName()))
                        .map(function -> function.getNamespace() + ":" + function.getLocalName())
                        .collect(Collectors.toSet()),
                Context.Library.TAG, global.getAllTags().stream().map(Tag::getName)
                        .filter(LOADING_TAGS::contains).collect(Collectors.toSet()));
    }

    private static void register(Context context) {
        StackStormFilters.all().forEach(context::registerFilter);
        context.registerFilter(new DecryptKvFilter());
        BoundedFilter.ESTIMATES.forEach((name, estimate) ->
                context.registerFilter(new BoundedFilter(context.getFilter(name), estimate)));
        context.registerTag(new CountedForTag());
    }

    /**
     * @param filterChains call filters directly when rendering (no reflection per call); parsing for the checks at save
     *                     keeps filters as named calls, so each filter name can be checked
     */
    private static JinjavaConfig config(long maxChars, Map<Context.Library, Set<String>> disabled, boolean filterChains) {
        return JinjavaConfig.newBuilder()
                .withEnableFilterChainOptimization(filterChains)
                .withFailOnUnknownTokens(true)
                .withNestedInterpretationEnabled(false)
                .withTrimBlocks(true)
                // lstrip_blocks as Jinja2 does it is applied to the source (JinjaSource).
                .withLstripBlocks(false)
                .withMaxOutputSize(maxChars)
                .withMaxStringLength(maxChars)
                .withMaxListSize(MAX_COLLECTION_SIZE)
                .withMaxMapSize(MAX_COLLECTION_SIZE)
                .withElResolver(new SandboxResolver())
                .withExecutionMode(SandboxOutput.INSTANCE)
                .withDisabled(disabled)
                .withProcessors(JinjavaProcessors.newBuilder()
                        .withNodePreProcessor((node, interpreter) -> SandboxInterpreter.limitsOf(interpreter).checkTime())
                        .build())
                .build();
    }

    /** A root context like Jinjava's own per-rendering copy of the global one, made once per thread. */
    private Context newRoot() {
        Context root = new Context(null, Map.of(), disabled);
        Context global = jinjava.getGlobalContext();
        global.getAllExpTests().forEach(root::registerExpTest);
        global.getAllFilters().forEach(root::registerFilter);
        global.getAllFunctions().forEach(root::registerFunction);
        global.getAllTags().forEach(root::registerTag);
        return root;
    }

    Jinjava jinjava() {
        return jinjava;
    }

    /** An interpreter for parsing only: no bindings, no limits needed. */
    JinjavaInterpreter parser() {
        return new SandboxInterpreter(jinjava, new Context(roots.get(), Map.of(), disabled), baseConfig,
                new RenderLimits(0, java.time.Duration.ZERO, 0, () -> 0), false);
    }

    /**
     * This thread's interpreter for one rendering, prepared with its bindings and limits; give it back with
     * {@link #afterRendering}.
     */
    SandboxInterpreter interpreter(Map<String, Object> bindings, RenderLimits limits, boolean markValues) {
        if (configs.size() > 16) {
            // One limit in service; tests use a few more. Bounded, never cleared from inside computeIfAbsent.
            configs.clear();
        }
        JinjavaConfig config = configs.computeIfAbsent(limits.maxChars(), max -> config(max, disabled, true));
        Map<JinjavaConfig, SandboxInterpreter> mine = interpreters.get();
        SandboxInterpreter interpreter = mine.get(config);
        if (interpreter == null || interpreter.busy()) {
            interpreter = new SandboxInterpreter(jinjava, new Context(roots.get(), null, disabled), config, limits,
                    markValues);
            if (mine.size() > 4) {
                mine.clear();
            }
            mine.putIfAbsent(config, interpreter);
        }
        interpreter.prepare(bindings, limits, markValues);
        return interpreter;
    }

    /** The filter templates may use under this name, or null (unknown or disabled). */
    Filter filter(String name) {
        return disabled.get(Context.Library.FILTER).contains(name) ? null : roots.get().getFilter(name);
    }

    /** The test ({@code is name}) templates may use, or null. */
    com.hubspot.jinjava.lib.exptest.ExpTest test(String name) {
        return roots.get().getExpTest(name);
    }

    /** Gives the interpreter back and clears what the rendering pushed up to this thread's root. */
    void afterRendering(SandboxInterpreter interpreter) {
        interpreter.release();
        roots.get().reset();
    }

    /** Clears what a parse pushed up to this thread's root. */
    void afterParsing() {
        roots.get().reset();
    }
}
