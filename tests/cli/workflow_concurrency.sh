#!/usr/bin/env bash
# Concurrency and crash safety through the CLI: several processes deciding on the same case at
# once all succeed or get a clear "busy" error (never a broken chain); a loop that SIGKILLs
# writers mid-run leaves every decision reported as committed in the store and the chain valid.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 1
export DECLASS_DB="$WORK/declass.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { "$BIN" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "declass $*"; }; }

q init
q user add root --role admin
q user add alice --role reviewer --as root
q user add bob --role reviewer --as root
q case create F-1 --requester R --received 2020-01-02 --policy "$SRC/policies/default.toml"
q import F-1 "$SRC/examples/state-1999-12-29-talbott-putin.txt" --doc-no A
q import F-1 "$SRC/examples/state-1999-12-29-talbott-putin.txt" --doc-no B

# writer USER DOC N TAG: N decisions; logs "ok TAG-i" after each success, "busy TAG-i" on a busy refusal.
writer() {
  local i rc
  for i in $(seq 1 "$3"); do
    "$BIN" review decide "$2" --para 1 --action withhold --exemption b1 --reason "$4-$i" --as "$1" >/dev/null 2>"$WORK/err-$4-$i"
    rc=$?
    if [ $rc -eq 0 ]; then echo "ok $4-$i"
    elif grep -q "database is busy" "$WORK/err-$4-$i"; then echo "busy $4-$i"
    else echo "other $4-$i rc=$rc $(cat "$WORK/err-$4-$i")"; fi
  done
}

# 1. Four concurrent writers on the same case (default busy timeout: all should get through).
writer alice D1 25 a >"$WORK/log-a" & pa=$!
writer bob D1 25 b >"$WORK/log-b" & pb=$!
writer alice D2 25 c >"$WORK/log-c" & pc=$!
writer bob D2 25 d >"$WORK/log-d" & pd=$!
wait $pa $pb $pc $pd
cat "$WORK"/log-? >"$WORK/log-all"
grep -q '^other' "$WORK/log-all" && { grep '^other' "$WORK/log-all" >&2; fail "a writer failed with something other than busy"; }
ok=$(grep -c '^ok' "$WORK/log-all")
"$BIN" audit verify >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "chain broken after concurrent writers"; }
n=$(sqlite3 "$DECLASS_DB" "SELECT count(*) FROM decisions;")
[ "$n" -eq "$ok" ] || fail "decisions in store ($n) != successful commands ($ok)"
echo "concurrent: $ok of 100 decisions recorded, $(grep -c '^busy' "$WORK/log-all") busy refusals, chain intact"

# 2. With no waiting allowed, refusals must be the clear busy error, and the store stays sound.
export DECLASS_BUSY_TIMEOUT_MS=0
writer alice D1 15 e >"$WORK/log-e" & pe=$!
writer bob D1 15 f >"$WORK/log-f" & pf=$!
wait $pe $pf
unset DECLASS_BUSY_TIMEOUT_MS
grep -q '^other' "$WORK/log-e" "$WORK/log-f" && { grep -h '^other' "$WORK/log-e" "$WORK/log-f" >&2; fail "non-busy failure with timeout 0"; }
"$BIN" audit verify >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "chain broken (timeout 0)"; }
ok2=$(cat "$WORK/log-e" "$WORK/log-f" | grep -c '^ok')
n=$(sqlite3 "$DECLASS_DB" "SELECT count(*) FROM decisions;")
[ "$n" -eq $((ok + ok2)) ] || fail "decision count after timeout-0 run"
echo "timeout 0: $ok2 of 30 recorded, $(cat "$WORK/log-e" "$WORK/log-f" | grep -c '^busy') clear busy refusals"

# 3. Kill loop: SIGKILL a running writer at a random moment, 12 times.
for round in $(seq 1 12); do
  (
    i=0
    while true; do
      i=$((i + 1))
      "$BIN" review decide D1 --para 2 --action withhold --exemption b1 --reason "kill-$round-$i" --as alice >/dev/null 2>&1 &
      echo $! >"$WORK/child"
      wait $! && echo "kill-$round-$i" >>"$WORK/committed"
    done
  ) &
  loop=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 "$(cat "$WORK/child")" 2>/dev/null
  kill -9 "$loop" 2>/dev/null
  wait "$loop" 2>/dev/null
  sleep 0.05
  kill -9 "$(cat "$WORK/child")" 2>/dev/null   # a child started after the first kill
done
sleep 0.2
"$BIN" audit verify >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "chain broken after SIGKILL loop"; }
sqlite3 "$DECLASS_DB" "SELECT justification FROM decisions;" | sort >"$WORK/present"
missing=0
while read -r tag; do
  grep -qx -- "$tag" "$WORK/present" || { echo "missing committed decision $tag" >&2; missing=1; }
done <"$WORK/committed"
[ $missing -eq 0 ] || fail "committed decisions lost"
echo "kill loop: $(wc -l <"$WORK/committed") committed decisions all present, chain intact"
echo "workflow_concurrency.sh: all checks passed"
