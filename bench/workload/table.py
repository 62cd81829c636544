#!/usr/bin/python3
"""Print run.sh's timings as a table: the median of the runs per command, entities/s end to
end, the ratio to the baseline of the same size (in the same sitting), peak RSS, and the
baseline's own parse/eval split, and sanx's evaluation alone (the rules with the input in
memory, as sanx --log-level info reports it). CPU s is user + system time of all threads: on a
shared, loaded machine the wall clock measures the queue as much as the program.
    table.py TIMES_TSV DATA_DIR OUT_DIR [EVALS_TSV]"""
import json
import os
import statistics
import sys


def main():
    times, data, out = sys.argv[1:4]
    runs = {}
    order = []
    for line in open(times):
        size, label, wall, rss, user, sys_ = line.rstrip("\n").split("\t")
        if (size, label) not in runs:
            order.append((size, label))
        runs.setdefault((size, label), []).append((float(wall), int(rss), float(user), float(sys_)))
    print("| size | command | input MB | wall s | entities/s | vs baseline | CPU s | "
          "entities/CPU s | vs baseline (CPU) | peak RSS MB | RSS / input |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, label in order:
        if label == "ttfr":
            continue
        n = json.loads(open(os.path.join(out, "baseline-%s.txt" % size)).read()
                       .split("RESULT ", 1)[1])["n"]
        name = "entities.jsonl" if label == "baseline" else "sanx.jsonl"
        mb = os.path.getsize(os.path.join(data, size, name)) / 1e6
        wall = statistics.median(r[0] for r in runs[size, label])
        rss = statistics.median(r[1] for r in runs[size, label]) / 1024
        cpu = statistics.median(r[2] + r[3] for r in runs[size, label])
        base = statistics.median(r[0] for r in runs[size, "baseline"])
        base_cpu = max(0.01, statistics.median(r[2] + r[3] for r in runs[size, "baseline"]))
        cpu = max(0.01, cpu)  # /usr/bin/time counts in hundredths
        print("| %s | %s | %.1f | %.2f | %.0f | %.3fx | %.2f | %.0f | %.3fx | %.0f | %.2f |" % (
            size, label, mb, wall, n / wall, base / wall, cpu, n / cpu, base_cpu / cpu, rss,
            rss / mb))
    print()
    for size, label in order:
        if label == "ttfr":
            print("%s: `sanx check --jobs 2 - < sanx.jsonl`, first result after %.2f s"
                  % (size, runs[size, label][0][0]))
    for size in sorted({s for s, _ in order}):
        r = json.loads(open(os.path.join(out, "baseline-%s.txt" % size)).read()
                       .split("RESULT ", 1)[1])
        print("%s baseline (last run): parse %.3f s, eval %.4f s = %.2fM entities/s eval"
              % (size, r["parse_s"], r["eval_s"], r["eval_eps"] / 1e6))
    if len(sys.argv) > 4 and os.path.exists(sys.argv[4]):
        evals = {}
        for line in open(sys.argv[4]):
            size, label, ms = line.rstrip("\n").split("\t")
            evals.setdefault((size, label), []).append(float(ms) / 1000)
        for (size, label), secs in evals.items():
            n = json.loads(open(os.path.join(out, "baseline-%s.txt" % size)).read()
                           .split("RESULT ", 1)[1])
            s = statistics.median(secs)
            print("%s %s: evaluation alone %.3f s = %.2fM entities/s (%.3fx the baseline's eval)"
                  % (size, label, s, n["n"] / s / 1e6, n["eval_s"] / s))
        print("(at --jobs 2 the evaluation overlaps the writing, which this leaves out)")
    print("(input: the baseline reads the generator's entities.jsonl, sanx the converted "
          "sanx.jsonl and lists.jsonl)")


if __name__ == "__main__":
    main()
