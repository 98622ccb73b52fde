#!/usr/bin/env python3
"""findings.py [--kind=K,...] [--top] JSON [SOURCE ...]: the parts of a
taint.out JSON file that a test checks, one line each, sorted: the
sources, then the findings (of the given kinds) whose call stack passes
through one of the SOURCE files (all findings when none is given), placed
at that frame (so that a syscall made by libc's write() shows the line of
the program that called write()).  --top: only findings whose own place
(frame 0) is in a SOURCE file, not in a library it called.  Ranges of sources with named parts (argv, env) are also
given relative to the part they fall in: "argv: [10, 11) = argv[1] [1, 2)"."""
import json
import sys


def part_of(source_parts, a, b):
    for p in source_parts:
        if p["start"] <= a and b <= p["end"] + 1:
            return f" = {p['name']} [{a - p['start']}, {b - p['start']})"
    return ""


def ranges(inputs, parts):
    shown = []
    for i in inputs:
        spans = ", ".join(f"[{a}, {b}){part_of(parts.get(i['source'], []), a, b)}"
                          for a, b in i["ranges"])
        shown.append(f"{i['source']}: {spans}")
    return "; ".join(shown) or "{}"


def frame_in(finding, files, top):
    if not files:
        return finding["stack"][0]
    for frame in finding["stack"][:1] if top else finding["stack"]:
        if frame["file"] in files:
            return frame
    return None


def main():
    args = sys.argv[1:]
    kinds = None
    top = False
    while args and args[0].startswith("--"):
        option = args.pop(0)
        if option.startswith("--kind="):
            kinds = set(option[len("--kind="):].split(","))
        elif option == "--top":
            top = True
    data = json.load(open(args[0]))
    files = set(args[1:])
    parts = {}
    for s in data["sources"]:
        labelled = ", ".join(f"[{a}, {b})" for a, b in s["labelled"])
        print(f"source {s['name']} ({s['kind']}): {labelled}")
        parts[s["name"]] = s.get("parts", [])
    lines = []
    for f in data["sinks"]:
        frame = frame_in(f, files, top)
        if frame is None or (kinds is not None and f["kind"] not in kinds):
            continue
        where = f"{frame['function']} {frame['file']}:{frame.get('line')}"
        key = (frame["file"] or "", frame.get("line") or 0)
        lines.append((key, f"{f['kind']} ({f['detail']}) in {where}, thread {f['thread']}, "
                           f"{f['count']}x: {ranges(f['inputs'], parts)}"))
    for _, line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main()
