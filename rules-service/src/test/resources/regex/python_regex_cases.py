#!/usr/bin/env python3
"""Writes python_regex_cases.json: what Python's re answers for each case, as StackStorm's operators ask it.

PythonRegexTest replays every case through the Java translation and expects the same answers. Regenerate with
Python 3.11 (the version whose parser PythonRegex follows):  python3 python_regex_cases.py > python_regex_cases.json
"""
import json
import re
import sys

# (operator, pattern, text). Operators as in st2common/operators.py:
#   regex: re.search(p, v); iregex: re.search(p, v, re.IGNORECASE); matchregex: re.match(p, v, re.DOTALL)
CASES = [
    # named groups and named back references
    ("regex", r"(?P<user>[a-z]+)@(?P<host>example\.com)", "mail ann@example.com now"),
    ("regex", r"(?P<first_name>\w+) (?P=first_name)", "bye bye"),
    ("regex", r"(?P<first_name>\w+) (?P=first_name)", "bye hello"),
    ("regex", r"(?P<a>x)(?P<b>y)(?P=b)(?P=a)", "xyyx"),
    ("regex", r"(?P<a>x)(?P=a)0", "xx0"),
    ("regex", r"(?P<a>x)(?P<a>y)", "xy"),
    ("regex", r"(?P=missing)", "x"),
    ("regex", r"(?P<a>x(?P=a))", "xx"),
    ("regex", r"(?P<1a>x)", "x"),
    ("regex", r"(?P<>x)", "x"),
    ("regex", r"(?P>a)", "x"),
    ("regex", r"(?P<a>x", "x"),
    ("regex", r"(?<name>x)", "x"),
    ("regex", r"(?<=a)b", "ab"),
    ("regex", r"(?<!a)b", "ab"),
    # numbered back references and octal escapes
    ("regex", r"(a)(b)\2\1", "abba"),
    ("regex", r"(a)\10", "aa0"),
    ("regex", r"(a)\2", "aa"),
    ("regex", r"\101", "A"),
    ("regex", r"\0", "\x00"),
    ("regex", r"\012", "\n"),
    ("regex", r"[\1]", "\x01"),
    ("regex", r"[\8]", "8"),
    ("regex", r"\8", "8"),
    ("regex", r"\477", "x"),
    # anchors: \Z is the very end in Python, $ also before a final newline
    ("regex", r"abc\Z", "abc\n"),
    ("regex", r"abc\Z", "abc"),
    ("regex", r"abc$", "abc\n"),
    ("regex", r"\Aabc", "abc"),
    ("regex", r"abc$", "abc\r\n"),
    ("regex", r"(?m)^b$", "a\nb\nc"),
    ("regex", r"(?m)^b$", "a\rb\rc"),
    ("regex", r"a.c", "a\u2028c"),
    ("regex", r"a.c", "a\rc"),
    ("regex", r"a.c", "a\nc"),
    ("matchregex", r"a.c", "a\nc"),
    ("matchregex", r"b", "ab"),
    ("regex", r"\z", "x"),
    # escapes Python knows, and those it refuses
    ("regex", r"\v", "\x0b"),
    ("regex", r"\v", "\n"),
    ("regex", r"\a", "\x07"),
    ("regex", r"[\b]", "\x08"),
    ("regex", r"\bword\b", "a word here"),
    ("regex", r"\x41\u00e9\U0001F600", "A\u00e9\U0001F600"),
    ("regex", r"\x4", "x"),
    ("regex", r"\N{EM DASH}", "a\u2014b"),
    ("regex", r"\N{NO SUCH CHARACTER NAME}", "x"),
    ("regex", r"\p{L}", "a"),
    ("regex", r"\Qa.b\E", "a.b"),
    ("regex", r"\h", " "),
    ("regex", r"\e", "\x1b"),
    ("regex", r"\.\-\#\ ", ".-# "),
    ("regex", r"[\A]", "A"),
    # Unicode classes, as Python 3 reads str patterns
    ("regex", r"^\d+$", "\u0663\u0664"),
    ("regex", r"^\w+$", "na\u00efve"),
    ("regex", r"^\w+$", "\u00b2"),
    ("regex", r"\s", "\u00a0"),
    ("regex", r"\s", "\x1c"),
    ("regex", r"\bcaf\u00e9\b", "un caf\u00e9 noir"),
    ("regex", r"(?a)^\w+$", "na\u00efve"),
    ("regex", r"(?a)\d", "\u0663"),
    ("iregex", r"stra\u00dfe", "STRA\u00dfE"),
    ("iregex", r"\u00e9t\u00e9", "\u00c9T\u00c9"),
    ("iregex", r"(?a)\u00e9", "\u00c9"),
    ("regex", r"(?i)\u00e9", "\u00c9"),
    # flags
    ("regex", r"(?i)abc", "xABCx"),
    ("regex", r"(?s)a.c", "a\nc"),
    ("regex", r"(?i:a)b", "Ab"),
    ("regex", r"(?i:a)b", "AB"),
    ("regex", r"(?-i:a)b", "ab"),
    ("iregex", r"(?-i:a)b", "Ab"),
    ("regex", r"(?u)\w", "\u00e9"),
    ("regex", r"(?L)a", "a"),
    ("regex", r"a(?i)b", "ab"),
    ("regex", r"(?i)(?m)^a", "x\nA"),
    ("regex", r"(?#a comment)(?i)abc", "ABC"),
    ("regex", r"(?q)a", "a"),
    ("regex", r"(?-u:a)", "a"),
    # verbose mode
    ("regex", "(?x) a b # a comment\n c", "abc"),
    ("regex", "(?x) a [ ] b", "a b"),
    ("regex", "(?x) a \\  b", "a b"),
    ("regex", "(?x) a [#] b", "a#b"),
    ("regex", "(?x:a b) c", "ab c"),
    ("regex", "(?x:a b) c", "abc"),
    ("regex", "(?x) (?P<n> a ) (?P=n)", "aa"),
    ("regex", "(?x) a{1, 2}", "a{1,2}"),
    ("regex", "(?x) a # ( [ unbalanced in a comment\n b", "ab"),
    # quantifiers and braces
    ("regex", r"^a{,2}$", "aa"),
    ("regex", r"^a{,2}$", "aaa"),
    ("regex", r"^a{2,}$", "aaa"),
    ("regex", r"^a{,}$", "aaaa"),
    ("regex", r"a{}", "a{}"),
    ("regex", r"a{x}", "a{x}"),
    ("regex", r"a{1,2", "a{1,2"),
    ("regex", r"x{", "x{"),
    ("regex", r"a}", "a}"),
    ("regex", r"a]", "a]"),
    ("regex", r"^a{2}+$", "aa"),
    ("regex", r"(?>a+)b", "aab"),
    ("regex", r"a{3,2}", "a"),
    ("regex", r"*a", "a"),
    ("regex", r"a**", "a"),
    # character classes: Python has no nesting, intersection or POSIX names
    ("regex", r"[]a]", "]"),
    ("regex", r"[^]a]", "b"),
    ("regex", r"^[a[b]+$", "a[b"),
    ("regex", r"^[a&&b]+$", "a&b"),
    ("regex", r"[[:alpha:]]", ":"),
    ("regex", r"[a-c-e]", "-"),
    ("regex", r"[\x00-\x1f]", "\x1f"),
    ("regex", r"[\d-]", "-"),
    ("regex", r"[ #]", "#"),
    ("regex", r"[abc", "a"),
    # groups Java cannot express or Python refuses
    ("regex", r"(a)?(?(1)b|c)", "ab"),
    ("regex", r"(a", "a"),
    ("regex", r"a)", "a"),
    ("regex", r"(?#unterminated", "a"),
    # ordinary patterns of StackStorm rules
    ("regex", r"^refs/heads/(main|release/.*)$", "refs/heads/release/1.2"),
    ("regex", r"^refs/heads/(main|release/.*)$", "refs/heads/feature/x"),
    ("matchregex", r"(?P<kind>bug|feature)/(?P<id>\d+)", "feature/42-new-ui"),
    ("iregex", r"^(?P<sev>critical|major):", "CRITICAL: disk full"),
    ("regex", r"v(\d+)\.(\d+)\.(\d+)", "release v1.22.3"),
]


def answer(operator, pattern, text):
    try:
        if operator == "regex":
            return {"matched": re.search(pattern, text) is not None}
        if operator == "iregex":
            return {"matched": re.search(pattern, text, re.IGNORECASE) is not None}
        return {"matched": re.match(pattern, text, re.DOTALL) is not None}
    except re.error as e:
        return {"error": e.msg}


cases = [dict(operator=o, pattern=p, text=t, **answer(o, p, t)) for o, p, t in CASES]
json.dump({"python": sys.version.split()[0], "cases": cases}, sys.stdout, indent=1, ensure_ascii=True)
print()
