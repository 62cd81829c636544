#!/usr/bin/env bash
# What a listing means (PRODUCT.md sections 3, 6, 7): lists matched through their aliases
# and by measure, unknown authorities reported, the blocked map and the verdict in
# agreement, undecided entities and licences shown as undecided.
source "$(dirname "$0")/lib.sh" "$@"

line_of() { grep -E "^\{\"entity\":\"$1\"" "$tmp/out"; }
has() { line_of "$1" | grep -qE -- "$2"; }
lacks() { ! line_of "$1" | grep -qE -- "$2"; }
err_has() { grep -qE -- "$1" "$tmp/err"; }

cat >"$tmp/listings.yaml" <<'YAML'
as_of: 2025-06-01
entities:
  - {id: eu-person, name: EU Person, type: person, country: RU, sectors: [], goods: [], counterparties: [], listings: [{authority: EU, list: consolidated, from: 2022-03-15}]}
  - {id: eu-owned, name: EU Owned LLP, country: KZ, sectors: [retail], goods: [], counterparties: [], listings: [], owners: [{id: eu-person, share: 60}]}
  - {id: eu-half, name: EU Half LLP, country: KZ, sectors: [retail], goods: [], counterparties: [], listings: [], owners: [{id: eu-person, share: 50}]}
  - {id: sber, name: Sberbank, type: bank, country: RU, sectors: [], goods: [], counterparties: [], listings: [{authority: ofac, list: sdn, program: RUSSIA-EO14024, from: 2022-04-06}]}
  - {id: sber-client, name: Sber Client LLP, country: KZ, sectors: [retail], goods: [], counterparties: [{id: sber}], listings: []}
  - {id: typo-bank, name: Typo Bank, type: bank, country: RU, sectors: [], goods: [], counterparties: [], listings: [{authority: OFCA, list: SDN, from: 2022-04-06}]}
  - {id: travel-ban, name: Travel Ban Only, type: person, country: RU, sectors: [], goods: [], counterparties: [], listings: [{authority: EU, list: Travel ban, from: 2022-03-15}]}
  - {id: tb-owned, name: Travel Ban Owned LLP, country: KZ, sectors: [retail], goods: [], counterparties: [], listings: [], owners: [{id: travel-ban, share: 100}]}
  - {id: uk-invest, name: UK Investment Ban Co, country: RU, sectors: [], goods: [], counterparties: [], listings: [{authority: UK, list: investment ban, from: 2022-04-06}]}
  - {id: no-list, name: No List Named Co, country: RU, sectors: [], goods: [], counterparties: [], listings: [{authority: UK, from: 2022-04-06}]}
  - {id: ch-co, name: Swiss Listed Co, country: RU, sectors: [], goods: [], counterparties: [], listings: [{authority: CH, list: SECO, from: 2022-04-06}]}
YAML
run check --format jsonl "$tmp/listings.yaml"
check "an EU listing on 'consolidated' freezes: the person is blocked" has eu-person '"blocked":\{"EU":\{"reason":"listed"'
check "a company 60 % owned by that person is blocked, not clear" has eu-owned '"verdict":"blocked".*"blocked":\{"EU":\{"reason":"ownership","share":60'
check "EU: 50 % blocks on a date after 2024-07-03" has eu-half '"verdict":"blocked".*"EU":\{"reason":"ownership","share":50'
check "authority and list in lower case: ofac/sdn is OFAC's SDN" has sber '"rule":"ofac-sdn/sdn-listed"'
check "dealing with the lower-case SDN is exposed" has sber-client '"verdict":"high".*ofac-sdn/non-us-person-dealing-with-blocked-person'
check "a misspelt authority is warned with did-you-mean" err_has "listing by 'OFCA', an authority no loaded pack knows"
check "... the warning offers OFAC" err_has "did you mean 'OFAC'\?"
check "a listing by an unknown authority is an info finding, not invisible" has typo-bank '"rule":"listings/unknown-authority","regime":"listings","authority":"OFCA","severity":"info"'
check "an EU travel ban alone does not block" lacks travel-ban '"blocked":\{"EU"'
check "... and no rule says its funds are frozen" lacks travel-ban 'eu-269/eu-listed'
check "... but it is reported as a listing that is not a freeze" has travel-ban '"rule":"listings/not-an-asset-freeze".*travel ban'
check "a company owned by a travel-ban-only person is not blocked" has tb-owned '"verdict":"clear".*"blocked":\{\}'
check "a UK investment ban does not block" has uk-invest '"verdict":"clear".*investment ban.*"blocked":\{\}'
check "a listing that names no list counts as an asset freeze" has no-list '"blocked":\{"UK":\{"reason":"listed"'
check "... with a warning naming the known lists" err_has "listing by UK names no list \(UK Sanctions List, Trust services, Travel ban"
check "a Swiss (CH) listing is reported as an info finding" has ch-co '"rule":"listings/unknown-authority".*SECO'
run check --format json "$tmp/listings.yaml"
check "JSON warnings carry the input warnings stderr shows" grep -qE '"code": "unknown-authority",\s*$' "$tmp/out"
check "... with their position" grep -qE '"at": ".*listings.yaml:8:130"' "$tmp/out"

# A pack whose authority blocks but which has no rule saying so: the verdict still follows
# the blocked map.
mkdir -p "$tmp/mini"
cat >"$tmp/mini/mini.yaml" <<'YAML'
pack: mini
authorities:
  XA:
    name: An authority with ownership semantics and no rules
    ownership: {threshold: 50, inclusive: true, aggregate: sum, indirect: blocked_intermediates}
    lists: [{id: Freeze, measure: asset_freeze}]
YAML
cat >"$tmp/mini.yaml" <<'YAML'
as_of: 2025-06-01
entities:
  - {id: listed, name: Listed, listings: [{authority: XA, list: Freeze}]}
  - {id: owned, name: Owned, owners: [{id: listed, share: 50}]}
YAML
run check --rules "$tmp/mini" --format jsonl "$tmp/mini.yaml"
check "blocked by an authority without a rule: the verdict is blocked" has listed '"verdict":"blocked"'
check "owned 50 % under it: blocked too" has owned '"verdict":"blocked".*"XA":\{"reason":"ownership"'
check "a blocked verdict exits 1" test "$rc" -eq 1

# The UN Security Council list, imported from the real file.
un_xml=$src/../shared/data/un-consolidated-2026-02/UN_consolidated.xml
if [ -f "$un_xml" ]; then
    "$sanx" import un-xml "$un_xml" --output "$tmp/un.jsonl" 2>/dev/null
    cat >"$tmp/un-client.yaml" <<'YAML'
as_of: 2026-03-01
entities:
  - {id: kz-shipper, name: Aktau Shipping LLP, country: KZ, sectors: [logistics], goods: [], listings: [], counterparties: [{id: un-KPe.001, role: buyer}]}
  - {id: kz-owned, name: Caspian Joint Venture LLP, country: KZ, sectors: [logistics], goods: [], listings: [], counterparties: [], owners: [{id: un-KPe.003, share: 51}]}
YAML
    run check --lists "$tmp/un.jsonl" --format jsonl "$tmp/un-client.yaml"
    check "dealing with a party on the UN list is exposed, not clear" has kz-shipper '"verdict":"high".*"rule":"un-sc/dealing-with-un-listed"'
    check "a company 51 % owned by a UN-listed bank is blocked under the UN freeze" has kz-owned '"verdict":"blocked".*"rule":"un-sc/un-owned-controlled"'
else
    echo "skipped the UN list checks: $un_xml is absent"
fi

# OpenSanctions listings by authorities no shipped pack models (CH, JP, AU, ...): reported.
ftm=$src/../shared/data/opensanctions-zala/entities.ftm.json
if [ -f "$ftm" ]; then
    "$sanx" import ftm "$ftm" --output "$tmp/zala.jsonl" 2>/dev/null
    cat >"$tmp/cst-client.yaml" <<'YAML'
as_of: 2025-06-01
entities:
  - {id: kz-drone-parts, name: Drone Parts LLP, country: KZ, sectors: [electronics], goods: [], listings: [], counterparties: [{id: NK-abdzbEBkqyT29GyREbiURZ, role: buyer}]}
YAML
    run check --lists "$tmp/zala.jsonl" --format jsonl "$tmp/cst-client.yaml"
    for auth in CH JP AU; do
        check "a counterparty's $auth listing (OpenSanctions) is an info finding, not invisible" \
            has kz-drone-parts "\"rule\":\"listings/unknown-authority\",\"regime\":\"listings\",\"authority\":\"$auth\""
    done
else
    echo "skipped the OpenSanctions checks: $ftm is absent"
fi

# Undecided: amber, never a plain clear; a licence that cannot be decided says what it lacks.
cat >"$tmp/undecided.yaml" <<'YAML'
as_of: 2025-06-01
entities:
  - {id: shymkent-parts, name: Shymkent Parts LLP, country: KZ, sectors: [wholesale], goods: [], listings: [], counterparties: [{name: Unknown Buyer, country: RU}]}
  - {id: azov-don, name: Azov-Don Grain Terminal JSC, country: RU, sectors: [agriculture], goods: ["100199"], listings: [{authority: OFAC, list: SDN, program: RUSSIA-EO14024, from: 2023-05-19}], counterparties: []}
  - {id: kostanay-grain, name: Kostanay Grain Export LLP, country: KZ, sectors: [agriculture], goods: ["100199"], listings: [], counterparties: [{id: azov-don, role: buyer}, {name: Other Buyer, country: KZ}]}
YAML
run check --format jsonl "$tmp/undecided.yaml"
check "an entity with an undecided high rule has could_be" has shymkent-parts '"verdict":"clear","could_be":"high"'
check "GL 6D undecided when a counterparty's goods are unknown: said, with what it lacks" has kostanay-grain '"undecided_licences":\[\{"licence":"GL6D","missing":\["entity.counterparties\[1\].goods"\]\}\]'
check "... and the finding it would exempt stands" has kostanay-grain '"verdict":"high"'
run check --format text "$tmp/undecided.yaml"
check "text shows it as undecided, not as a plain CLEAR" grep -qE "^shymkent-parts  Shymkent Parts LLP  CLEAR, UNDECIDED: COULD BE HIGH$" "$tmp/out"
run check --format html "$tmp/undecided.yaml"
check "HTML shows it amber (v-undecided), not green" grep -q 'v-undecided">CLEAR, UNDECIDED: COULD BE HIGH' "$tmp/out"
run check --format md "$tmp/undecided.yaml"
check "Markdown says undecided" grep -q "Verdict: \*\*CLEAR, UNDECIDED: COULD BE HIGH\*\*" "$tmp/out"
run check --format text "$tmp/undecided.yaml"
check "text names the undecided licence" grep -q "licence GL6D could not be decided, so it exempts nothing: missing entity.counterparties\[1\].goods" "$tmp/out"

finish
