#!/usr/bin/env bash
# Runs the libFuzzer targets for a shared time budget (docs/fuzzing.md); `make fuzz` calls it.
#
#   tests/fuzz/run.sh BUILD_DIR TOTAL_SECONDS [TARGET...]
#
# Each target (default: all) runs for TOTAL_SECONDS divided by the number of targets, on
# BUILD_DIR/corpus/TARGET (where new inputs are kept between runs) seeded from
# tests/fuzz/corpus/, with its dictionary (each target sets its own -max_len). One line per
# target gives the executions and libFuzzer's final coverage (`#N DONE cov: X ft: Y`); a
# target that crashes, leaks, trips a sanitizer or an assertion, times out or runs out of
# memory prints the report's summary, the first frame in sanx's code and where the input
# was saved, and the script exits 1 once every target has run.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR TOTAL_SECONDS [TARGET...]}
total=${2:?usage: run.sh BUILD_DIR TOTAL_SECONDS [TARGET...]}
shift 2

# target                  seed corpus               dictionary
table="
expression                expression                cel.dict
pack                      pack                      pack.dict
lint                      pack                      pack.dict
fmt                       pack                      pack.dict
entities_document         entities_document         entities.dict
entities_jsonl            entities_jsonl            entities.dict
entities_csv              entities_csv              entities.dict
import_ofac_sdn           import_ofac_sdn           ofac.dict
import_ofac_consolidated  import_ofac_consolidated  ofac.dict
import_ftm                import_ftm                ftm.dict
import_un_xml             import_un_xml             un_xml.dict
screen                    screen                    screen.dict"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(awk 'NF {print $1}' <<<"$table")
fi
share=$((total / ${#targets[@]}))
[ "$share" -ge 1 ] || share=1

failed=()
for t in "${targets[@]}"; do
    row=$(awk -v t="$t" '$1 == t' <<<"$table")
    read -r _ seeds dict <<<"$row"
    bin="$build/tests/fuzz/sanx_fuzz_$t"
    if [ -z "${seeds:-}" ] || [ ! -x "$bin" ]; then
        echo "fuzz $t: no such target (or not built: $bin)"
        failed+=("$t")
        continue
    fi
    corpus="$build/corpus/$t"
    artifacts="$build/artifacts/$t"
    log="$build/logs/$t.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    UBSAN_OPTIONS=print_stacktrace=1 "$bin" -max_total_time="$share" -timeout=10 \
        -rss_limit_mb=2048 -dict="$here/$dict" -artifact_prefix="$artifacts/" \
        -print_final_stats=1 "$corpus" "$here/corpus/$seeds" >"$log" 2>&1
    rc=$?
    done_line=$(grep -aE '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
    if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
        # "#123	DONE   cov: 45 ft: 67 corp: 8/9Kb ..." -> "123 executions, cov 45, ft 67"
        sed -E 's/^#([0-9]+)[[:space:]]+DONE[[:space:]]+cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 \2 \3 \4/' \
            <<<"$done_line" | {
            read -r execs cov ft corp
            echo "fuzz $t: $execs executions in ${share} s, cov $cov, ft $ft, corpus $corp inputs"
        }
    else
        if grep -aq INITED "$log"; then
            when="after $(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#') executions"
        else
            when="on a seed"
        fi
        echo "fuzz $t: FAILED (exit $rc) $when; log $log"
        grep -aE '^(SUMMARY|==[0-9]+==ERROR|terminate called|  what\(\)|.*runtime error:|.*Assertion .* failed|artifact_prefix=)' \
            "$log" | head -6 | sed 's/^/    /'
        # The first frame in sanx's own code: where to look.
        grep -aE '^ +#[0-9]+ 0x[0-9a-f]+ in .* [^ ]*(engine|tests/fuzz)/[^ ]+:[0-9]+' "$log" | head -1 |
            sed -E 's/^ +#[0-9]+ 0x[0-9a-f]+ in (.{0,100}).* ([^ ]*(engine|tests\/fuzz)\/[^ ]+)$/    at \2 in \1/; s#at [^ ]*/\.\./\.\./#at #'
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}"
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran clean for ${share} s each"
