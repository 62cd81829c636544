#!/usr/bin/env bash
# Replays every input the fuzzers found (tests/hostile/fuzz/TARGET-NAME.EXT, docs/fuzzing.md)
# through the sanx commands a user would run on such a file, and asserts that each ends with
# exit 0, 1 or 2: never a signal (exit >= 128), a hang or a sanitizer's exit.
#
#   tests/hostile/replay.sh SANX SOURCE_DIR
#
# known_failures.txt beside the inputs lists those that still crash (`FILE  reason`): they
# are reported, not failed; one that no longer crashes fails the run until it is taken off
# the list, so that the list stays honest and the fixed input becomes a regression test.
set -uo pipefail

sanx=${1:?usage: replay.sh SANX SOURCE_DIR}
src=${2:?usage: replay.sh SANX SOURCE_DIR}
dir="$src/tests/hostile/fuzz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A sanitizer report must not pass for an ordinary error exit (ASan's default is 1).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}abort_on_error=1:halt_on_error=1"

# The entities the pack target checks its packs against (tests/fuzz/pack_fuzz.cpp).
cat >"$tmp/entities.yaml" <<'EOF'
as_of: 2025-06-01
entities:
  - {id: listed, name: Listed Co, type: company, country: RU, sectors: [banking, defense],
     goods: ["854231"], counterparties: [],
     listings: [{authority: OFAC, list: SDN, program: RUSSIA-EO14024, from: 2022-04-06},
                {authority: UN, list: UN SC Consolidated, from: 2017-08-05}]}
  - {id: owned, name: Owned LLP, type: company, country: KZ, sectors: [logistics],
     goods: ["100199"], counterparties: [{id: listed, role: customer}], listings: [],
     owners: [{id: listed, share: 50}], controllers: [{id: person, basis: board}]}
  - {id: trader, name: Trader Inc, type: company, country: US, sectors: [electronics],
     goods: ["854231", "8542"], counterparties: [{id: owned}, {id: elsewhere, country: CN}],
     listings: []}
  - {id: person, name: Иван Петров, type: person, country: BY, counterparties: [],
     listings: [{authority: EU, list: FSF, from: 2022-03-01}]}
EOF

declare -A known=()
if [ -f "$dir/known_failures.txt" ]; then
    while read -r file reason; do
        [[ -z "$file" || "$file" == \#* ]] && continue
        known[$file]=$reason
    done <"$dir/known_failures.txt"
fi

crashed=""  # the first command of the current input that did not end in 0, 1 or 2
run() {
    local rc
    # In a subshell, so that the shell's own "Aborted" line stays out of the test's output.
    (
        timeout 120 "$@" >/dev/null 2>"$tmp/stderr" </dev/null
        exit $?
    ) 2>/dev/null
    rc=$?
    if [ "$rc" -gt 2 ] && [ -z "$crashed" ]; then
        crashed="exit $rc from: ${*#"$sanx"}"
        [ "$rc" -eq 124 ] && crashed="timed out (120 s): ${*#"$sanx"}"
        crashed+=$'\n'"$(grep -m3 -aE 'ERROR|Assertion|terminate|runtime error|what\(\)' "$tmp/stderr")"
    fi
}

# The OFAC inputs hold the tables cut at 0x1E (tests/fuzz/import_fuzz.cpp).
split_tables() {
    local file=$1 out=$2
    shift 2
    mkdir -p "$out"
    awk -v RS='\x1e' -v out="$out" -v names="$*" \
        'BEGIN { n = split(names, name, " ") } NR <= n { printf "%s", $0 > (out "/" name[NR]) }' "$file"
}

replay() {
    local file=$1 target=$2 work="$tmp/work"
    rm -rf "$work" && mkdir -p "$work"
    case "$target" in
        expression)
            run "$sanx" eval --as-of 2025-06-01 -- "$(tr -d '\0' <"$file")" ;;
        pack)
            cp "$file" "$work/pack.yaml"
            run "$sanx" test --coverage "$work/pack.yaml"
            for f in text json; do
                run "$sanx" check --rules "$work/pack.yaml" --as-of 2025-06-01 --format $f "$tmp/entities.yaml"
            done ;;
        lint)
            for f in text json sarif; do
                run "$sanx" lint --today 2025-06-01 --format $f "$file"
            done ;;
        fmt)
            cp "$file" "$work/pack.yaml"
            run "$sanx" fmt --check "$work/pack.yaml"
            run "$sanx" fmt "$work/pack.yaml"
            run "$sanx" lint --today 2025-06-01 "$work/pack.yaml" ;;
        entities_document | entities_jsonl | entities_csv)
            local ext=yaml
            [ "$target" = entities_jsonl ] && ext=jsonl
            [ "$target" = entities_csv ] && ext=csv
            cp "$file" "$work/entities.$ext"
            for f in text json jsonl md html; do
                run "$sanx" check --as-of 2025-06-01 --explain --format $f "$work/entities.$ext"
            done ;;
        import_ofac_sdn | import_ofac_consolidated | import_ftm | import_un_xml)
            local format files
            case "$target" in
                import_ofac_sdn)
                    format=ofac-sdn
                    split_tables "$file" "$work/in" sdn.csv add.csv alt.csv sdn_comments.csv ;;
                import_ofac_consolidated)
                    format=ofac-consolidated
                    split_tables "$file" "$work/in" cons_prim.csv cons_add.csv cons_alt.csv cons_comments.csv ;;
                import_ftm)
                    format=ftm
                    mkdir -p "$work/in" && cp "$file" "$work/in/entities.ftm.json" ;;
                import_un_xml)
                    format=un-xml
                    mkdir -p "$work/in" && cp "$file" "$work/in/UN_consolidated.xml" ;;
            esac
            mapfile -t files < <(ls -d "$work"/in/*)
            run "$sanx" import "$format" "${files[@]}" -o "$work/out.jsonl"
            [ -f "$work/out.jsonl" ] && run "$sanx" check --as-of 2025-06-01 --format json "$work/out.jsonl" ;;
        *)
            crashed="no replay for target '$target' (name the file TARGET-NAME.EXT)" ;;
    esac
}

pass=0 fail=0 still=0
for file in "$dir"/*; do
    name=$(basename "$file")
    [ "$name" = known_failures.txt ] && continue
    crashed=""
    replay "$file" "${name%%-*}"
    if [ -n "${known[$name]+x}" ]; then
        if [ -n "$crashed" ]; then
            still=$((still + 1))
            echo "known: $name (${known[$name]})"
        else
            fail=$((fail + 1))
            echo "FIXED: $name no longer crashes; remove it from known_failures.txt"
        fi
        unset "known[$name]"
    elif [ -n "$crashed" ]; then
        fail=$((fail + 1))
        echo "FAIL: $name: $crashed"
    else
        pass=$((pass + 1))
    fi
done
for name in "${!known[@]}"; do
    fail=$((fail + 1))
    echo "FAIL: known_failures.txt lists $name, which is not in $dir"
done
echo "$pass passed, $fail failed, $still known failures still crash"
[ "$fail" -eq 0 ]
