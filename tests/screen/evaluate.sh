#!/usr/bin/env bash
# Name screening measured on tests/screen/pairs.tsv against every list in ../shared/data,
# imported together at test time (read in place, never copied): prints precision and recall
# at the default thresholds and fails below the floors (docs/screening.md).
# usage: evaluate.sh SANX SOURCE_DIR [sanx screen options...]
set -u
sanx=$1
src=$2
shift 2
data="$src/../shared/data"
if [ ! -d "$data/ofac-sdn-2024-05-03" ]; then
    echo "SKIP: $data is absent (the real list data is not in the repository)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
set -e
"$sanx" import ofac-sdn -q -o "$tmp/sdn-2024.jsonl" "$data/ofac-sdn-2024-05-03/sdn.csv"
"$sanx" import ofac-sdn -q -o "$tmp/sdn-2019.jsonl" "$data"/ofac-sdn-2019-01/{sdn,add,alt,sdn_comments}.csv
"$sanx" import ofac-consolidated -q -o "$tmp/cons.jsonl" "$data"/ofac-consolidated-2025-12/cons_{prim,add,alt,comments}.csv
"$sanx" import ftm -q -o "$tmp/zala.jsonl" "$data/opensanctions-zala/entities.ftm.json"
"$sanx" import un-xml -q -o "$tmp/un.jsonl" "$data/un-consolidated-2026-02/UN_consolidated.xml"
set +e
# One entity per pair: its query name, type and country.
"$py" - "$src/tests/screen/pairs.tsv" >"$tmp/parties.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], encoding='utf-8'):
    if line.startswith('#') or not line.strip():
        continue
    query, expected, kind, typ, country = line.rstrip('\n').split('\t')
    e = {'id': 'p%d' % n, 'name': query}
    if typ != '-':
        e['type'] = typ
    if country != '-':
        e['country'] = country
    print(json.dumps(e, ensure_ascii=False))
    n += 1
PY
lists=()
for f in "$tmp"/*.jsonl; do [ "$f" = "$tmp/parties.jsonl" ] || lists+=(--lists "$f"); done
"$sanx" screen --format jsonl --max-candidates 10 "${lists[@]}" "$@" "$tmp/parties.jsonl" >"$tmp/screened.jsonl" 2>"$tmp/err"
rc=$?
if [ "$rc" -gt 1 ]; then
    echo "FAIL sanx screen exited $rc"
    tail -5 "$tmp/err"
    exit 1
fi
"$py" "$src/tests/screen/evaluate.py" "$src/tests/screen/pairs.tsv" "$tmp/screened.jsonl" \
    "$tmp"/sdn-2024.jsonl "$tmp"/sdn-2019.jsonl "$tmp"/cons.jsonl "$tmp"/zala.jsonl "$tmp"/un.jsonl \
    --min-precision "${SANX_MIN_PRECISION:-0.98}" --min-recall "${SANX_MIN_RECALL:-0.98}"
