#!/usr/bin/env python3
"""gzip_header.py JSON: what a taint run of `gzip -d` on a tainted archive
found about the gzip header: whether some conditional branch depends on
the magic bytes [0, 2), the method byte [2, 3) and the flags byte [3, 4)
alone, and the source that was labelled."""
import json
import sys

data = json.load(open(sys.argv[1]))
for s in data["sources"]:
    print(f"source {s['name']} ({s['kind']}): labelled {s['labelled'][0][0]} onwards")


def within(finding, start, end):
    inputs = finding["inputs"]
    return inputs and all(a >= start and b <= end for i in inputs for a, b in i["ranges"])


branches = [f for f in data["sinks"] if f["kind"] == "branch"]
for name, start, end in (("magic bytes", 0, 2), ("method byte", 2, 3), ("flags byte", 3, 4)):
    found = any(within(f, start, end) for f in branches)
    print(f"a branch on the {name} [{start}, {end}): {'yes' if found else 'no'}")
print(f"branches on input data: {'yes' if len(branches) > 3 else 'no'}")
