#!/usr/bin/env bash
# Hostile input (see docs/limits.md): every case ends with a diagnostic and exit 0, 1 or 2,
# never a signal, and whatever sanx writes as JSON is valid JSON.
source "$(dirname "$0")/lib.sh" "$@"
bash "$src/tests/hostile/gen.sh" "$tmp"
rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -qE -- "$1" "$tmp/err" "$tmp/out"; }  # said, on either stream
valid_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out"; }
valid_jsonl() { python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/out"; }

run lint "$tmp/deep-pack"
check "lint of a 20,000-term chain ends with exit 2, no crash" rc_is 2
check "... saying how deep expressions may nest" err_has "nests deeper than 200 levels"
run check --rules "$tmp/deep-pack" "$src/samples/kazakhstan/entities.yaml"
check "check refuses the same pack at load, as lint does" rc_is 2
run lint "$tmp/long-pack"
check "an 80 KB expression is refused as too long (exit 2)" rc_is 2
check "... naming the limit" err_has "expression is longer than 64 KiB"
run check --format jsonl "$tmp/big-fields.jsonl"
check "a 2 MiB name rejects its record, in place" grep -q '"entity":"long-name","line":2,"error":"'"'"'name'"'"' is longer than 1024 KiB' "$tmp/out"
check "a list of 100,001 goods rejects its record" grep -q '"entity":"many-goods","line":3,"error":"'"'"'goods'"'"' has more than 100000 items' "$tmp/out"
check "... and the records around them are evaluated" grep -q '"entity":"after","verdict"' "$tmp/out"
run lint "$tmp/and-pack"
check "201 && terms are a load-time error, not a run-time undecided for every entity" err_has "and.yaml:13:[0-9]+: error: expression nests deeper than 200 levels"

run lint "$src/tests/hostile/duplicate-keys"
check "a rule with two 'when:' keys is an error, not the first silently" err_has "dup.yaml:15:9: error: 'when' appears twice in a rule"
check "... and the same for 'severity:'" err_has "dup.yaml:12:9: error: 'severity' appears twice"

run test --rules "$src/rules" "$src/tests/hostile/malformed-tests/bt.yaml"
check "sanx test on malformed tests exits 2, not 1" rc_is 2
check "... and 'verdict: bogus' is rejected, not passed" err_has "bt.yaml:8:20: FAIL bogus verdict: unknown verdict 'bogus'"

printf '{"id":"dup","country":"KZ","listings":[],"listings":[{"authority":"OFAC","list":"SDN"}]}\n{"id":"ok","country":"KZ"}\n' >"$tmp/dup.jsonl"
run check --format jsonl "$tmp/dup.jsonl"
check "an entity with two 'listings' keys is rejected, not read with the first" grep -q '"entity":"dup","line":1,"error":"'"'"'listings'"'"' appears twice in an entity"' "$tmp/out"
check "... and the next record is still evaluated" grep -q '"entity":"ok","verdict"' "$tmp/out"

run test --rules "$src/rules" "$src/tests/hostile/test-positions/pos.yaml"
check "a missing entities file is reported at the test's entities: line, with the file named" err_has "pos.yaml:5:15: FAIL missing file: cannot read file .*no-such-file.yaml"
check "a bad inline entity is reported at the pack's line, not 'pos.yaml:10:1:17'" err_has "pos.yaml:10:7: FAIL bad share: 'share' must be a percentage"

run check --format json "$tmp/bad-bytes.yaml"
check "check --format json with an invalid UTF-8 byte rejects that record (exit 2), no abort" rc_is 2
check "... and writes valid JSON" valid_json
check "... with the record in place, saying why" grep -q '"error": "byte 0xFF is not valid UTF-8' "$tmp/out"
run check --format jsonl "$tmp/bad-bytes.yaml"
check "JSON lines with an invalid UTF-8 byte are valid JSON" valid_jsonl
mkdir -p "$tmp/packs"
cp "$src"/rules/*.yaml "$tmp/packs/"
python3 - "$tmp/packs/uk.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, "rb").read().replace(b"is designated by the UK", b"is designated \xff by the UK", 1)
open(p, "wb").write(s)
PY
run lint --format sarif "$tmp/packs"
check "lint --format sarif on a pack with a 0xFF byte writes valid JSON" valid_json
check "... reporting the byte at its place" grep -q '"text": "byte 0xFF is not valid UTF-8; rule packs are UTF-8' "$tmp/out"
run lint --format json "$tmp/packs"
check "lint --format json on it too" valid_json
run check --rules "$tmp/packs" --format json "$src/samples/kazakhstan/entities.yaml"
check "a pack with a 0xFF byte is refused at load (exit 2), not lint-clean" rc_is 2
check "... at its line and column" err_has "uk.yaml:[0-9]+:[0-9]+: error: byte 0xFF is not valid UTF-8"

run lint /dev/zero
check "lint /dev/zero is refused as too large, exit 2" rc_is 2
check "... with the limit named" err_has "larger than 16 MiB"
run check "$src/tests/hostile/billion-laughs.yaml"
check "a billion-laughs entity file is an error, not 4 GB of memory" rc_is 2
check "... naming the alias expansion" err_has "nodes or 512 MiB of text once its aliases are expanded"
run check "$tmp/big-alias.yaml"
check "a 1 MiB scalar aliased 1,000 times is refused by its expanded bytes" err_has "512 MiB of text once its aliases are expanded"
run import un-xml "$src/tests/hostile/un-entity-bomb.xml"
check "a UN XML file with an entity bomb is refused" rc_is 2
check "... because it declares entities" err_has "declares XML entities"
printf 'entities: &a [*a]\n' >"$tmp/cyclic.yaml"
run check "$tmp/cyclic.yaml"
check "an alias inside the node it names is an error (exit 2), not a stack overflow" rc_is 2
check "... saying so" err_has "an alias is inside the node it names"
printf 'entities: %s\n' "$(head -c 3000 /dev/zero | tr '\0' '[')" >"$tmp/deep.yaml"
run check "$tmp/deep.yaml"
check "a document nested 3,000 deep says so, not 'bad file'" err_has "nests deeper than [0-9]+ levels"

run check --jobs 1048576 --format jsonl "$src/samples/kazakhstan/entities.yaml"
check "--jobs 1048576 is clamped with a note and runs" err_has "using 256"
cp "$tmp/out" "$tmp/many-jobs.jsonl"
run check --jobs 1 --format jsonl "$src/samples/kazakhstan/entities.yaml"
check "... with the same bytes as --jobs 1" cmp -s "$tmp/out" "$tmp/many-jobs.jsonl"

un_xml=$src/../shared/data/un-consolidated-2026-02/UN_consolidated.xml
imports=()
[ -f "$un_xml" ] && imports=("import un-xml $un_xml")
for cmd in "eval 1+1" "${imports[@]}" \
           "graph --entity irtysh-logistics $src/samples/kazakhstan/entities.yaml" \
           "check --format jsonl $src/samples/kazakhstan/entities.yaml"; do
    # shellcheck disable=SC2086
    "$sanx" $cmd >/dev/full 2>"$tmp/err"
    rc=$?
    : >"$tmp/out"
    check "sanx $cmd > /dev/full fails with exit 2" rc_is 2
    check "... and says writing failed" err_has "writing (to standard output|the report) failed"
done

finish
