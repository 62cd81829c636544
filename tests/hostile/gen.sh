#!/usr/bin/env bash
# Writes the large hostile inputs into the folder given (they are generated, not kept).
set -eu
out=$1
mkdir -p "$out/deep-pack" "$out/and-pack" "$out/long-pack"
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
head = "pack: {id}\nauthorities:\n  {auth}: {{name: x}}\nregimes:\n  - id: {id}\n    title: t\n    authority: {auth}\n    rules:\n      - id: chain\n        title: t\n        severity: info\n        cites: [x]\n        when: '{expr}'\n        message: m\n"
# 15,000 `+ 1` terms (60 KB): once a stack overflow in lint; 20,000 (80 KB) is over the
# expression size limit as well.
open(out + "/deep-pack/deep.yaml", "w").write(head.format(id="deep", auth="XA", expr=" + ".join(["1"] * 15000) + " > 0"))
open(out + "/long-pack/long.yaml", "w").write(head.format(id="long", auth="XC", expr=" + ".join(["1"] * 20000) + " > 0"))
# A name of 2 MiB and a list of 100,001 goods, each in one JSON line, between good records.
import json
with open(out + "/big-fields.jsonl", "w") as f:
    f.write(json.dumps({"id": "before", "country": "KZ"}) + "\n")
    f.write(json.dumps({"id": "long-name", "name": "x" * (2 << 20)}) + "\n")
    f.write(json.dumps({"id": "many-goods", "goods": ["8542"] * 100001}) + "\n")
    f.write(json.dumps({"id": "after", "country": "KZ"}) + "\n")
# 201 `&&` terms: once lint-clean, then undecided for every entity at run time.
open(out + "/and-pack/and.yaml", "w").write(head.format(id="and", auth="XB", expr=" && ".join(['entity.country == "KZ"'] * 201)))
# A 1 MiB scalar used 1,000 times through an alias: few nodes, 1 GiB of text expanded.
big = "x" * (1 << 20)
open(out + "/big-alias.yaml", "w").write("as_of: 2025-06-01\nbig: &b \"" + big + "\"\nentities:\n  - {id: one, attributes: {x: [" + ",".join(["*b"] * 1000) + "]}}\n")
# A name with an invalid UTF-8 byte, in an entity file and in a pack message.
open(out + "/bad-bytes.yaml", "wb").write(b'as_of: 2025-06-01\nentities:\n  - {id: bad-bytes, name: "Bad \xff Name", country: KZ, sectors: [], goods: [], counterparties: [], listings: []}\n')
PY
