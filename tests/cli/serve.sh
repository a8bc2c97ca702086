#!/usr/bin/env bash
# CLI smoke test of `declass serve`: API tokens (create, list, revoke, audit events without the token),
# the real binary on 127.0.0.1:0 (port read from its stdout), a few curl calls (health, auth refusals,
# cases, review view, a decision), SIGTERM stop, and an access log free of document text and tokens.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 1
export DECLASS_DB="$WORK/declass.db"
CABLE="$SRC/examples/state-1999-12-29-talbott-putin.txt"
POLICY="$SRC/policies/default.toml"
fail() { echo "FAIL: $*" >&2; [ -f "$WORK/serve.err" ] && { echo "--- server log:" >&2; cat "$WORK/serve.err" >&2; }; exit 1; }
q() { "$BIN" "$@" >/dev/null 2>"$WORK/cmd.err" || fail "declass $* failed: $(cat "$WORK/cmd.err")"; }

q init
q user add root --role admin
q user add alice --role reviewer --as root
q user add dave --role auditor --as root
q case create F-2017-13804 --requester "Wilson Center" --received 2017-05-01 --policy "$POLICY" --as alice
q import F-2017-13804 "$CABLE" --doc-no C06551526 --as alice

"$BIN" user token alice --label "smoke test" --json > tok.json || fail "user token"
TOKEN=$(jq -r .token tok.json)
[[ "$TOKEN" =~ ^dcl_[A-Za-z0-9_-]{43}$ ]] || fail "token format: $TOKEN"
"$BIN" user token dave --expires-days 30 --json > tok2.json || fail "user token dave"
DAVE=$(jq -r .token tok2.json); DAVE_ID=$(jq -r .id tok2.json)
[ "$(jq -r .expires_at tok2.json)" != null ] || fail "expires_at missing"
"$BIN" user token nobody >/dev/null 2>&1 && fail "token for an unknown user"
"$BIN" user token alice --expires-days 0 >/dev/null 2>&1 && fail "--expires-days 0 accepted"
# Only the SHA-256 is stored; audit events carry no token.
sqlite3 "$DECLASS_DB" "SELECT token_sha256 FROM api_tokens" | grep -q "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" || fail "hash not stored"
sqlite3 "$DECLASS_DB" .dump | grep -q "$TOKEN" && fail "token stored in clear"
"$BIN" audit log --json > audit.json 2>/dev/null || "$BIN" audit log > audit.json
grep -q "user.token" audit.json || fail "no user.token audit event"
grep -q "$TOKEN" audit.json && fail "token in the audit log"

"$BIN" serve --listen 127.0.0.1:0 --web-root "$SRC/templates/web" > serve.out 2> serve.err &
PID=$!
for i in $(seq 1 100); do grep -q "listening on" serve.out 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^declass serve: listening on //p' serve.out)
[[ "$URL" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || { kill $PID; fail "no listening line: $(cat serve.out)"; }

code() { curl -s -o body.json -w '%{http_code}' "$@"; }
[ "$(code "$URL/api/health")" = 200 ] || fail "health"
[ "$(jq -r .ok body.json)" = true ] || fail "health body"
[ "$(code "$URL/api/me")" = 401 ] || fail "no token must be 401"
[ "$(jq -r .error.code body.json)" = unauthenticated ] || fail "401 code"
[ "$(code -H "Authorization: Bearer dcl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$URL/api/me")" = 401 ] || fail "bad token must be 401"
[ "$(code -H "Authorization: Bearer $TOKEN" "$URL/api/me")" = 200 ] || fail "me"
[ "$(jq -r .name body.json)" = alice ] || fail "me is not alice"
[ "$(code -H "Authorization: Bearer $TOKEN" "$URL/api/cases")" = 200 ] || fail "cases"
[ "$(jq -r '.cases[0].documents' body.json)" = 1 ] || fail "case document count"
[ "$(code -H "Authorization: Bearer $TOKEN" "$URL/api/documents/D1")" = 200 ] || fail "review view"
P=$(jq '[.paragraphs[] | select((.text | length) > 60)][0].index' body.json)
[ "$(code -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
      -d "{\"paragraph\":$P,\"action\":\"withhold\",\"exemptions\":[\"(b)(1)\"],\"justification\":\"sources\"}" \
      "$URL/api/documents/D1/decisions")" = 200 ] || fail "decision: $(cat body.json)"
[ "$(jq -r .action body.json)" = withhold ] || fail "decision body"
[ "$(code -H "Authorization: Bearer $TOKEN" -d '{}' "$URL/api/documents/D1/submit")" = 415 ] || fail "form POST must be 415"
[ "$(code -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -H "Origin: http://evil.example" -d '{}' \
      "$URL/api/documents/D1/submit")" = 403 ] || fail "foreign origin must be 403"
[ "$(code -H "Authorization: Bearer $DAVE" "$URL/api/audit/verify")" = 200 ] || fail "auditor audit verify"
[ "$(jq -r .ok body.json)" = true ] || fail "chain not ok"
# Revocation takes effect on the next request.
q user token dave --revoke "$DAVE_ID"
[ "$(code -H "Authorization: Bearer $DAVE" "$URL/api/audit/verify")" = 401 ] || fail "revoked token must be 401"
[ "$(code -H "Authorization: Bearer $TOKEN" "$URL/api/nothing")" = 404 ] || fail "unknown route 404"
[ "$(jq -r .error.code body.json)" = not_found ] || fail "404 JSON"

kill -TERM $PID
for i in $(seq 1 50); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
kill -0 $PID 2>/dev/null && { kill -9 $PID; fail "server did not stop on SIGTERM"; }
wait $PID; RC=$?
[ "$RC" = 0 ] || fail "serve exited $RC after SIGTERM"

# The access log: one line per request, no document text, no token, no paragraph text.
grep -q "http GET /api/documents/{doc} 200 user=alice" serve.err || fail "access log line missing"
grep -q "$TOKEN" serve.err && fail "token in the log"
grep -qi "putin\|talbott" serve.err && fail "document text in the log"
TEXT=$(sqlite3 "$DECLASS_DB" "SELECT text FROM paragraphs WHERE idx=$P" | head -c 40)
grep -qF "$TEXT" serve.err && fail "paragraph text in the log"
# Non-loopback without TLS is refused at start; with --tls-cert/--tls-key it serves HTTPS.
"$BIN" serve --listen 0.0.0.0:0 > nl.out 2> nl.err && fail "non-loopback without TLS accepted"
grep -q "without TLS" nl.err || fail "non-loopback refusal message: $(cat nl.err)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.pem -days 2 -subj "/CN=127.0.0.1" 2>/dev/null || fail "openssl"
"$BIN" serve --listen 127.0.0.1:0 --tls-cert tls.pem --tls-key tls.key > tls.out 2> tls.err &
PID=$!
for i in $(seq 1 100); do grep -q "listening on" tls.out 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^declass serve: listening on //p' tls.out)
[[ "$URL" =~ ^https://127\.0\.0\.1:[0-9]+$ ]] || { kill $PID; fail "no https listening line: $(cat tls.out tls.err)"; }
[ "$(code -k -H "Authorization: Bearer $TOKEN" "$URL/api/me")" = 200 ] || { kill $PID; fail "https me"; }
[ "$(code --http1.1 "${URL/https/http}/api/health")" = 200 ] && { kill $PID; fail "plain HTTP answered on the TLS port"; }
kill -INT $PID; wait $PID || fail "serve exited non-zero after SIGINT"
echo "serve.sh: ok"
