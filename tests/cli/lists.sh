#!/usr/bin/env bash
# --lists on the real SDN 2024 and OpenSanctions files: one party per company whichever file
# comes first, so the output is the same bytes in both orders, with the listings of both.
source "$(dirname "$0")/lib.sh" "$@"
data=$src/../shared/data
sdn_csv=$data/ofac-sdn-2024-05-03/sdn.csv
ftm_json=$data/opensanctions-zala/entities.ftm.json
if [ ! -f "$sdn_csv" ] || [ ! -f "$ftm_json" ]; then
    echo "skip: no SDN 2024 or OpenSanctions data at $data"
    exit 0
fi

has() {  # has NAME FILE PATTERN: the file has a line matching the extended regex
    if grep -qE -- "$3" "$2"; then
        passed=$((passed + 1))
    else
        echo "FAIL $1: no line matches /$3/"
        failed=$((failed + 1))
    fi
}

"$sanx" import ofac-sdn "$sdn_csv" -o "$tmp/sdn.jsonl" 2>/dev/null
"$sanx" import ftm "$ftm_json" -o "$tmp/ftm.jsonl" 2>/dev/null
# CST (SDN 45928, OpenSanctions NK-abdz…) and Kalashnikov (SDN 16911, NK-nR5…), by identifier
# and by the SDN's ids.
cat >"$tmp/kz.yaml" <<'YAML'
as_of: 2024-06-01
entities:
  - id: kz-drone-parts
    name: Steppe Drone Parts LLP
    country: KZ
    goods: ["880730"]
    counterparties:
      - {name: A-Level Aerosystems, country: RU, identifiers: [{type: tax_id, value: "1841015504", country: RU}]}
  - id: kz-rifle-importer
    country: KZ
    counterparties:
      - {name: Kalashnikov Concern, identifiers: [{type: tax_id, value: "1832090230"}]}
  - id: kz-arms-broker
    country: KZ
    counterparties: [{id: ofac-sdn-16911}]
  - id: kz-uav-service
    country: KZ
    owners: [{id: ofac-sdn-45928, share: 60}]
    counterparties: []
  - id: cst-declared
    country: RU
    identifiers: [{type: tax_id, value: "1841 015504"}]
    counterparties: []
YAML

for format in json jsonl; do
    "$sanx" check --format $format --lists "$tmp/ftm.jsonl" --lists "$tmp/sdn.jsonl" "$tmp/kz.yaml" >"$tmp/ftm-first.$format" 2>/dev/null
    "$sanx" check --format $format --lists "$tmp/sdn.jsonl" --lists "$tmp/ftm.jsonl" "$tmp/kz.yaml" >"$tmp/sdn-first.$format" 2>/dev/null
    if [ -s "$tmp/ftm-first.$format" ] && cmp -s "$tmp/ftm-first.$format" "$tmp/sdn-first.$format"; then
        passed=$((passed + 1))
    else
        echo "FAIL --format $format: the output depends on the order of --lists"
        diff "$tmp/ftm-first.$format" "$tmp/sdn-first.$format" | head -20
        failed=$((failed + 1))
    fi
done

out=$tmp/ftm-first.jsonl
has "CST by tax id: frozen by the EU and the UK (OpenSanctions) and listed by OFAC (SDN)" "$out" \
    '"entity":"cst-declared".*"blocked":\{"EU":\{"reason":"listed".*FSF EU-UKR.*"OFAC":\{"reason":"listed".*SDN RUSSIA-EO14024.*"UK":\{"reason":"listed".*GB-RUS'
has "a counterparty with CST's tax id deals with a party frozen by the EU" "$out" \
    '"entity":"kz-drone-parts".*"rule":"eu-269/dealing-with-eu-listed".*NK-abdzbEBkqyT29GyREbiURZ \(matched by tax_id 1841015504\) is listed by EU'
has "Kalashnikov by tax id is the SDN entry, not OpenSanctions' entry without listings" "$out" \
    '"entity":"kz-rifle-importer".*"rule":"ofac-sdn/non-us-person-dealing-with-blocked-person".*NK-nR5AXM9AVPq4pQaSPSaVam \(matched by tax_id 1832090230\) is listed by OFAC'
has "the counterparty's match is reported, with the identifier" "$out" \
    '"entity":"kz-drone-parts".*"matches":\[\{"party":"entity.counterparties\[0\]","list_id":"NK-abdzbEBkqyT29GyREbiURZ","list_name":"LLC CST".*"by":"identifier","decision":"match","identifier":"tax_id 1841015504"\}\]'
has "Kalashnikov by its SDN id" "$out" \
    '"entity":"kz-arms-broker".*"rule":"ofac-sdn/non-us-person-dealing-with-blocked-person".*"matches":\[\{"party":"entity.counterparties\[0\]","list_id":"ofac-sdn-16911","list_name":"JSC Kalashnikov Concern"'
has "owned 60 % by CST under its SDN id: blocked by the EU and the UK as well" "$out" \
    '"entity":"kz-uav-service".*"blocked":\{"EU":\{"reason":"ownership","share":60.0.*"OFAC":\{"reason":"ownership".*"UK":\{"reason":"ownership"'
has "provenance names both files with SHA-256 and record counts" "$tmp/ftm-first.json" \
    '"path": ".*/ftm.jsonl",$'
has "the SDN file with its 14,965 records" "$tmp/ftm-first.json" '"records": 14965,'
has "a SHA-256" "$tmp/ftm-first.json" '"sha256": "[0-9a-f]{64}",'

# A tax id two SDN entries share ties a counterparty to neither: undecided, both named.
cat >"$tmp/amb.yaml" <<'YAML'
as_of: 2025-06-01
entities:
  - {id: kz-trader, name: Trader LLP, country: KZ, sectors: [wholesale], goods: [], listings: [], counterparties: [{name: Some Buyer, country: CO, goods: [], sectors: [], identifiers: [{type: tax_id, value: "6070026706"}]}]}
YAML
"$sanx" check --format jsonl --lists "$tmp/sdn.jsonl" "$tmp/amb.yaml" >"$tmp/amb.jsonl" 2>/dev/null
has "an identifier shared by two SDN entries leaves the party's rules undecided, not clear" "$tmp/amb.jsonl" \
    '"verdict":"clear","could_be":"high".*"rule":"ofac-sdn/non-us-person-dealing-with-blocked-person","severity":"high","missing":\["which list entry Some Buyer is: ofac-sdn-11555 \(VARIEDADES HARB SPORT\), ofac-sdn-11556 \(ALMACEN FUTURO NO. 1\)"\]'
has "... and both candidates are reported as possible matches" "$tmp/amb.jsonl" \
    '"matches":\[\{"party":"entity.counterparties\[0\]","list_id":"ofac-sdn-11555".*"decision":"possible".*\{"party":"entity.counterparties\[0\]","list_id":"ofac-sdn-11556".*"decision":"possible"'

"$sanx" check --format text --lists "$tmp/sdn.jsonl" "$tmp/amb.yaml" >"$tmp/amb.txt" 2>/dev/null
has "the text report says which entries the party may be" "$tmp/amb.txt" \
    '^  possible  entity.counterparties\[0\] \(Some Buyer\) may be list entry ofac-sdn-11555 \(VARIEDADES HARB SPORT\)'
sed -i 's/6070026706/0000000001/' "$tmp/amb.yaml"
"$sanx" check --format text --lists "$tmp/sdn.jsonl" "$tmp/amb.yaml" >"$tmp/unmatched.txt" 2>/dev/null
has "a party whose identifier is on no list is said to match no entry, not to be unlisted" "$tmp/unmatched.txt" \
    '^  unmatched entity.counterparties\[0\] \(Some Buyer\) matched no list entry \(looked up by identifier\): not known to be listed$'

# A party merged from several entries is warned about once, under the id it goes by.
"$sanx" check --as-of 2021-01-01 --format jsonl --lists "$tmp/sdn.jsonl" --lists "$tmp/ftm.jsonl" "$tmp/kz.yaml" >/dev/null 2>"$tmp/merged.err"
n=$(grep -c "owners' shares add up to 200%" "$tmp/merged.err")
if [ "$n" -eq 1 ]; then passed=$((passed + 1)); else echo "FAIL a merged party's data warning is said $n times, not once"; failed=$((failed + 1)); fi

finish
