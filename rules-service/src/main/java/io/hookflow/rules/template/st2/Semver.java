package io.hookflow.rules.template.st2;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version as python-semver 3 reads, compares and bumps it (StackStorm's version filters). */
record Semver(long major, long minor, long patch, String prerelease, String build) implements Comparable<Semver> {

    private static final String IDENTIFIER = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    static Semver parse(String text) {
        Matcher matcher = SEMVER.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text + " is not valid SemVer string");
        }
        try {
            return new Semver(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                    Long.parseLong(matcher.group(3)), matcher.group(4), matcher.group(5));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + " has a part too large");
        }
    }

    /** Precedence as SemVer defines it: numbers, then a pre-release sorts before the release; build is ignored. */
    @Override
    public int compareTo(Semver other) {
        int release = Long.compare(major, other.major);
        if (release == 0) {
            release = Long.compare(minor, other.minor);
        }
        if (release == 0) {
            release = Long.compare(patch, other.patch);
        }
        if (release != 0) {
            return Integer.signum(release);
        }
        if (prerelease == null || other.prerelease == null) {
            return prerelease == null ? (other.prerelease == null ? 0 : 1) : -1;
        }
        String[] mine = prerelease.split("\\.");
        String[] theirs = other.prerelease.split("\\.");
        for (int i = 0; i < Math.min(mine.length, theirs.length); i++) {
            int part = comparePart(mine[i], theirs[i]);
            if (part != 0) {
                return part;
            }
        }
        return Integer.signum(Integer.compare(mine.length, theirs.length));
    }

    private static int comparePart(String a, String b) {
        boolean numericA = a.chars().allMatch(Character::isDigit);
        boolean numericB = b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            return Integer.signum(new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)));
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    /** python-semver's {@code match}: {@code >=1.0.0}, {@code <2.0.0}, {@code ==1.2.3}, {@code !=...}, or a bare version. */
    boolean matches(String expression) {
        String operator;
        String version;
        if (expression.startsWith(">=") || expression.startsWith("<=") || expression.startsWith("==")
                || expression.startsWith("!=")) {
            operator = expression.substring(0, 2);
            version = expression.substring(2);
        } else if (expression.startsWith(">") || expression.startsWith("<")) {
            operator = expression.substring(0, 1);
            version = expression.substring(1);
        } else if (!expression.isEmpty() && Character.isDigit(expression.charAt(0))) {
            operator = "==";
            version = expression;
        } else {
            throw new IllegalArgumentException("match_expr parameter should be in format <op><ver>, where <op> is one"
                    + " of ['<', '>', '==', '<=', '>=', '!=']. You provided: '" + expression + "'");
        }
        int comparison = compareTo(parse(version));
        return switch (operator) {
            case ">" -> comparison > 0;
            case "<" -> comparison < 0;
            case "==" -> comparison == 0;
            case "!=" -> comparison != 0;
            case ">=" -> comparison >= 0;
            default -> comparison <= 0;
        };
    }

    Semver bumpMajor() {
        return new Semver(major + 1, 0, 0, null, null);
    }

    Semver bumpMinor() {
        return new Semver(major, minor + 1, 0, null, null);
    }

    Semver bumpPatch() {
        return new Semver(major, minor, patch + 1, null, null);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (prerelease == null ? "" : "-" + prerelease)
                + (build == null ? "" : "+" + build);
    }
}
