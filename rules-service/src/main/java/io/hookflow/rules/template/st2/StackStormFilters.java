package io.hookflow.rules.template.st2;

import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * StackStorm's own Jinja filters (st2common/util/jinja.py {@code get_filters}) with StackStorm's semantics, plus
 * Jinja's {@code urlencode}. Each is a Jinjava filter registered by name in place of any Jinjava filter of that name.
 */
public final class StackStormFilters {

    /** What {@code use_none} gives for None; a body field rendered to exactly this becomes JSON null. */
    public static final String NONE_MAGIC_VALUE = DataFilters.NONE_MAGIC_VALUE;

    private static final List<Filter> ALL;

    static {
        List<Filter> all = new ArrayList<>();
        all.addAll(DataFilters.all());
        all.addAll(RegexFilters.all());
        all.addAll(VersionFilters.all());
        all.addAll(TextFilters.all());
        ALL = List.copyOf(all);
    }

    private StackStormFilters() {
    }

    public static List<Filter> all() {
        return ALL;
    }
}
