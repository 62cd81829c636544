#!/usr/bin/python3
"""Count `sanx check --format jsonl` results the way ../shared/bench/WORKLOAD.md does, and
compare them with the hand-written baseline's `RESULT {json}` line.

    tally.py SANX_JSONL [BASELINE_OUTPUT]

Per class (a company's class is its sanx verdict, except that a clear company with a finding
a licence exempted is `exempt`), per rule (companies on which the rule fired, exempted or
not) and expl_chars (the total length of the findings' messages). Exit 1 when any count
differs from the baseline's, when a result has errors, indeterminate rules or `could_be`,
when a finding comes from outside the bench pack, or when sanx's own ownership graph blocks a
different set of companies (or with another share) than the generator's 50 % rule (R02).
"""
import json
import re
import sys

CLASSES = ["blocked", "high", "medium", "low", "exempt", "clear"]
RULES = ["R%02d" % i for i in range(1, 16)]
OWNED = re.compile(r"blocked owners hold ([0-9.]+)%")


def tally(path):
    classes = dict.fromkeys(CLASSES, 0)
    rules = dict.fromkeys(RULES, 0)
    expl = 0
    n = 0
    problems = []
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "entity" not in r:
                continue
            n += 1
            fired = set()
            exempted = False
            for x in r["findings"]:
                rid = x["rule"]
                if not rid.startswith("bench/"):
                    problems.append("%s: finding %s from outside the pack" % (r["entity"], rid))
                    continue
                fired.add(rid[len("bench/"):])
                expl += len(x["message"])
                exempted |= "exempted_by" in x
            for rid in fired:
                rules[rid] += 1
            # sanx's own ownership must block exactly where the generator's 50 % rule does.
            b = r.get("blocked", {}).get("BENCH")
            by_ownership = b is not None and b["reason"] == "ownership"
            if by_ownership != ("R02" in fired and "R01" not in fired):
                problems.append("%s: sanx ownership says %s, R02 %s" % (
                    r["entity"], json.dumps(b), "fired" if "R02" in fired else "did not fire"))
            elif by_ownership:
                pct = OWNED.match(next(x["message"] for x in r["findings"]
                                       if x["rule"] == "bench/R02"))
                if not pct or float(pct.group(1)) != float(b["share"]):
                    problems.append("%s: sanx ownership share %s, R02 says %s" % (
                        r["entity"], b["share"], pct and pct.group(1)))
            for key in ("errors", "indeterminate"):
                if r.get(key):
                    problems.append("%s: %s %s" % (r["entity"], key, json.dumps(r[key])[:200]))
            if "could_be" in r:
                problems.append("%s: could_be %s" % (r["entity"], r["could_be"]))
            v = r["verdict"]
            classes["exempt" if v == "clear" and exempted else v] += 1
    return {"n": n, "classes": classes, "rules": rules, "expl_chars": expl}, problems


def baseline(path):
    with open(path) as f:
        for line in f:
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])
    sys.exit("tally.py: no RESULT line in " + path)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: tally.py SANX_JSONL [BASELINE_OUTPUT]")
    got, problems = tally(sys.argv[1])
    want = baseline(sys.argv[2]) if len(sys.argv) == 3 else None
    bad = False
    print("%-10s %10s %10s" % ("", "sanx", "baseline" if want else ""))
    rows = [("n", got["n"], want and want["n"])]
    rows += [(c, got["classes"][c], want and want["classes"][c]) for c in CLASSES]
    rows += [(r, got["rules"][r], want and want["rules"][r]) for r in RULES]
    rows += [("expl_chars", got["expl_chars"], want and want["expl_chars"])]
    for name, g, w in rows:
        mark = "" if want is None or g == w else "  <- differs"
        bad |= bool(mark)
        print("%-10s %10d %10s%s" % (name, g, "" if w is None else w, mark))
    for p in problems[:20]:
        print("tally.py: " + p, file=sys.stderr)
    if problems:
        print("tally.py: %d problem(s)" % len(problems), file=sys.stderr)
    if bad or problems:
        print("tally.py: counts do not agree with the baseline" if bad else
              "tally.py: results not clean", file=sys.stderr)
        sys.exit(1)
    if want:
        print("counts agree with the baseline")


if __name__ == "__main__":
    main()
