# Shared by the CLI test scripts: `source "$(dirname "$0")/lib.sh" SANX SRC`.
# Sets $sanx, $src and a scratch $tmp (removed on exit), counts checks, and ends with the
# line "N passed, N failed" that ctest and CI read (call finish last).
set -u
sanx=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
rc=0

expect() {  # expect NAME WANT_RC GREP_PATTERN_IN_OUTPUT -- command...
    local name=$1 want=$2 pattern=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; sed 's/^/  /' "$tmp/err" | head -20; failed=$((failed + 1)); return
    fi
    if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$tmp/out" "$tmp/err"; then
        echo "FAIL $name: output lacks /$pattern/"; head -20 "$tmp/out" "$tmp/err" | sed 's/^/  /'; failed=$((failed + 1)); return
    fi
    passed=$((passed + 1))
}

run() {  # run ARGS...: sanx's standard output in $tmp/out, standard error in $tmp/err, exit code in $rc
    "$sanx" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

check() {  # check NAME CONDITION-COMMAND...: counts the condition, shows the last run on failure
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAIL $name (exit $rc)"
        head -c 1500 "$tmp/out" | sed 's/^/  out: /'
        head -c 1500 "$tmp/err" | sed 's/^/  err: /'
        failed=$((failed + 1))
    fi
}

fail() { echo "FAIL $1"; failed=$((failed + 1)); }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
