#!/usr/bin/env python3
"""json_summary.py FILE: the parts of argdist's JSON results that do not
vary between runs (no times, addresses or paths), one line per
distribution, for comparison with an expected output."""
import json
import sys


def distribution(d):
    if d is None:
        return "none"
    if not d.get("count"):
        return f"count {d.get('count', 0)}"
    times = "times ok" if 0 < d["first_min_time"] and 0 < d["first_max_time"] else "times missing"
    text = (f"count {d['count']} min {d['min']} max {d['max']} mean {d['mean']} "
            f"stddev {d['stddev']} {times} histogram {d['histogram']}")
    if "top" in d:
        text += f" top {d['top']}"
    if "linear" in d:
        text += f" linear {d['linear']['rows']}"
    return text


def main():
    with open(sys.argv[1]) as f:
        results = json.load(f)
    print(results["tool"], "version", results["argdistFileVersion"])
    for fn in results["functions"]:
        print(f"{fn['name']} ({fn['file']}:{fn['line']}) signature {fn['signature']}: "
              f"calls {fn['calls']} returns {fn['returns']} unwound {fn['unwound']}")
        for arg in fn["args"]:
            print(f"  arg{arg['index']} {arg['name']} ({arg['type']}): {distribution(arg)}")
        if fn["ret"] is not None:
            print(f"  ret ({fn['ret']['type']}): {distribution(fn['ret'])}")
        print(f"  duration: count {fn['duration']['count']}")
        for site in fn["sites"]:
            print(f"  site {site['function']} ({site['file']}:{site['line']}): "
                  f"calls {site['calls']}, args {[a.get('min') for a in site['args']]}"
                  f"..{[a.get('max') for a in site['args']]}")


main()
