#!/usr/bin/env bash
# The screening workload of ../shared/bench (WORKLOAD.md) through sanx and through its
# hand-written C++ baseline, in one sitting: counts must agree (tally.py), then each command
# is timed RUNS times (median) with /usr/bin/time -v for peak RSS, and the table gives
# entities/s, the ratio to the baseline, peak RSS and the input size.
#
#   bench/workload/run.sh              # 100k (agreement checked at 10k first)
#   BENCH_BIG=1 bench/workload/run.sh  # and 1M
#
# Environment: SANX (a sanx binary to time instead of building build/release), SANX_BENCH_DIR (the shared bench folder, default ../shared/bench beside the
# checkout), RUNS (default 3), BENCH_SIZES (default "100k", "100k 1m" with BENCH_BIG=1).
# Everything generated or built goes to build/: bench-data/, bench-baseline/, release/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SRC=${SANX_BENCH_DIR:-$ROOT/../shared/bench}
RUNS=${RUNS:-3}
SIZES=${BENCH_SIZES:-100k${BENCH_BIG:+ 1m}}
PY=/usr/bin/python3
HERE=bench/workload
DATA=build/bench-data
OUT=build/bench-out
SANX=${SANX:-}
BASE=build/bench-baseline/baseline
[ -f "$SRC/gen_workload.py" ] || { echo "run.sh: no bench folder at $SRC (set SANX_BENCH_DIR)" >&2; exit 2; }
mkdir -p "$DATA" "$OUT"

echo "== building the baseline (Release)${SANX:+ (sanx given: $SANX)}"
cmake -S "$SRC/baseline" -B build/bench-baseline -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/bench-baseline >/dev/null
if [ -z "$SANX" ]; then
    echo "== building sanx (Release)"
    cmake --preset release >/dev/null
    cmake --build --preset release --target sanx >/dev/null
    SANX=build/release/engine/sanx
fi

prepare() {  # SIZE: generate (deterministic, so only once) and convert
    local d=$DATA/$1
    [ -s "$d/entities.jsonl" ] || "$PY" "$SRC/gen_workload.py" --n "$1" --out "$d" >&2
    [ "$d/sanx.jsonl" -nt "$d/entities.jsonl" ] && [ "$d/sanx.jsonl" -nt "$HERE/convert.py" ] ||
        "$PY" "$HERE/convert.py" "$d"
}

TIMES=$OUT/times.tsv
EVALS=$OUT/evals.tsv
: >"$TIMES"
: >"$EVALS"
timed() {  # SIZE LABEL OUTFILE CMD...: RUNS runs, one line per run in $TIMES
    local size=$1 label=$2 out=$3; shift 3
    for i in $(seq "$RUNS"); do
        /usr/bin/time -v -o "$OUT/time.txt" "$@" >"$out" 2>"$OUT/stderr.txt" || {
            local rc=$?; [ "$rc" -le 1 ] || { echo "run.sh: $label failed ($rc)" >&2; tail "$OUT/stderr.txt" >&2; exit 1; }; }
        "$PY" - "$OUT/time.txt" "$size" "$label" >>"$TIMES" <<'PYEOF'
import sys
t = dict(l.strip().rsplit(": ", 1) for l in open(sys.argv[1]) if ": " in l)
w = t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
s = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
print("%s\t%s\t%.3f\t%d\t%s\t%s" % (sys.argv[2], sys.argv[3], s, int(t["Maximum resident set size (kbytes)"]),
                                    t["User time (seconds)"], t["System time (seconds)"]))
PYEOF
        # sanx says how long the rules took with the input in memory (evaluation alone,
        # less the writing of streamed results): EVALS gets size, label, ms.
        sed -n 's/.*evaluate: [0-9]* records in \([0-9.]*\) ms.*/\1/p' "$OUT/stderr.txt" |
            while read -r ms; do echo -e "$size\t$label\t$ms" >>"$EVALS"; done
    done
}

echo "== agreement at 10k"
prepare 10k
"$BASE" "$DATA/10k" >"$OUT/baseline-10k.txt" 2>/dev/null
"$SANX" check --rules "$HERE/pack.yaml" --lists "$DATA/10k/lists.jsonl" --as-of 2026-01-01 \
    --format jsonl "$DATA/10k/sanx.jsonl" >"$OUT/sanx-10k.jsonl" 2>"$OUT/stderr.txt" || [ $? -le 1 ]
"$PY" "$HERE/tally.py" "$OUT/sanx-10k.jsonl" "$OUT/baseline-10k.txt" >/dev/null

for size in $SIZES; do
    prepare "$size"
    d=$DATA/$size
    echo "== $size: timing $RUNS runs each (load before: $(uptime | sed 's/.*load average/load average/'))"
    timed "$size" baseline "$OUT/baseline-$size.txt" "$BASE" "$d"
    check=("$SANX" check --rules "$HERE/pack.yaml" --lists "$d/lists.jsonl" --as-of 2026-01-01 --format jsonl
        --log-level info)
    timed "$size" "sanx --jobs 1" "$OUT/sanx-$size-j1.jsonl" "${check[@]}" --jobs 1 "$d/sanx.jsonl"
    timed "$size" "sanx --jobs 2" "$OUT/sanx-$size-j2.jsonl" "${check[@]}" --jobs 2 "$d/sanx.jsonl"
    timed "$size" "sanx --jobs 2 --no-because" "$OUT/sanx-$size-nb.jsonl" \
        "${check[@]}" --jobs 2 --no-because "$d/sanx.jsonl"
    "$PY" "$HERE/tally.py" "$OUT/sanx-$size-j2.jsonl" "$OUT/baseline-$size.txt" >"$OUT/tally-$size.txt" ||
        { cat "$OUT/tally-$size.txt"; exit 1; }
    cmp -s "$OUT/sanx-$size-j1.jsonl" "$OUT/sanx-$size-j2.jsonl" ||
        { echo "run.sh: $size: --jobs 1 and --jobs 2 write different output" >&2; exit 1; }
    # Time to the first result: standard input, the clock stops when the first line arrives.
    t0=$(date +%s.%N)
    # (sanx ends on SIGPIPE once the reader has gone: not a failure)
    ttfr=$({ "${check[@]}" --jobs 2 - <"$d/sanx.jsonl" 2>/dev/null || true; } |
        "$PY" -c 'import sys, time; sys.stdin.readline(); print("%.2f" % (time.time() - float(sys.argv[1])))' "$t0")
    echo -e "$size\tttfr\t$ttfr\t0\t0\t0" >>"$TIMES"
    echo "   counts agree with the baseline; --jobs 1 and 2 write the same bytes"
done

echo "== 10,000 generated rules: load and check the Kazakhstan sample (wall s, $RUNS runs)"
"$PY" "$HERE/many_rules.py" 10000 >"$DATA/many-rules.yaml"
for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e" -o "$OUT/time.txt" "$SANX" check --rules rules --rules "$DATA/many-rules.yaml" \
        --as-of 2026-01-01 --format jsonl samples/kazakhstan/entities.yaml >/dev/null 2>&1 || [ $? -le 1 ]
    echo "   $(tail -1 "$OUT/time.txt") s"
done

echo "== results (median of $RUNS; machine load now: $(uptime | sed 's/.*load average/load average/'))"
"$PY" "$HERE/table.py" "$TIMES" "$DATA" "$OUT" "$EVALS"
