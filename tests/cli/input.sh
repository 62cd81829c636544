#!/usr/bin/env bash
# Inputs as they arrive from the field (issues 12 and 19): other encodings, stray bytes,
# spreadsheet CSV, raw OFAC files, empty standard input, impossible dates and expressions
# typed with a Cyrillic keyboard. No record vanishes, nothing aborts, and the exit status
# says what the summary says.
source "$(dirname "$0")/lib.sh" "$@"

lines() { wc -l <"$1" | tr -d ' '; }

check=("$sanx" check --as-of 2025-06-01 --format jsonl)

# ---- encodings -------------------------------------------------------------------------
# A Windows-1251 export: "Бел" is C1 E5 EB.
printf 'id,name,country,counterparties\nkz-a,Alpha,KZ,\nkz-b,\xc1\xe5\xeb,KZ,\n' >"$tmp/office.csv"
expect "a cp1251 CSV row is rejected in its place, not dropped: 2 in, 2 out, exit 2" 2 \
    'office.csv:3:6: error: byte 0xC1 is not valid UTF-8; record not evaluated' -- "${check[@]}" "$tmp/office.csv"
[ "$(lines "$tmp/out")" -eq 2 ] || fail "cp1251 rows: records out != records in"
grep -q '"entity":"kz-b","name":"???","line":3,"error":"byte 0xC1 is not valid UTF-8 (line 3, column 6)"' "$tmp/out" ||
    fail "the cp1251 row is not its error record"
grep -q -- '--encoding cp1251' "$tmp/err" || fail "no hint to give --encoding"

expect "--encoding cp1251 reads the same file as Cyrillic" 0 '"entity":"kz-b","name":"Бел","verdict":"clear"' -- \
    "${check[@]}" --encoding cp1251 "$tmp/office.csv"
[ -s "$tmp/err" ] && fail "--encoding cp1251 left diagnostics: $(head -1 "$tmp/err")"
expect "--encoding works for YAML documents too" 0 '"name":"Бел"' -- \
    bash -c 'printf "entities:\n  - {id: a, name: \xc1\xe5\xeb, country: KZ, counterparties: []}\n" >"$1/w.yaml"; "${@:2}" --encoding windows-1251 "$1/w.yaml"' _ "$tmp" "${check[@]}"
expect "an unknown --encoding is an error, nothing read" 2 "unknown encoding 'klingon'" -- \
    "${check[@]}" --encoding klingon "$tmp/office.csv"
[ -s "$tmp/out" ] && fail "an unknown encoding still evaluated records"

printf 'entities:\n  - {id: a, name: "A\xff", country: KZ, counterparties: []}\n  - {id: b, name: B, country: KZ, counterparties: []}\n' >"$tmp/ff.yaml"
expect "check --format json on a YAML file with a 0xFF byte: valid JSON, the record rejected" 2 \
    '"rejected": 1' -- "$sanx" check --as-of 2025-06-01 --format json "$tmp/ff.yaml"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null || fail "the JSON report is not JSON"

printf '\xef\xbb\xbf{"id":"a","country":"KZ","counterparties":[]}\n' >"$tmp/bom.jsonl"
expect "a UTF-8 byte order mark on line 1 of a .jsonl is skipped" 0 '"entity":"a","verdict":"clear"' -- "${check[@]}" "$tmp/bom.jsonl"
printf '\xef\xbb\xbfid,country,counterparties\na,KZ,\n' >"$tmp/bom.csv"
expect "and at the start of a CSV, whose first column is then 'id'" 0 '"entity":"a","verdict":"clear"' -- "${check[@]}" "$tmp/bom.csv"

# ---- CSV as spreadsheets write it --------------------------------------------------------
printf 'id,name,country,counterparties\r\nkz-a,"Alpha ""North""\r\nBranch",KZ,\r\nkz-b,Beta,KZ,\r\n' >"$tmp/excel.csv"
expect "a quoted cell over two lines is one record that keeps its first line" 0 \
    '"entity":"kz-a","name":"Alpha \\"North\\"\\nBranch","verdict"' -- "${check[@]}" "$tmp/excel.csv"
[ "$(lines "$tmp/out")" -eq 2 ] || fail "multi-line cell: expected 2 records, got $(lines "$tmp/out")"
printf 'id,name,country\nkz-a,A,KZ\nkz-b,"\n' >"$tmp/open.csv"
expect "a rejected multi-line record says where it started" 2 'open.csv:3:6: error: a quoted field is not closed' -- "${check[@]}" "$tmp/open.csv"

printf 'id;name;country;counterparties\nkz-a;Alpha, LLP;KZ;\n' >"$tmp/semi.csv"
expect "a ';'-delimited CSV with an id column is detected" 0 '"entity":"kz-a","name":"Alpha, LLP","verdict":"clear"' -- "${check[@]}" "$tmp/semi.csv"
printf 'ID;Name;Country\nkz-a;Alpha;KZ\n' >"$tmp/semi2.csv"
expect "a ';'-delimited CSV without one is one error with a hint" 2 "or by ';' when the header has no comma" -- "${check[@]}" "$tmp/semi2.csv"
[ "$(grep -c 'error:' "$tmp/err")" -eq 1 ] || fail "';' without id: expected one error, got $(grep -c 'error:' "$tmp/err")"

printf 'id,name\na,A\nb,"B"junk\nc,C\nd,"never closed\ne,E\n' >"$tmp/tok.csv"
expect "rows the tokenizer rejects are error records: 5 in, 5 out" 2 'tok.csv:3:6: error: text after a closing quote; record not evaluated' -- "${check[@]}" "$tmp/tok.csv"
[ "$(lines "$tmp/out")" -eq 5 ] || fail "tokenizer rows: expected 5 records, got $(lines "$tmp/out")"
[ "$(grep -c '"error":' "$tmp/out")" -eq 2 ] || fail "tokenizer rows: expected 2 error records"

# ---- raw OFAC files ----------------------------------------------------------------------
printf '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a' >"$tmp/sdn.csv"
expect "a raw OFAC SDN CSV as input says to import it first" 2 'this looks like an OFAC SDN CSV file: run `sanx import ofac-sdn .*sdn.csv` first' -- "${check[@]}" "$tmp/sdn.csv"
printf 'entities:\n  - {id: a, country: KZ, counterparties: []}\n' >"$tmp/ok.yaml"
expect "and as --lists too" 2 'this looks like an OFAC SDN CSV file: run `sanx import ofac-sdn' -- "${check[@]}" --lists "$tmp/sdn.csv" "$tmp/ok.yaml"
real=$src/../shared/data/ofac-sdn-2024-05-03/sdn.csv
if [ -f "$real" ]; then
    expect "the real SDN file given to --lists says the same" 2 'run `sanx import ofac-sdn' -- "${check[@]}" --lists "$real" "$tmp/ok.yaml"
fi

# ---- rejected records: where they came from, and the exit status -----------------------
printf '{"id":"a","country":"KZ","counterparties":[]}\n{"id":"b","owners":[{"id":"x","share":"nan"}]}\n{"id":"c","owners":[{"id":"x","share":"0x32"}]}\n' >"$tmp/shares.jsonl"
expect "share \"nan\" and \"0x32\" are rejected, not read as NaN or 50" 2 "'share' must be a percentage from 0 to 100, not 'nan'" -- "${check[@]}" "$tmp/shares.jsonl"
[ "$(grep -c '"error":"'"'"'share'"'"' must be' "$tmp/out")" -eq 2 ] || fail "nan/0x32 shares: expected 2 error records"
grep -q '"entity":"b","line":2,"error":.*"file":"[^"]*shares.jsonl"' "$tmp/out" || fail "the JSON error record lacks its file"
expect "the text report names the file and line of a rejected record, and the summary counts it" 2 \
    "b  REJECTED  'share' must be a percentage from 0 to 100, not 'nan' \(.*shares.jsonl:2\)" -- \
    "$sanx" check --as-of 2025-06-01 --format text "$tmp/shares.jsonl"
grep -q '2 rejected' "$tmp/out" || fail "the summary does not count 2 rejected"

# ---- standard input ----------------------------------------------------------------------
expect "an empty standard input reads no record, and says so" 0 'warning: no records read from <stdin>' -- \
    bash -c '"$@" - </dev/null' _ "${check[@]}"
expect "a closed standard input too" 0 'warning: no records read from <stdin>' -- \
    bash -c '"$@" - <&-' _ "${check[@]}"

# ---- dates -------------------------------------------------------------------------------
for d in 2025-02-30 2025-13-01 2023-02-29; do
    expect "--as-of $d is refused before anything runs" 2 "as-of must be a date YYYY-MM-DD, not '$d'" -- \
        "$sanx" check --as-of "$d" --format jsonl "$tmp/ok.yaml"
    [ -s "$tmp/out" ] && fail "--as-of $d: records were evaluated"
done
expect "--as-of 2024-02-29 is a date" 0 '"as_of":"2024-02-29"' -- "$sanx" check --as-of 2024-02-29 --format jsonl "$tmp/ok.yaml"
expect "sanx eval --as-of 2025-02-30 is refused too" 2 "not '2025-02-30'" -- "$sanx" eval --as-of 2025-02-30 "1"
expect "sanx explain --as-of 2025-02-30 is refused too" 2 "not '2025-02-30'" -- \
    "$sanx" explain --as-of 2025-02-30 --entity x "$tmp/ok.yaml"
expect "sanx graph --as-of 2025-02-30 is refused too" 2 "not '2025-02-30'" -- \
    "$sanx" graph --as-of 2025-02-30 --entity x "$tmp/ok.yaml"
mkdir -p "$tmp/datepack"
sed -n '1,/^tests:/p' "$src/rules/un.yaml" > "$tmp/datepack/un.yaml"
cat >> "$tmp/datepack/un.yaml" <<'YAML'
  - name: a case on a day that does not exist
    as_of: 2025-02-30
    entities: [{id: a, name: A, type: company, country: KZ}]
    expect: {a: {verdict: clear}}
YAML
expect "sanx test: a case with as_of 2025-02-30 is an error at its line" 2 "un.yaml:[0-9]+:[0-9]+: .*as_of must be a date" -- \
    "$sanx" test --rules "$src/rules/world.yaml" "$tmp/datepack"

# ---- numbers where the checker expects strings and doubles ----------------------------
printf 'entities:\n  - {id: a, identifiers: [{type: tax_id, value: 1841015504}], counterparties: [{id: x, volume: 1000000}]}\n' >"$tmp/num.yaml"
expect "sanx eval: an identifier written as a number is a string of its digits" 0 '^true$' -- \
    "$sanx" eval --entity "$tmp/num.yaml:a" "entity.identifiers[0].value.startsWith('18')"
expect "sanx eval: a whole volume is a double, arithmetic on it runs" 0 '^1\.5e\+06$' -- \
    "$sanx" eval --entity "$tmp/num.yaml:a" "entity.counterparties[0].volume * 1.5"
printf 'entities:\n  - {id: a, identifiers: [{type: tax_id, value: {x: 1}}]}\n' >"$tmp/idmap.yaml"
expect "an identifier value that is a mapping rejects its record at the value" 2 \
    "idmap.yaml:2:49: error: 'value' must be a string; record not evaluated" -- "${check[@]}" "$tmp/idmap.yaml"

# ---- expressions: never abort ------------------------------------------------------------
expect "a Cyrillic а in an expression is a syntax error at its column, not an abort" 2 \
    "<expr>:1:9: error: unexpected character 'а' \(U\+0430, a Cyrillic letter\)" -- "$sanx" eval "entity.nаme"
grep -q '^          \^$' "$tmp/err" || fail "the caret is not under the Cyrillic а: $(cat "$tmp/err")"
expect "the caret lines up after multi-byte text" 2 "unknown variable 'x'" -- "$sanx" eval "'Сбербанк' == x"
grep -q '^                \^$' "$tmp/err" || fail "the caret is not under x: $(cat "$tmp/err")"
expect "a byte that is not UTF-8 inside a string is an error" 2 'byte 0xFF is not valid UTF-8' -- "$sanx" eval "$(printf "'\xff'")"
cp -r "$src/rules" "$tmp/rules"
sed -i '0,/\(when: ".*\) && /s//\1\xc2\xa0\&\& /' "$tmp/rules/us.yaml"
grep -q $'\xc2\xa0' "$tmp/rules/us.yaml" || fail "could not put a no-break space into us.yaml"
expect "a no-break space in a pack's when: is an error with its position, not an abort" 2 \
    'us.yaml:[0-9]+:[0-9]+: error: unexpected no-break or other Unicode space \(U\+00A0\)' -- \
    "$sanx" check --rules "$tmp/rules" "$tmp/ok.yaml"
expect "and lint says the same" 2 'unexpected no-break or other Unicode space' -- "$sanx" lint "$tmp/rules"

finish
