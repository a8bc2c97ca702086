#!/usr/bin/env bash
# CLI test of the tamper-evident audit trail: the triggers refuse UPDATE/DELETE; after dropping
# them with the sqlite3 CLI, editing or deleting an audit row (or a decision row) makes
# `declass audit verify` fail with exit 4 naming the first broken link.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 1
export SOURCE_DATE_EPOCH=1764331200
DB="$WORK/base.db"
OUT="$WORK/out"; ERR="$WORK/err"
fail() { echo "FAIL: $*" >&2; cat "$OUT" "$ERR" >&2; exit 1; }
run() { local want=$1; shift; "$BIN" "$@" >"$OUT" 2>"$ERR"; local rc=$?; [ "$rc" -eq "$want" ] || fail "declass $* exited $rc, expected $want"; }
err_has() { grep -q -- "$1" "$ERR" || fail "stderr lacks '$1'"; }

run 0 --db "$DB" init
run 0 --db "$DB" user add root --role admin
run 0 --db "$DB" user add alice --role reviewer --as root
run 0 --db "$DB" user add bob --role authority --as root
run 0 --db "$DB" case create F-2017-13804 --requester R --received 2017-05-01 --policy "$SRC/policies/default.toml" --as alice
run 0 --db "$DB" import F-2017-13804 "$SRC/examples/state-1999-12-29-talbott-putin.txt" --as alice
for p in 1 2 3; do
  run 0 --db "$DB" review decide D1 --para $p --action withhold --exemption b1 --reason "test $p" --as alice
done
run 0 --db "$DB" audit verify --json
N=$(jq .events "$OUT")
[ "$N" -ge 9 ] || fail "expected at least 9 events, got $N"

# The triggers refuse changes.
sqlite3 "$DB" "UPDATE audit_events SET actor='mallory' WHERE seq=5;" 2>"$ERR" && fail "UPDATE allowed"
grep -q "append-only" "$ERR" || fail "trigger message"
sqlite3 "$DB" "DELETE FROM audit_events WHERE seq=5;" 2>"$ERR" && fail "DELETE allowed"
run 0 --db "$DB" audit verify

DROP="DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
tamper() {  # tamper NAME SQL: copy the store and run SQL on the copy
  cp "$DB" "$WORK/$1.db"
  sqlite3 "$WORK/$1.db" "$DROP $2" || fail "sqlite3 $2"
}

tamper edit "UPDATE audit_events SET actor='mallory' WHERE seq=5;"
run 4 --db "$WORK/edit.db" audit verify
err_has "event #5 was altered"
run 4 --db "$WORK/edit.db" audit verify --json
[ "$(jq .broken_seq "$OUT")" = 5 ] || fail "broken_seq for edit"

tamper payload "UPDATE audit_events SET payload=replace(payload, 'test 2', 'test X') WHERE action='decision.record';"
run 4 --db "$WORK/payload.db" audit verify --json
SEQ=$(sqlite3 "$DB" "SELECT min(seq) FROM audit_events WHERE payload LIKE '%test 2%';")
[ "$(jq .broken_seq "$OUT")" = "$SEQ" ] || fail "broken_seq for payload edit (want $SEQ)"

tamper delete "DELETE FROM audit_events WHERE seq=4;"
run 4 --db "$WORK/delete.db" audit verify
err_has "event #4 is missing"

tamper tail "DELETE FROM audit_events WHERE seq=(SELECT max(seq) FROM audit_events);"
run 4 --db "$WORK/tail.db" audit verify
err_has "newest events were deleted"

tamper relink "UPDATE audit_events SET prev_hash='$(printf 'f%.0s' $(seq 64))' WHERE seq=3;"
run 4 --db "$WORK/relink.db" audit verify --json
[ "$(jq .broken_seq "$OUT")" = 3 ] || fail "broken_seq for relink"

# Editing the decision row itself (not the audit table) is caught by the cross-check.
cp "$DB" "$WORK/decision.db"
sqlite3 "$WORK/decision.db" "UPDATE decisions SET action='release', exemptions='[]' WHERE id=2;" || fail "sqlite3"
run 4 --db "$WORK/decision.db" audit verify
err_has "decision 2 no longer matches"

run 0 --db "$DB" audit verify
echo "audit_tamper.sh: all checks passed"
