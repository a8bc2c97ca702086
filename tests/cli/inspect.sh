#!/usr/bin/env bash
# CLI tests for `declass inspect`: JSON schema names on the seed cable, JSON Lines for several
# files, exit codes and one-line messages for every kind of bad input (never a crash).
set -u
BIN=$1; SRC=$2; TMP=$3
rm -rf "$TMP"; mkdir -p "$TMP"
SEED=$SRC/examples/state-1999-12-29-talbott-putin.txt
fail=0
check() { # check NAME EXPECTED_RC ACTUAL_RC
  if [ "$2" != "$3" ]; then echo "FAIL: $1: expected exit $2, got $3"; fail=1; else echo "ok: $1"; fi
}
contains() { # contains NAME FILE PATTERN
  if grep -q -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: '$3' not in output:"; head -5 "$2"; fail=1; fi
}

"$BIN" inspect "$SEED" --json --review-date 2026-11-28 >"$TMP/seed.json" 2>"$TMP/err"; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "FAIL: seed inspect exit $rc"; cat "$TMP/err"; fail=1; }
python3 - "$TMP/seed.json" <<'PY' || fail=1
import json, sys
j = json.loads(open(sys.argv[1]).read())
req = ["schema", "source", "identifiers", "banner", "computed_banner", "captions", "tags", "subject",
       "authority", "release", "paragraphs", "findings"]
missing = [k for k in req if k not in j]
assert not missing, f"missing keys {missing}"
assert j["schema"] == "declass.inspect/1"
for k in ["path", "sha256", "format", "pages"]: assert k in j["source"], k
for k in ["case_number", "doc_number", "message_ref", "dtg"]: assert k in j["identifiers"], k
for k in ["order", "classified_by", "derived_from", "reasons", "declassify_on"]: assert k in j["authority"], k
for k in ["status", "exemptions", "review_authority", "date"]: assert k in j["release"], k
p = j["paragraphs"][0]
for k in ["index", "number", "portion", "exemptions", "pages", "text", "source_lines"]: assert k in p, k
assert j["banner"]["classification"] == "S", j["banner"]
assert j["source"]["pages"] == 10, j["source"]["pages"]
assert j["identifiers"]["case_number"] == "F-2017-13804"
assert j["release"]["status"] == "RELEASE IN FULL"
assert j["authority"]["declassify_on"] == "2008-12-18"
numbered = [p for p in j["paragraphs"] if p["number"] and p["number"].isdigit()]
assert len(numbered) == 17, len(numbered)
for f in j["findings"]:
    for k in ["code", "severity", "message", "paragraph", "line"]: assert k in f, k
print("ok: seed JSON schema and facts")
PY

"$BIN" inspect "$SEED" "$SEED" --json --review-date 2026-11-28 >"$TMP/two.jsonl" 2>/dev/null
lines=$(wc -l <"$TMP/two.jsonl"); check "two files give two JSON lines" 2 "$lines"

"$BIN" inspect "$SEED" --review-date 2026-11-28 >"$TMP/human.txt" 2>&1
contains "human output names the banner" "$TMP/human.txt" "banner: SECRET"
contains "human output lists paragraph 17" "$TMP/human.txt" "17 "

"$BIN" inspect "$TMP/nope.txt" >"$TMP/out" 2>"$TMP/err"; check "missing file" 2 $?
contains "missing file message names the path" "$TMP/err" "nope.txt"
"$BIN" inspect "$TMP" >"$TMP/out" 2>"$TMP/err"; check "directory" 2 $?
contains "directory message" "$TMP/err" "is a directory"
: >"$TMP/empty.txt"; "$BIN" inspect "$TMP/empty.txt" >"$TMP/out" 2>"$TMP/err"; check "empty file" 2 $?
head -c 4096 /dev/urandom >"$TMP/bin.txt"; printf '\0' >>"$TMP/bin.txt"
"$BIN" inspect "$TMP/bin.txt" >"$TMP/out" 2>"$TMP/err"; check "binary file" 2 $?
truncate -s 51M "$TMP/huge.txt"; "$BIN" inspect "$TMP/huge.txt" >"$TMP/out" 2>"$TMP/err"; check "file over 50 MiB" 2 $?
contains "size message" "$TMP/err" "over the limit"
"$BIN" inspect "$SEED" "$TMP/nope.txt" --json >"$TMP/mixed" 2>/dev/null; check "one bad file among good ones" 2 $?
lines=$(wc -l <"$TMP/mixed"); check "bad file still reported as a JSON line" 2 "$lines"
"$BIN" inspect --bogus "$SEED" >"$TMP/out" 2>"$TMP/err"; check "unknown option" 1 $?
contains "usage hint" "$TMP/err" "--help"
"$BIN" inspect "$SEED" --review-date 2026-13-01 >"$TMP/out" 2>"$TMP/err"; check "bad review date" 1 $?
for f in "$TMP"/*.txt; do grep -q "Traceback\|terminate called\|Segmentation" "$TMP/err" && { echo "FAIL: crash text"; fail=1; }; done
exit $fail
