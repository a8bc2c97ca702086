#!/usr/bin/env bash
# CLI test of the review workflow: init, users, case (due date), import (inspect + recommend),
# review show/decide/accept, submit/approve/return with every refusal (illegal transitions, roles,
# separation of duties, missing exemption), --db handling and clear errors for bad store files.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 1
export DECLASS_DB="$WORK/declass.db"
export SOURCE_DATE_EPOCH=1764331200   # 2025-11-28T12:00:00Z
CABLE="$SRC/examples/state-1999-12-29-talbott-putin.txt"
POLICY="$SRC/policies/default.toml"
OUT="$WORK/out"; ERR="$WORK/err"

fail() { echo "FAIL: $*" >&2; echo "--- stdout:" >&2; cat "$OUT" >&2; echo "--- stderr:" >&2; cat "$ERR" >&2; exit 1; }
# run WANT_RC cmd...: run declass, check the exit code
run() { local want=$1; shift; "$BIN" "$@" >"$OUT" 2>"$ERR"; local rc=$?; [ "$rc" -eq "$want" ] || fail "declass $* exited $rc, expected $want"; }
err_has() { grep -q -- "$1" "$ERR" || fail "stderr lacks '$1'"; }

# No store yet: a clear error, and no file created.
run 2 review show D1
err_has "no declass store"
[ ! -e "$DECLASS_DB" ] || fail "a store was created by a read command"

run 0 init --json
[ "$(jq -r .created "$OUT")" = true ] || fail "init did not report creation"
run 0 init
grep -q "already initialised" "$OUT" || fail "second init not idempotent"

run 0 user add root --role admin
run 0 user add alice --role reviewer --as root
run 0 user add bob --role authority --as root
run 0 user add carol --role authority --as root
run 0 user add dave --role auditor --as root --json
[ "$(jq -r .role "$OUT")" = auditor ] || fail "user add --json"
run 2 user add eve --role admin --as alice
err_has "cannot add users"
run 1 user add eve --role emperor --as root

run 0 case create F-2017-13804 --requester "Wilson Center" --received 2017-05-01 --policy "$POLICY" --as alice --json
# 2017-05-01 + 20 working days, skipping Memorial Day 2017-05-29 → 2017-05-30 (counted by hand).
[ "$(jq -r .due "$OUT")" = 2017-05-30 ] || fail "due date"
run 2 case create F-2017-13804 --requester X --received 2017-05-01 --policy "$POLICY"
err_has "already exists"
run 0 case list --json
[ "$(jq '.cases | length' "$OUT")" = 1 ] || fail "case list"

run 0 import F-2017-13804 "$CABLE" --doc-no C06551526 --as alice --json
[ "$(jq -r .id "$OUT")" = D1 ] || fail "first document is not D1"
[ "$(jq -r .source_sha256 "$OUT")" = "$(sha256sum "$CABLE" | cut -d' ' -f1)" ] || fail "source sha256"
run 2 import F-2017-13804 "$CABLE" --doc-no C06551526 --as alice
err_has "already imported"
run 2 import F-2017-13804 "$CABLE" --doc-no C2 --as dave
err_has "auditor"
run 0 case show F-2017-13804 --json
[ "$(jq -r '.documents[0].status' "$OUT")" = imported ] || fail "status after import"

run 0 review show D1 --json
NPARA=$(jq '.paragraphs | length' "$OUT")
[ "$NPARA" -gt 3 ] || fail "too few paragraphs ($NPARA)"
# A body paragraph with enough text for a span, and a word that occurs exactly once in it.
P=$(jq '[.paragraphs[] | select((.text | length) > 60)][0].index' "$OUT")
TEXT=$(jq -r --argjson p "$P" '.paragraphs[] | select(.index == $p) | .text' "$OUT")
WORD=$(printf '%s\n' "$TEXT" | tr -c 'A-Za-z\n' '\n' | awk 'length($0) >= 5' | sort | uniq -u | head -1)
[ -n "$WORD" ] || fail "no unique word in paragraph $P"
run 0 review show C06551526       # by document number
grep -q "status imported" "$OUT" || fail "text view"

# Refusals before any review.
run 2 approve D1 --as bob
err_has "cannot approve: it is imported"
run 2 submit D1 --as alice
err_has "cannot submit: it is imported"
run 2 return D1 --as bob --comment "no"
err_has "cannot return: it is imported"
run 2 review decide D1 --para "$P" --action withhold --reason "sources" --as alice
err_has "at least one exemption code"
run 2 review decide D1 --para "$P" --action withhold --exemption b1 --as alice
err_has "justification"
run 2 review decide D1 --para "$P" --action refer --as alice
err_has "must name the agency"
run 1 review decide D1 --para "$P" --action withhold --exemption b99 --reason x --as alice
err_has "unknown exemption code"
run 2 review decide D1 --para "$P" --action release --as dave
err_has "role auditor cannot record decisions"
run 1 review decide D1 --para 9999 --action release --as alice
err_has "no such paragraph"
run 1 review decide D1 --para "$P" --action redact --span "no such text here" --exemption b6 --reason x --as alice
err_has "not found"
run 1 review decide D1 --para "$P" --action redact --exemption b6 --reason x --as alice
err_has "add --span"

# Accept the recommendations; decide what they leave open.
"$BIN" review accept D1 --as alice --json >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "review accept exited $rc"
for p in $(jq -r '.needs_decision[]' "$OUT"); do
  run 0 review decide D1 --para "$p" --action release --as alice
done
run 0 review decide D1 --para "$P" --action redact --span "$WORD" --exemption 'b6,b7(c)' --reason "privacy of a named person" --as bob --json
[ "$(jq -r .follows_recommendation "$OUT")" = false ] || [ "$(jq -r .follows_recommendation "$OUT")" = true ] || fail "decide json"
[ "$(jq -r '.exemptions | join(" ")' "$OUT")" = "(b)(6) (b)(7)(C)" ] || fail "exemptions not canonical"
[ "$(jq -r .span.text "$OUT")" = "$WORD" ] || fail "span text"
run 0 review show D1 --json
[ "$(jq -r .document.status "$OUT")" = in_review ] || fail "status after decisions"
jq -e --argjson p "$P" '.paragraphs[] | select(.index == $p) | .effective.action == "redact"' "$OUT" >/dev/null || fail "effective redact"

run 2 approve D1 --as bob
err_has "cannot approve: it is in_review"
run 2 submit D1 --as dave
err_has "auditor"
run 0 submit D1 --as alice --json
[ "$(jq -r .status "$OUT")" = submitted ] || fail "submit json"
run 2 review decide D1 --para "$P" --action release --as alice
err_has "it is submitted"
run 2 submit D1 --as alice
err_has "cannot submit: it is submitted"
run 2 approve D1 --as alice
err_has "requires authority"
run 2 approve D1 --as bob        # bob decided on D1
err_has "separation of duties"
run 1 return D1 --as carol       # --comment is required
run 0 return D1 --as carol --comment "paragraph $P: check the name"
run 2 approve D1 --as carol
err_has "cannot approve: it is returned"
run 0 submit D1 --as alice
run 0 approve D1 --as carol --json
[ "$(jq -r .status "$OUT")" = approved ] || fail "approve json"
run 2 approve D1 --as carol
err_has "already approved"
run 2 review decide D1 --para "$P" --action release --as alice
err_has "approved"
run 2 review accept D1 --as alice

run 0 audit verify --json
[ "$(jq -r .ok "$OUT")" = true ] || fail "audit verify"
run 0 audit log --case F-2017-13804 --json
jq -e '[.events[].action] | index("approval.approve") != null and index("approval.return") != null and index("document.import") != null' "$OUT" >/dev/null || fail "audit log actions"
jq -e '[.events[] | select(.action == "decision.record")] | length >= 1' "$OUT" >/dev/null || fail "decision events"
run 0 audit log
grep -q "approval.approve" "$OUT" || fail "audit log text"

# --db on the command line wins, before or after the subcommand.
cp "$DECLASS_DB" "$WORK/copy.db" 2>/dev/null
run 0 --db "$DECLASS_DB" review show D1 --json
run 0 review show D1 --db "$DECLASS_DB" --json
run 2 --db "$WORK/nothing.db" review show D1
err_has "no declass store"

# Bad store files: clear errors, never a crash.
printf 'just some text, not a database at all ............................................\n' >"$WORK/text.db"
run 2 --db "$WORK/text.db" case list
err_has "not a declass store"
sqlite3 "$WORK/foreign.db" "CREATE TABLE t(x);" || fail "sqlite3 CLI"
run 2 --db "$WORK/foreign.db" case list
err_has "not a declass store"
run 2 --db "$WORK/foreign.db" init
"$BIN" init --db "$WORK/newer.db" >/dev/null 2>&1 || fail "init newer.db"
sqlite3 "$WORK/newer.db" "PRAGMA user_version=42;" || fail "sqlite3 CLI"
run 2 --db "$WORK/newer.db" case list
err_has "newer than this declass supports"
# A corrupt store (pages overwritten after the header): a clear error (exit 2 or 4), never a crash.
cp "$DECLASS_DB" "$WORK/corrupt.db"
sqlite3 "$WORK/corrupt.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null || fail "checkpoint"
SIZE=$(stat -c %s "$WORK/corrupt.db")
head -c $((SIZE - 4096)) /dev/zero | tr '\0' '\245' | dd of="$WORK/corrupt.db" bs=1 seek=4096 conv=notrunc status=none
for cmd in "audit verify" "case list" "review show D1" "audit log"; do
  # shellcheck disable=SC2086
  "$BIN" --db "$WORK/corrupt.db" $cmd >"$OUT" 2>"$ERR"; rc=$?
  { [ $rc -eq 2 ] || [ $rc -eq 4 ]; } || fail "corrupt store: '$cmd' exited $rc"
  grep -Eq "corrupt|integrity|not a declass store" "$ERR" || fail "corrupt store: unclear message for '$cmd'"
done

# Accepting recommendations that include flagged paragraphs: exit 3 and the paragraphs listed.
run 0 import F-2017-13804 "$SRC/tests/data/corpus/stateFOIA_F-2014-20439_C05764535_email.txt" --as alice --review-date 2026-11-28 --json
D2=$(jq -r .id "$OUT")
run 3 review accept "$D2" --as alice --json
[ "$(jq '.needs_decision | length' "$OUT")" -ge 1 ] || fail "needs_decision empty"
jq -e '[.decisions[] | select(.span != null and .basis == "accepted" and .follows_recommendation)] | length >= 1' "$OUT" >/dev/null \
  || fail "accepted span decision"
echo "workflow.sh: all checks passed"
