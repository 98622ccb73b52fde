"""Reading lifetime.out files in the checkers of regtest/lifetime/.

A site is found by the function that called the allocator (the first
frame of its stack), so that checks do not depend on addresses or lines.
"""
import json
import re
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def function_of(frame):
    """'0x4011D6: big_buffer.isra.0 (lifetimes.c:19)' -> 'big_buffer'
    (without the suffixes of GCC's clones)."""
    m = re.match(r"0x[0-9A-Fa-f]+: (.*?) \(", frame)
    name = m.group(1) if m else frame
    return re.sub(r"\.(isra|constprop|part|cold)\.[0-9]+", "", name)


def sites_of(profile, function, frame=0):
    return [s for s in profile["sites"]
            if len(s["stack"]) > frame and function_of(s["stack"][frame]) == function]


def site(profile, function, frame=0):
    """The site whose stack has `function` at `frame` (0: the caller of the
    allocator)."""
    found = sites_of(profile, function, frame)
    if len(found) != 1:
        sys.exit(f"{len(found)} sites allocated by {function}, expected one")
    return found[0]


def only_object(s):
    if len(s["objects"]) != 1:
        sys.exit(f"site {s['id']}: {len(s['objects'])} objects listed, expected one")
    return s["objects"][0]


class Checks:
    """Prints one line per check: what was checked and 'ok', or the values."""

    def __init__(self):
        self.failed = 0

    def equal(self, what, actual, expected):
        if actual == expected:
            print(f"{what}: ok")
        else:
            self.failed += 1
            print(f"{what}: {actual!r}, expected {expected!r}")

    def true(self, what, condition, detail=""):
        if condition:
            print(f"{what}: ok")
        else:
            self.failed += 1
            print(f"{what}: not so {detail}")

    def between(self, what, actual, low, high):
        self.true(what, low <= actual <= high, f"({actual} not in [{low}, {high}])")
