package io.hookflow.rules.template.st2;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** StackStorm's version filters (st2common/expressions/functions/version.py), python-semver 3 semantics. */
final class VersionFilters {

    private VersionFilters() {
    }

    static List<St2Filter> all() {
        return List.of(
                compare("version_compare", (version, other) -> version.compareTo(Semver.parse(other))),
                compare("version_more_than", (version, other) -> version.compareTo(Semver.parse(other)) == 1),
                compare("version_less_than", (version, other) -> version.compareTo(Semver.parse(other)) == -1),
                compare("version_equal", (version, other) -> version.compareTo(Semver.parse(other)) == 0),
                compare("version_match", Semver::matches),
                change("version_bump_major", version -> version.bumpMajor().toString()),
                change("version_bump_minor", version -> version.bumpMinor().toString()),
                change("version_bump_patch", version -> version.bumpPatch().toString()),
                change("version_strip_patch", version -> version.major() + "." + version.minor()));
    }

    private static St2Filter compare(String name, BiFunction<Semver, String, Object> comparison) {
        return new St2Filter(name, "pattern") {
            @Override
            Object apply(Object value, Args args, long maxChars) {
                return comparison.apply(Semver.parse(text(value)), text(args.required("pattern")));
            }
        };
    }

    private static St2Filter change(String name, Function<Semver, String> change) {
        return new St2Filter(name) {
            @Override
            Object apply(Object value, Args args, long maxChars) {
                return change.apply(Semver.parse(text(value)));
            }
        };
    }
}
