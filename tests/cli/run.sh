#!/usr/bin/env bash
# The sanx command as a user meets it: exit codes, diagnostics on stderr, records in = out.
source "$(dirname "$0")/lib.sh" "$@"

sample=$src/samples/kazakhstan/entities.yaml

expect "sample exits 1 (high findings)" 1 "steppe-commercial-bank.*HIGH" -- "$sanx" check --format text "$sample"
expect "--rules takes one path: the input after it stays the input" 1 '"hash"' -- "$sanx" check --rules "$src/rules" "$sample" --format json
expect "fail-on blocked still 1" 1 "" -- "$sanx" check --fail-on blocked --format json "$sample"
expect "json document has provenance" 1 '"hash": "[0-9a-f]{64}"' -- "$sanx" check --format json "$sample"
expect "jsonl is the default when piped" 1 '^\{"entity":"steppe-commercial-bank"' -- "$sanx" check "$sample"

cat >"$tmp/clear.yaml" <<'YAML'
as_of: 2025-06-01
entities:
  - {id: kz-retail, name: Steppe Retail LLP, country: KZ, sectors: [retail], goods: ["6109"], counterparties: [], listings: []}
YAML
expect "a clear portfolio exits 0" 0 '"verdict":"clear"' -- "$sanx" check "$tmp/clear.yaml"

printf '{"as_of": "2025-06-01", "entities": [{"id": "kz-json", "country": "KZ", "sectors": ["retail"], "goods": ["6109"], "counterparties": [], "listings": []}]}\n' >"$tmp/doc.json"
expect "JSON documents are read like YAML" 0 '"entity":"kz-json".*"verdict":"clear"' -- "$sanx" check "$tmp/doc.json"

cp -r "$src/rules" "$tmp/badrules"
sed -i '0,/sets.chpl_all/s//sets.chpl_al/' "$tmp/badrules/us.yaml"
expect "a bad expression in a pack: exit 2 with file:line:col" 2 "us.yaml:[0-9]+:[0-9]+: error: unknown set 'chpl_al'" -- "$sanx" check --rules "$tmp/badrules" "$sample"
[ -s "$tmp/out" ] && { echo "FAIL bad rules: something was evaluated"; failed=$((failed + 1)); }

printf 'as_of: 2025-06-01\nentities: [\n  {id: a\n' >"$tmp/malformed.yaml"
expect "malformed input YAML: exit 2 with a position" 2 "malformed.yaml:[0-9]+:[0-9]+: error" -- "$sanx" check "$tmp/malformed.yaml" "$tmp/clear.yaml"
grep -q kz-retail "$tmp/out" || { echo "FAIL malformed input lost the other file's records"; failed=$((failed + 1)); }

cat >"$tmp/mixed.yaml" <<'YAML'
entities:
  - {id: one, country: KZ, counterparties: []}
  - {name: no id}
  - {id: three, country: KZ, owners: [{id: x, share: "abc"}]}
  - {id: four, country: KZ, counterparties: []}
YAML
expect "rejected records: exit 2, records out = records in" 2 '"error"' -- "$sanx" check --as-of 2025-06-01 "$tmp/mixed.yaml"
lines=$(wc -l <"$tmp/out")
[ "$lines" -eq 4 ] || { echo "FAIL expected 4 result lines, got $lines"; failed=$((failed + 1)); }

expect "--rules takes one path and leaves the input alone" 1 "steppe-commercial-bank" -- "$sanx" check --rules "$src/rules" "$sample"
expect "an expired successor does not revive the licence it superseded (GL 8K)" 1 '"entity":"caspian-petroleum-trading".*"verdict":"high"' -- "$sanx" check --as-of 2025-04-01 "$sample"
expect "ownership blocks through a 60 % SDN owner, with the path" 1 '"entity":"irtysh-logistics".*"blocked":\{"EU":\{"reason":"ownership","share":60.0,"paths":\[\[\{"from":"arkady-belov","to":"irtysh-logistics","share":60.0\}' -- "$sanx" check "$sample"
expect "before the owner was listed the firm is not blocked" 1 '"entity":"irtysh-logistics","name":"Irtysh Logistics LLP","verdict":"clear"' -- "$sanx" check --as-of 2023-01-01 "$sample"
cat >"$tmp/hazard.yaml" <<'YAML'
entities:
  - {id: a, country: KZ, owners: [{id: p, share: 70}, {id: q, share: 60}], counterparties: []}
YAML
expect "owners over 100 % are a warning, not a failure" 0 "hazard.yaml:2:1: warning: a: owners' shares add up to 130%" -- "$sanx" check --as-of 2025-06-01 "$tmp/hazard.yaml"
expect "bad --as-of is a usage error" 2 "as-of must be a date" -- "$sanx" check --as-of 2025-13-01 "$sample"
expect "unknown option is a usage error" 2 "" -- "$sanx" check --frobnicate "$sample"
expect "missing input file: exit 2" 2 "nope.yaml: error: cannot read file" -- "$sanx" check "$tmp/nope.yaml"
expect "--help lists the options" 0 "--fail-on" -- "$sanx" check --help
expect "GL 8L authorised the wind-down only: without that fact the trader is high, the licence undecided" 1 '"entity":"caspian-petroleum-trading".*"verdict":"high".*"undecided_licences":\[\{"licence":"GL8L","missing":\["entity.attributes"\]' -- "$sanx" check --as-of 2025-03-01 "$sample"
sed 's/^    name: Caspian Petroleum Trading LLP$/&\n    attributes: {wind_down: true}/' "$sample" >"$tmp/wind-down.yaml"
expect "GL 8L exempts the energy trader's wind-down while in force (the price cap findings stay)" 1 '"entity":"caspian-petroleum-trading".*"verdict":"medium".*"exempted_by":"GL8L"' -- "$sanx" check --as-of 2025-03-01 "$tmp/wind-down.yaml"
expect "after GL 8L expired (12 March 2025) it is high" 1 '"entity":"caspian-petroleum-trading".*"verdict":"high"' -- "$sanx" check --as-of 2025-06-01 "$sample"

# JSON lines, standard input, and parallel evaluation.
for i in $(seq 1 3000); do
    c=$(( (i * 7) % 3000 + 1 ))
    printf '{"id":"e%d","country":"KZ","sectors":["logistics"],"goods":["854231"],"counterparties":[{"id":"e%d"}],"owners":[{"id":"e%d","share":60}],"listings":[%s]}\n' \
        "$i" "$c" "$c" "$([ $((i % 50)) -eq 0 ] && echo '{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024"}')"
done >"$tmp/many.jsonl"
expect "JSON lines in, one result line per record out" 1 '"entity":"e3000"' -- "$sanx" check --as-of 2025-06-01 --jobs 1 "$tmp/many.jsonl"
cp "$tmp/out" "$tmp/jobs1"
[ "$(wc -l <"$tmp/jobs1")" -eq 3000 ] || { echo "FAIL expected 3000 lines"; failed=$((failed + 1)); }
expect "--jobs 2 gives the same bytes as --jobs 1" 1 "" -- "$sanx" check --as-of 2025-06-01 --jobs 2 "$tmp/many.jsonl"
cmp -s "$tmp/out" "$tmp/jobs1" || { echo "FAIL --jobs 2 output differs from --jobs 1"; failed=$((failed + 1)); }
expect "--no-because: the same verdicts and findings, no witness facts" 1 '"because":\[\]' -- "$sanx" check --as-of 2025-06-01 --jobs 1 --no-because "$tmp/many.jsonl"
if grep -q '"because":\[{' "$tmp/out"; then echo "FAIL --no-because still writes facts"; failed=$((failed + 1)); fi
if ! cmp -s <(grep -oE '"(entity|verdict|rule|message)":"[^"]*"' "$tmp/jobs1") \
            <(grep -oE '"(entity|verdict|rule|message)":"[^"]*"' "$tmp/out"); then
    echo "FAIL --no-because changes verdicts, rules or messages"; failed=$((failed + 1))
fi
expect "- reads JSON lines from standard input" 1 '"entity":"e1"' -- bash -c "\"\$0\" check --as-of 2025-06-01 - <\"\$1\"" "$sanx" "$tmp/many.jsonl"
cmp -s "$tmp/out" "$tmp/jobs1" || { echo "FAIL stdin output differs from file output"; failed=$((failed + 1)); }
printf '{"id":"a","country":"KZ","counterparties":[]}\nnot json\n{"id":"c","country":"KZ","counterparties":[]}\n' >"$tmp/bad.jsonl"
expect "a line that is not JSON becomes an error record in its place" 2 'bad.jsonl:2:1: error: invalid JSON' -- "$sanx" check --as-of 2025-06-01 "$tmp/bad.jsonl"
sed -n 2p "$tmp/out" | grep -q '^{"line":2,"error":"invalid JSON: ' || { echo "FAIL line 2 is not its error record"; failed=$((failed + 1)); }
[ "$(wc -l <"$tmp/out")" -eq 3 ] || { echo "FAIL records out != records in"; failed=$((failed + 1)); }

printf 'id,name,country,sectors,goods,owners,counterparties,listings,segment\nkz-1,"Alpha, LLP",KZ,logistics;wholesale,854231,ru-1:60,ru-1:RU,,sme\nru-1,Beta,RU,defense,,,,OFAC:SDN:RUSSIA-EO14024:2022-04-06,\nkz-3,Gamma,KZ\n' >"$tmp/t.csv"
expect "CSV: lists split on ';', owners as id:share, a short row rejected in place" 2 't.csv:4:1: error: the row has 3 fields, the header 9' -- "$sanx" check --as-of 2025-06-01 "$tmp/t.csv"
grep -q '"entity":"kz-1".*"blocked":{"OFAC":{"reason":"ownership","share":60.0' "$tmp/out" || { echo "FAIL CSV owner edge not read"; failed=$((failed + 1)); }
sed -n 3p "$tmp/out" | grep -q '^{"entity":"kz-3","line":4,"error":' || { echo "FAIL CSV short row not in its place"; failed=$((failed + 1)); }

# PRODUCT section 8 and issue 7: 20,000 JSON lines with three malformed ones.
awk 'BEGIN { for (i = 1; i <= 20003; i++) {
    if (i == 5 || i == 10000 || i == 19999) { print "{\"id\": \"broken" i "\", "; continue }
    printf "{\"id\":\"n%d\",\"country\":\"KZ\",\"goods\":[\"1001\"],\"counterparties\":[{\"id\":\"n%d\"}]}\n", i, (i % 20003) + 1 } }' >"$tmp/20k.jsonl"
expect "20,000 good lines and 3 malformed: 20,003 out, 3 error records, exit 2" 2 "" -- "$sanx" check --as-of 2025-06-01 --jobs 1 "$tmp/20k.jsonl"
cp "$tmp/out" "$tmp/20k.jobs1"
[ "$(wc -l <"$tmp/20k.jobs1")" -eq 20003 ] || { echo "FAIL expected 20003 lines"; failed=$((failed + 1)); }
[ "$(grep -c '"error":"invalid JSON' "$tmp/20k.jobs1")" -eq 3 ] || { echo "FAIL expected 3 error records"; failed=$((failed + 1)); }
expect "and the same bytes with --jobs 2" 2 "" -- "$sanx" check --as-of 2025-06-01 --jobs 2 "$tmp/20k.jsonl"
cmp -s "$tmp/out" "$tmp/20k.jobs1" || { echo "FAIL 20k: --jobs 2 differs"; failed=$((failed + 1)); }

# Real lists: a declared party and a counterparty are matched to the SDN entry that
# shares their tax id (ZALA's parent CST, SDN 45928, Tax ID 1841015504).
data=$src/../shared/data
if [ -f "$data/ofac-sdn-2024-05-03/sdn.csv" ]; then
    "$sanx" import ofac-sdn "$data/ofac-sdn-2024-05-03/sdn.csv" -o "$tmp/sdn.jsonl" 2>/dev/null
    cat >"$tmp/zala.yaml" <<'YAML'
as_of: 2024-06-01
entities:
  - id: kz-drone-parts
    country: KZ
    goods: ["880730"]
    counterparties:
      - {name: A-Level Aerosystems, country: RU, identifiers: [{type: tax_id, value: "1841015504"}]}
  - id: cst-declared
    country: RU
    counterparties: []
    attributes: {identifiers: [{type: tax_id, value: "1841 015504"}]}
YAML
    expect "a declared party sharing a tax id with an SDN entry is that entry" 1 '"entity":"cst-declared".*"blocked":\{"OFAC":\{"reason":"listed".*matched by tax_id 1841 015504 = ofac-sdn-45928' -- "$sanx" check --lists "$tmp/sdn.jsonl" "$tmp/zala.yaml"
    grep -q '"entity":"kz-drone-parts".*ofac-sdn-45928 (matched by tax_id 1841015504) is listed by OFAC' "$tmp/out" ||
        { echo "FAIL the counterparty was not matched by its tax id"; failed=$((failed + 1)); }
else
    echo "skip: no OFAC data at $data"
fi
# OpenSanctions ownership: a Kazakh company 60 % owned by LLC CST (ZALA's parent).
if [ -f "$data/opensanctions-zala/entities.ftm.json" ]; then
    "$sanx" import ftm "$data/opensanctions-zala/entities.ftm.json" -o "$tmp/ftm.jsonl" 2>/dev/null
    printf 'entities:\n  - {id: kz-uav-service, country: KZ, owners: [{id: NK-abdzbEBkqyT29GyREbiURZ, share: 60}], counterparties: []}\n' >"$tmp/kzcst.yaml"
    expect "owned 60 % by CST: blocked by OFAC and the UK on 2024-06-01, with the path and the listing" 1 '"OFAC":\{"reason":"ownership","share":60.0,"paths":\[\[\{"from":"NK-abdzbEBkqyT29GyREbiURZ","to":"kz-uav-service","share":60.0\}\]\],"listings":\["NK-abdzbEBkqyT29GyREbiURZ: SDN RUSSIA-EO14024"\]\}.*"UK":\{"reason":"ownership".*GB-RUS since 2023-02-08' -- "$sanx" check --as-of 2024-06-01 --lists "$tmp/ftm.jsonl" "$tmp/kzcst.yaml"
    expect "and by the EU too on 2025-04-01" 1 '"EU":\{"reason":"ownership"' -- "$sanx" check --as-of 2025-04-01 --lists "$tmp/ftm.jsonl" "$tmp/kzcst.yaml"
else
    echo "skip: no OpenSanctions data at $data"
fi

finish
