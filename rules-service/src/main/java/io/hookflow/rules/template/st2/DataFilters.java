package io.hookflow.rules.template.st2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/** StackStorm's data filters (st2common/expressions/functions/data.py), with Python's output. */
final class DataFilters {

    /** StackStorm's marker for "this parameter is None" ({@code use_none}). */
    static final String NONE_MAGIC_VALUE = "%*****__%NONE%__*****%";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration JSONPATH = Configuration.defaultConfiguration()
            .addOptions(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS);

    private DataFilters() {
    }

    static List<St2Filter> all() {
        return List.of(
                new St2Filter("from_json_string") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        try {
                            return JSON.readValue(text(value), Object.class);
                        } catch (JsonProcessingException e) {
                            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
                        }
                    }
                },
                new St2Filter("from_yaml_string") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        try {
                            return yamlLoader(maxChars).load(text(value));
                        } catch (YAMLException e) {
                            throw new IllegalArgumentException("not valid YAML: " + e.getMessage());
                        }
                    }
                },
                new St2Filter("to_json_string", "indent", "sort_keys", "separators") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        Object separators = args.get("separators", List.of(",", ": "));
                        if (!(separators instanceof List<?> pair) || pair.size() != 2) {
                            throw new IllegalArgumentException("separators must be a pair such as (',', ': ')");
                        }
                        return new PyJson(args.integer("indent", null), args.flag("sort_keys", false),
                                text(pair.get(0)), text(pair.get(1)), maxChars).write(value);
                    }
                },
                new St2Filter("to_yaml_string", "indent", "allow_unicode") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        DumperOptions options = new DumperOptions();
                        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
                        options.setAllowUnicode(args.flag("allow_unicode", true));
                        Integer indent = args.integer("indent", null);
                        if (indent != null) {
                            options.setIndent(indent);
                        }
                        String yaml = new Yaml(new Representer(options), options).dump(plain(value, true));
                        if (yaml.length() > maxChars) {
                            throw new IllegalArgumentException("the YAML text exceeds " + maxChars + " characters");
                        }
                        return yaml;
                    }
                },
                new St2Filter("json_escape") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        // json.dumps(value).strip('"'): Python strips every quote at either end.
                        String json = PyJson.dumps(value, maxChars);
                        int start = 0;
                        int end = json.length();
                        while (start < end && json.charAt(start) == '"') {
                            start++;
                        }
                        while (end > start && json.charAt(end - 1) == '"') {
                            end--;
                        }
                        return json.substring(start, end);
                    }
                },
                new St2Filter("jsonpath_query", "query") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        String query = text(args.required("query"));
                        List<?> matches;
                        try {
                            matches = JsonPath.using(JSONPATH).parse(plain(value, false)).read(query.startsWith("$")
                                    ? query : "$." + query);
                        } catch (InvalidPathException e) {
                            throw new IllegalArgumentException("invalid JSONPath '" + query + "': " + e.getMessage());
                        }
                        // StackStorm answers None when nothing matches.
                        return matches == null || matches.isEmpty() ? null : new ArrayList<>(matches);
                    }
                },
                new St2Filter("to_complex") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        return PyJson.dumps(value, maxChars);
                    }
                },
                new St2Filter("use_none") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        return value == null ? NONE_MAGIC_VALUE : value;
                    }
                });
    }

    private static Yaml yamlLoader(long maxChars) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(64);
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxChars));
        return new Yaml(new SafeConstructor(options));
    }

    /**
     * A template value as plain maps, lists and scalars, for libraries that know nothing of templates; maps sorted by
     * key when asked (PyYAML sorts them by default).
     */
    static Object plain(Object value, boolean sortKeys) {
        if (value instanceof PyMap map) {
            return plain(map.toMap(), sortKeys);
        }
        if (value instanceof PyList list) {
            return plain(list.toList(), sortKeys);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = sortKeys ? new TreeMap<>() : new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(PyText.str(key), plain(item, sortKeys)));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            List<Object> copy = new ArrayList<>(items.size());
            items.forEach(item -> copy.add(plain(item, sortKeys)));
            return copy;
        }
        if (value instanceof Map.Entry<?, ?> pair) {
            return new ArrayList<>(java.util.Arrays.asList(plain(pair.getKey(), sortKeys), plain(pair.getValue(), sortKeys)));
        }
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return value instanceof SafeString ? value.toString() : PyText.str(value);
    }
}
