#!/usr/bin/python3
"""Turn the output of ../shared/bench/gen_workload.py into sanx input.

    convert.py DATA_DIR        (reads world.json, designated.json, entities.jsonl)

writes, beside them:
  sanx.jsonl   the companies in sanx's schema (docs/input.md): type company, owners as
               {id, share}, counterparties as {country, sectors: [sector]}, goods as HS
               codes, and on each designated company one listing per program
               ({authority: BENCH, list: SDN, program}, in designated.json's order, which is
               the order the baseline joins them with '+').
               blocked_owner_pct goes to attributes, for R02 and R08 (pack.yaml says why).
  lists.jsonl  every person that owns a company, for --lists: {id, type: person, listings},
               listings empty unless designated (an owner no file declares is a warning
               per edge, and a register that screens companies knows their owners).
Standard library only; the output is byte-identical for the same input.
"""
import json
import os
import sys


def listings(programs):
    return [{"authority": "BENCH", "list": "SDN", "program": p} for p in programs]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: convert.py DATA_DIR")
    d = sys.argv[1]
    with open(os.path.join(d, "designated.json")) as f:
        designated = {x["id"]: x["programs"] for x in json.load(f)}
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    persons = set(x for x in designated if x.startswith("P"))
    n = 0
    with open(os.path.join(d, "entities.jsonl")) as src, \
            open(os.path.join(d, "sanx.jsonl"), "w") as out:
        for line in src:
            e = json.loads(line)
            r = {
                "id": e["id"],
                "type": "company",
                "name": e["name"],
                "country": e["country"],
                "sectors": e["sectors"],
                "owners": [{"id": o["id"], "share": o["pct"]} for o in e["owners"]],
                "counterparties": [{"country": c["country"], "sectors": [c["sector"]]}
                                   for c in e["counterparties"]],
                "goods": e["goods"],
            }
            if e["id"] in designated:
                r["listings"] = listings(designated[e["id"]])
            r["attributes"] = {"blocked_owner_pct": e["blocked_owner_pct"]}
            persons.update(o["id"] for o in e["owners"] if o["id"].startswith("P"))
            out.write(dump(r))
            out.write("\n")
            n += 1
    with open(os.path.join(d, "lists.jsonl"), "w") as out:
        for pid in sorted(persons):
            out.write(dump({"id": pid, "type": "person",
                            "listings": listings(designated.get(pid, []))}))
            out.write("\n")
    print("convert.py: %d companies, %d designated ids -> %s/sanx.jsonl, lists.jsonl"
          % (n, len(designated), d), file=sys.stderr)


if __name__ == "__main__":
    main()
