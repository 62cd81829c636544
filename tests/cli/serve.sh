#!/usr/bin/env bash
# `sanx serve` on a free loopback port: answers equal the CLI's, bad requests get 400/404/413
# with the CLI's diagnostics, a reload with a broken pack keeps the old ruleset serving and a
# good one changes its hash, a request in flight across a reload finishes on the ruleset it
# started with, every decision reaches the log, and a bounded load of requests gets an answer
# each; with --lists (the real SDN file when ../shared/data has it), checks and name screening
# answer as sanx check and sanx screen do. Uses curl.
source "$(dirname "$0")/lib.sh" "$@"
if ! command -v curl >/dev/null; then
    echo "skip: no curl (scripts/install-deps.sh installs it)"
    exit 0
fi
sample=$src/samples/kazakhstan/entities.yaml
mkdir "$tmp/rules"
cp "$src"/rules/*.yaml "$tmp/rules/"

: >"$tmp/serve.err"
"$sanx" serve --rules "$tmp/rules" --listen 127.0.0.1:0 --allow-reload --max-body 8000000 \
    --decision-log "$tmp/decisions.jsonl" 2>"$tmp/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
port_of() {  # port_of LOG: the port the server writing LOG listens on, once it does
    local port=
    for _ in $(seq 600); do
        port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$1")
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "FAIL the server did not start" >&2; cat "$1" >&2; exit 1
    fi
    echo "$port"
}
port=$(port_of "$tmp/serve.err") || exit 1
url=http://127.0.0.1:$port

post() {  # post PATH BODY-FILE [CONTENT-TYPE]: body in $tmp/out, headers in $tmp/head, status in $status
    status=$(curl -s -o "$tmp/out" -D "$tmp/head" -w '%{http_code}' -X POST \
        -H "Content-Type: ${3:-application/yaml}" --data-binary @"$2" "$url$1")
}
get() {  # get PATH
    status=$(curl -s -o "$tmp/out" -D "$tmp/head" -w '%{http_code}' "$url$1")
}
same() {  # same NAME A B [INPUT]: the files are equal once the input's names are the same
    if diff <(sed 's#<request>#INPUT#g' "$2") <(sed "s#${4:-$sample}#INPUT#g; s#<stdin>#INPUT#g" "$3") >"$tmp/diff"; then
        passed=$((passed + 1))
    else
        echo "FAIL $1"; head -20 "$tmp/diff" | sed 's/^/  /'; failed=$((failed + 1))
    fi
}
answered=0  # results the server has decided, for the decision log

# ---- answers equal the CLI's --------------------------------------------------------------
for format in json jsonl text; do
    post "/v1/check?format=$format" "$sample"
    check "check $format: 200" test "$status" = 200
    cp "$tmp/out" "$tmp/served.$format"
    "$sanx" check --rules "$tmp/rules" --format "$format" "$sample" >"$tmp/cli.$format" 2>/dev/null
    same "check $format: the same report as sanx check" "$tmp/served.$format" "$tmp/cli.$format"
    answered=$((answered + 22))
done
# One entity as a JSON line, as a payment system would send it.
printf '%s\n' '{"id":"kz-trader","name":"Kz Trader LLP","country":"KZ","goods":["854239"],"counterparties":[{"id":"ru-buyer","country":"RU","sectors":["defense"]}]}' >"$tmp/one.jsonl"
post "/v1/check?format=jsonl&as_of=2025-06-01" "$tmp/one.jsonl" application/x-ndjson
check "one entity: 200" test "$status" = 200
cp "$tmp/out" "$tmp/served.one"
"$sanx" check --rules "$tmp/rules" --as-of 2025-06-01 --format jsonl - <"$tmp/one.jsonl" >"$tmp/cli.one" 2>/dev/null
same "one entity: the same line as sanx check -" "$tmp/served.one" "$tmp/cli.one"
check "one entity: a verdict other than clear" grep -q '"verdict":"high"' "$tmp/served.one"
answered=$((answered + 1))
post "/v1/check?as_of=2020-01-01&because=false" "$sample"
check "as_of as a query parameter overrides the document's" grep -q '"as_of": "2020-01-01"' "$tmp/out"
check "because=false leaves out the witnesses" bash -c "grep -q '\"findings\"' '$tmp/out' && ! grep -q '\"fact\"' '$tmp/out'"
answered=$((answered + 22))

# ---- provenance and health ----------------------------------------------------------------
hash=$(sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p' "$tmp/cli.json" | head -1)
get /v1/ruleset
check "ruleset: the CLI's hash" grep -q "\"hash\": \"$hash\"" "$tmp/out"
check "ruleset: every pack with its version" grep -q '"id": "world"' "$tmp/out"
get /healthz
check "healthz: ok" grep -q '"status":"ok"' "$tmp/out"

# ---- bad requests -------------------------------------------------------------------------
printf '{bad\n' >"$tmp/bad.jsonl"
post /v1/check "$tmp/bad.jsonl" application/x-ndjson
check "invalid JSON: 400" test "$status" = 400
"$sanx" check --rules "$tmp/rules" --format json - <"$tmp/bad.jsonl" >/dev/null 2>"$tmp/cli.err"
/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rendered"], end="")' "$tmp/out" >"$tmp/served.err"
same "invalid JSON: the CLI's diagnostic, position and caret" "$tmp/served.err" "$tmp/cli.err"
printf 'entities: [\n' >"$tmp/bad.yaml"
post /v1/check "$tmp/bad.yaml"
check "broken YAML: 400 at its line" bash -c "[ $status = 400 ] && grep -q '<request>:2:1: error' '$tmp/out'"
post "/v1/check?as_of=2025-02-30" "$sample"
check "an impossible as_of: 400" bash -c "[ $status = 400 ] && grep -q 'as_of must be a date' '$tmp/out'"
post "/v1/check?format=xml" "$sample"
check "an unknown format: 400" test "$status" = 400
: >"$tmp/empty"
post /v1/check "$tmp/empty"
check "an empty body: 400" bash -c "[ $status = 400 ] && grep -q 'no body' '$tmp/out'"
head -c 9000000 /dev/zero | tr '\0' ' ' >"$tmp/big"
post /v1/check "$tmp/big" application/json
check "a body over --max-body: 413" bash -c "[ $status = 413 ] && grep -q 'max-body' '$tmp/out'"
get /v1/nothing
check "an unknown route: 404 with the routes" bash -c "[ $status = 404 ] && grep -q '/v1/check' '$tmp/out'"
get /v1/check
check "GET on a POST route: 404" test "$status" = 404
for format in json jsonl; do
    post "/v1/screen?format=$format" "$sample"
    check "screen $format without lists: 200" test "$status" = 200
    cp "$tmp/out" "$tmp/served.screen.$format"
    "$sanx" screen --rules "$tmp/rules" --format "$format" "$sample" >"$tmp/cli.screen.$format" 2>/dev/null
    same "screen $format without lists: what sanx screen prints" "$tmp/served.screen.$format" "$tmp/cli.screen.$format"
done
check "screen without lists: each party says there is nothing to screen against" \
    grep -q '"notes":\["no --lists given: nothing to screen against"\]' "$tmp/served.screen.jsonl"
post "/v1/screen?match_threshold=0.5&review_threshold=0.9" "$sample"
check "screen: thresholds out of order: 400" bash -c "[ $status = 400 ] && grep -q 'review_threshold <= match_threshold' '$tmp/out'"
post "/v1/screen?match_threshold=high" "$sample"
check "screen: a threshold that is not a number: 400" bash -c "[ $status = 400 ] && grep -q 'match_threshold must be a number' '$tmp/out'"
post "/v1/screen?format=text" "$sample"
check "screen: a format other than json or jsonl: 400" test "$status" = 400
post /v1/screen "$tmp/bad.jsonl" application/x-ndjson
/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rendered"], end="")' "$tmp/out" >"$tmp/served.err"
check "screen: invalid JSON: 400" test "$status" = 400
same "screen: invalid JSON: the CLI's diagnostic" "$tmp/served.err" "$tmp/cli.err"
post /v1/screen "$tmp/empty"
check "screen: an empty body: 400" bash -c "[ $status = 400 ] && grep -q 'no body' '$tmp/out'"
get /healthz
check "the server still answers after the bad requests" test "$status" = 200

# ---- reload -------------------------------------------------------------------------------
printf 'pack: broken\nversion: "1"\nrules: [\n' >"$tmp/rules/zz-broken.yaml"
post /v1/reload "$tmp/empty"
check "a broken pack: the reload is refused (422) with its position" \
    bash -c "[ $status = 422 ] && grep -q 'zz-broken.yaml:4' '$tmp/out'"
check "a broken pack: the old ruleset still named" grep -q "$hash" "$tmp/out"
kill -HUP $server
sleep 0.5
check "SIGHUP with a broken pack: logged, old ruleset kept" grep -q "reload failed; still serving ruleset $hash" "$tmp/serve.err"
post "/v1/check?format=jsonl&as_of=2025-06-01" "$tmp/one.jsonl" application/x-ndjson
check "a broken pack: checks still answered on the old ruleset" \
    bash -c "[ $status = 200 ] && grep -q '\"ruleset_hash\":\"$hash\"' '$tmp/out'"
answered=$((answered + 1))
rm "$tmp/rules/zz-broken.yaml"
printf '# amended\n' >>"$tmp/rules/un.yaml"
post /v1/reload "$tmp/empty"
check "a good pack: reloaded" bash -c "[ $status = 200 ] && grep -q '\"reloaded\": true' '$tmp/out'"
new_hash=$("$sanx" check --rules "$tmp/rules" --format json "$sample" 2>/dev/null | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p' | head -1)
check "a good pack: a new hash" test "$new_hash" != "$hash"
post "/v1/check?format=jsonl&as_of=2025-06-01" "$tmp/one.jsonl" application/x-ndjson
check "a good pack: checks answered on the new ruleset" grep -q "\"ruleset_hash\":\"$new_hash\"" "$tmp/out"
id=$(sed -n 's/^X-Request-Id: \([^[:space:]]*\).*/\1/p' "$tmp/head")
answered=$((answered + 1))
get /healthz
check "healthz: the new ruleset, generation 2 (two refused, one taken)" \
    bash -c "grep -q '$new_hash' '$tmp/out' && grep -q '\"generation\":2' '$tmp/out'"

# A request in flight across a reload finishes on the ruleset it started with: a body large
# enough to be still in flight a second later in any build (4,000 records were not, under ASan),
# then a reload with a changed pack while it is being checked; its answer carries the old
# hash, the next request's the new one.
/usr/bin/python3 -c 'import json
for i in range(12000):
    print(json.dumps({"id": f"slow-{i}", "name": f"Slow Trader {i}", "country": "KZ", "goods": ["854239"],
                      "counterparties": [{"id": f"slow-buyer-{i}", "country": "RU", "sectors": ["defense"]}]}))' >"$tmp/slow.jsonl"
slow=$(grep -c . "$tmp/slow.jsonl")
curl -s -o "$tmp/slow.out" -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/slow.jsonl" \
    "$url/v1/check?format=jsonl&as_of=2025-06-01" &
slow_pid=$!
sleep 1
printf '# amended again\n' >>"$tmp/rules/un.yaml"
post /v1/reload "$tmp/empty"
check "in flight: the reload is taken while the large request is answered" \
    bash -c "[ $status = 200 ] && kill -0 $slow_pid 2>/dev/null"
third_hash=$(sed -n 's/.*"ruleset_hash": "\([0-9a-f]*\)".*/\1/p' "$tmp/out")
wait $slow_pid
check "in flight: every record of the large request answered" test "$(wc -l <"$tmp/slow.out")" -eq "$slow"
check "in flight: the large request answered on the ruleset it started with" \
    bash -c "[ -n '$third_hash' ] && [ '$third_hash' != '$new_hash' ] && ! grep -qv '\"ruleset_hash\":\"$new_hash\"' '$tmp/slow.out'"
post "/v1/check?format=jsonl&as_of=2025-06-01" "$tmp/one.jsonl" application/x-ndjson
check "in flight: the next request answered on the new ruleset" grep -q "\"ruleset_hash\":\"$third_hash\"" "$tmp/out"
id=$(sed -n 's/^X-Request-Id: \([^[:space:]]*\).*/\1/p' "$tmp/head")
new_hash=$third_hash
answered=$((answered + slow + 1))

# ---- decision log -------------------------------------------------------------------------
check "decision log: one line per result" test "$(wc -l <"$tmp/decisions.jsonl")" -eq "$answered"
check "decision log: the request id, ruleset, entity, verdict and the rules that fired" \
    grep -qE "^\{\"request_id\":\"$id\",\"time\":\"[0-9T:.-]+Z\",\"ruleset_hash\":\"$new_hash\",\"lists\":\[\],\"as_of\":\"2025-06-01\",\"entity\":\"kz-trader\",\"verdict\":\"high\",\"fired\":\[\"" \
    "$tmp/decisions.jsonl"

# ---- a bounded load: a fixed number of requests, each answered ----------------------------
n=400
for _ in $(seq $n); do echo "url = \"$url/v1/check?format=jsonl&as_of=2025-06-01\""; done >"$tmp/urls"
curl -s --no-progress-meter --parallel --parallel-max 4 -X POST -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$tmp/one.jsonl" -w '%{http_code}\n' -o /dev/null -K "$tmp/urls" >"$tmp/codes"
check "load: $n requests, $n answers of 200" test "$(grep -c '^200$' "$tmp/codes")" -eq $n
answered=$((answered + n))
check "load: every decision logged" test "$(wc -l <"$tmp/decisions.jsonl")" -eq "$answered"
get /metrics
ok=$(sed -n 's/^sanx_http_requests_total{route="\/v1\/check",status="200"} //p' "$tmp/out")
check "metrics: every check counted ($ok)" test "${ok:-0}" -eq $((n + 3 + 1 + 1 + 1 + 1 + 2))
check "metrics: errors by route and status" grep -q 'sanx_http_errors_total{route="/v1/check",status="413"} 1' "$tmp/out"
check "metrics: a latency histogram" grep -q 'sanx_http_request_duration_seconds_bucket{route="/v1/check",le="+Inf"}' "$tmp/out"
check "metrics: reloads by outcome" bash -c "grep -q 'sanx_reloads_total{outcome=\"failed\"} 2' '$tmp/out' &&
    grep -q 'sanx_reloads_total{outcome=\"ok\"} 2' '$tmp/out'"

# ---- with --lists: checks and name screening as the CLI's -------------------------------
# A second server with a small list, and the real SDN file of 2024 when ../shared/data has
# it, which the server indexes once per snapshot and every request shares.
cat >"$tmp/list.jsonl" <<'JSONL'
{"id":"list-zala","type":"company","name":"LIMITED LIABILITY COMPANY ZALA AERO","aliases":["ООО ЗАЛА АЭРО"],"country":"RU","listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]}
{"id":"list-volga","type":"company","name":"Volga Holding","identifiers":[{"type":"inn","value":"7701000001"}],"listings":[{"authority":"OFAC","list":"SDN","program":"RUSSIA-EO14024","from":"2022-04-06"}]}
JSONL
cat >"$tmp/names.yaml" <<'YAML'
as_of: 2025-12-15
entities:
  - id: kz-drone-buyer
    name: Steppe Drones LLP
    country: KZ
    goods: ["880730"]
    counterparties:
      - {name: "ООО «Зала Аэро»", country: RU}
      - {name: Volga Trading, identifiers: [{type: inn, value: "7701000001"}]}
      - {name: Almaty Flowers LLP, country: KZ}
  - id: kz-volga-owned
    name: Volga Kazakhstan LLP
    country: KZ
    owners: [{id: list-volga, share: 60}]
YAML
lists=(--lists "$tmp/list.jsonl")
inputs=("$tmp/names.yaml")
sdn_csv=$src/../shared/data/ofac-sdn-2024-05-03/sdn.csv
if [ -f "$sdn_csv" ]; then
    "$sanx" import ofac-sdn "$sdn_csv" -o "$tmp/sdn.jsonl" 2>/dev/null
    lists+=(--lists "$tmp/sdn.jsonl")
    inputs+=("$src/samples/kazakhstan-real/entities.yaml")
else
    echo "note: no SDN 2024 file at $sdn_csv: --lists tested with a small list only"
fi
"$sanx" serve --rules "$tmp/rules" "${lists[@]}" --listen 127.0.0.1:0 2>"$tmp/lserve.err" &
lserver=$!
trap 'kill $server $lserver 2>/dev/null; rm -rf "$tmp"' EXIT
lport=$(port_of "$tmp/lserve.err") || exit 1
lurl=http://127.0.0.1:$lport
lpost() {  # lpost PATH BODY-FILE: as post, to the server with --lists
    status=$(curl -s -o "$tmp/out" -w '%{http_code}' -X POST -H "Content-Type: application/yaml" \
        --data-binary @"$2" "$lurl$1")
}
# Each format on the small input; on the real one (each CLI run reads the SDN file), one each.
for input in "${inputs[@]}"; do
    name=$(basename "$(dirname "$input")")/$(basename "$input")
    for formats in "json json" "jsonl jsonl"; do
        read -r cf sf <<<"$formats"
        [ "$input" != "$tmp/names.yaml" ] && [ "$cf" = json ] && cf=
        [ "$input" != "$tmp/names.yaml" ] && [ "$sf" = jsonl ] && sf=
        if [ -n "$cf" ]; then
            lpost "/v1/check?format=$cf&as_of=2025-12-15" "$input"
            cp "$tmp/out" "$tmp/served.lists.$cf"
            "$sanx" check --rules "$tmp/rules" "${lists[@]}" --as-of 2025-12-15 --format "$cf" "$input" \
                >"$tmp/cli.lists.$cf" 2>/dev/null
            check "--lists, $name: check $cf 200" test "$status" = 200
            same "--lists, $name: check $cf as sanx check --lists" "$tmp/served.lists.$cf" "$tmp/cli.lists.$cf" "$input"
        fi
        if [ -n "$sf" ]; then
            lpost "/v1/screen?format=$sf" "$input"
            cp "$tmp/out" "$tmp/served.screen.$sf"
            "$sanx" screen --rules "$tmp/rules" "${lists[@]}" --format "$sf" "$input" \
                >"$tmp/cli.screen.$sf" 2>/dev/null
            check "--lists, $name: screen $sf 200" test "$status" = 200
            same "--lists, $name: screen $sf as sanx screen --lists" "$tmp/served.screen.$sf" "$tmp/cli.screen.$sf" "$input"
        fi
    done
done
lpost "/v1/screen?format=jsonl" "$tmp/names.yaml"
check "screen: the Cyrillic name-only counterparty matches the list entry" \
    grep -q '"party":"entity.counterparties\[0\]","name":"ООО «Зала Аэро»".*"candidates":\[{"list_id":"list-zala".*"decision":"match"' "$tmp/out"
lpost "/v1/screen?format=jsonl&match_threshold=0.99&review_threshold=0.5&max_candidates=2" "$tmp/names.yaml"
cp "$tmp/out" "$tmp/served.screen.t"
"$sanx" screen --rules "$tmp/rules" "${lists[@]}" --format jsonl --match-threshold 0.99 --review-threshold 0.5 \
    --max-candidates 2 "$tmp/names.yaml" >"$tmp/cli.screen.t" 2>/dev/null
same "screen: thresholds and max_candidates as the CLI's options" "$tmp/served.screen.t" "$tmp/cli.screen.t" "$tmp/names.yaml"
lpost "/v1/check?format=jsonl&match_threshold=0.99&review_threshold=0.5" "$tmp/names.yaml"
cp "$tmp/out" "$tmp/served.check.t"
"$sanx" check --rules "$tmp/rules" "${lists[@]}" --format jsonl --match-threshold 0.99 --review-threshold 0.5 \
    "$tmp/names.yaml" >"$tmp/cli.check.t" 2>/dev/null
same "check: thresholds as the CLI's options" "$tmp/served.check.t" "$tmp/cli.check.t" "$tmp/names.yaml"
kill -TERM $lserver
wait $lserver

# ---- logging (every command) ------------------------------------------------------------
run check --rules "$tmp/rules" --format json "$sample"
check "default log level: nothing on stderr for a clean check" test ! -s "$tmp/err"
run check --log-level info --rules "$tmp/rules" --format json "$sample"
check "--log-level info: the phases with their times" bash -c "grep -qE '^sanx: info: load: 5 packs, ruleset [0-9a-f]+, in [0-9.]+ ms$' '$tmp/err' &&
    grep -q '^sanx: info: read: 22 records' '$tmp/err' && grep -q '^sanx: info: ownership: .*; evaluate: 22 records' '$tmp/err' &&
    grep -q '^sanx: info: write: json report' '$tmp/err'"
run --log-level info --log-format json check -j 300 --rules "$tmp/rules" --format jsonl "$sample"
check "--log-format json: one JSON object per line, warnings included" bash -c "
    /usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' '$tmp/err' &&
    grep -q '\"level\":\"warning\",\"message\":\"--jobs 300 is more than 256; using 256\"' '$tmp/err'"

# ---- stop ---------------------------------------------------------------------------------
kill -TERM $server
wait $server
rc=$?
check "SIGTERM: exit 0 once answered" bash -c "[ $rc = 0 ] && grep -q 'stopped' '$tmp/serve.err'"
finish
