#!/usr/bin/env bash
# End-to-end test of the reviewer web page (templates/web/) in Debian's Chromium, driven by
# playwright-core (tests/e2e/, pinned by package-lock.json, no browser download) against a real
# `declass serve`: redact a name with (b)(6), submit, separation of duties, approve, release, page
# previews, PDF download; then `declass verify --db` and pdftotext on the downloaded PDF.
# Args: $1 declass binary, $2 source dir, $3 scratch dir. Env: E2E_SCREENSHOT_DIR (default: $3/screenshots),
# DECLASS_E2E_OPTIONAL=1 turns "node/npm/chromium unavailable" into a skip instead of a failure.
set -u
bin="$1"; src="$2"; t="$3"
rm -rf "$t"; mkdir -p "$t"
say() { echo "== $*"; }
unavailable() {
  echo "SKIP: $* — the web e2e test cannot run here"
  if [ "${DECLASS_E2E_OPTIONAL:-0}" = 1 ]; then exit 0; fi
  echo "FAIL: set DECLASS_E2E_OPTIONAL=1 to allow skipping it"; exit 1
}
apt_install() {  # apt_install PACKAGE...: as root or with passwordless sudo, else give up
  local sudo=""; [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo="sudo -n"; } || return 1
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 && return 0
  $sudo apt-get update >/dev/null 2>&1 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1
}

# --- tools: node + npm, Debian chromium, poppler, jq, openssl --------------------------------------
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm || true
command -v node >/dev/null && command -v npm >/dev/null || unavailable "node/npm are missing and could not be installed (apt-get install nodejs npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || unavailable "node $(node --version) is too old for playwright-core (needs >= 20)"
chromium="${E2E_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || apt_install chromium || true
[ -x "$chromium" ] || unavailable "$chromium is missing and could not be installed (apt-get install chromium)"
for tool in pdftotext jq openssl curl; do
  command -v $tool >/dev/null || apt_install poppler-utils jq openssl curl || true
  command -v $tool >/dev/null || { echo "FAIL: missing $tool (scripts/setup installs it)"; exit 1; }
done

# --- playwright-core, installed from the lock file into the build tree (never into the checkout) ----
deps="$(dirname "$t")/e2e-node"
mkdir -p "$deps"
if ! cmp -s "$src/tests/e2e/package-lock.json" "$deps/package-lock.json" || [ ! -d "$deps/node_modules/playwright-core" ]; then
  say "npm ci (playwright-core as pinned in tests/e2e/package-lock.json; no browser download)"
  cp "$src/tests/e2e/package.json" "$src/tests/e2e/package-lock.json" "$deps/"
  (cd "$deps" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund >npm.log 2>&1) || {
    cat "$deps/npm.log"; rm -f "$deps/package-lock.json"
    unavailable "npm ci failed (no registry access?)"; }
fi
cp "$src/tests/e2e/review_release.e2e.mjs" "$deps/"

# --- store, users, case, document, tokens, PKI ------------------------------------------------------
export DECLASS_DB="$t/declass.db"
fail() { echo "FAIL: $*"; [ -f "$t/serve.err" ] && { echo "--- declass serve stderr (tail):"; tail -20 "$t/serve.err"; }; exit 1; }
run() { "$bin" "$@" >"$t/out" 2>"$t/err" || { cat "$t/err"; fail "declass $1 $2 exited $?"; }; }
tools="$src/../shared/tools"; [ -d "$tools" ] || tools=/work/shared/tools
pki="$t/pki"
if [ -x "$tools/make_test_pki.sh" ]; then
  "$tools/make_test_pki.sh" "$pki" >/dev/null 2>&1 || fail "make_test_pki.sh"
else  # same shape as shared/tools/make_test_pki.sh: a root CA and a review-authority signing certificate
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:3072 -sha256 -days 30 -nodes -keyout "$pki/ca.key" -out "$pki/ca.pem" -subj "/CN=declass e2e test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || fail "test CA"
  openssl req -newkey rsa:3072 -nodes -keyout "$pki/signer.key" -out "$pki/signer.csr" -subj "/CN=e2e Review Authority" 2>/dev/null || fail "signer key"
  openssl x509 -req -in "$pki/signer.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 30 -sha256 -out "$pki/signer.pem" \
    -extfile <(printf "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n") 2>/dev/null || fail "signer cert"
fi
case_id=F-2017-13804
run init
run user add root --role admin
run user add alice --role reviewer --as root
run user add carol --role authority --as root
run user add bob --role authority --as root --cert "$pki/signer.pem"
run case create "$case_id" --requester "Wilson Center" --received 2017-05-01 --policy "$src/policies/default.toml" --as root
run import "$case_id" "$src/examples/state-1999-12-29-talbott-putin.txt" --doc-no C06551526 --as alice --json
doc=$(jq -r .id "$t/out")
# carol (an authority) records a decision, so separation of duties must stop her approving later
run review decide "$doc" --para 1 --action release --reason "classification line; e2e: carol decides" --as carol
token() { run user token "$1" --label e2e --expires-days 1 --json; jq -r .token "$t/out"; }
tok_alice=$(token alice); tok_carol=$(token carol); tok_bob=$(token bob)
case "$tok_alice$tok_carol$tok_bob" in *null*|"") fail "user token printed no token";; esac

# --- declass serve on a free port ---------------------------------------------------------------
say "declass serve"
mkfifo "$t/serve.out"; mkdir -p "$t/releases"
"$bin" serve --db "$DECLASS_DB" --listen 127.0.0.1:0 --web-root "$src/templates/web" --release-dir "$t/releases" \
  --signer "bob=pem:$pki/signer.key,$pki/signer.pem" --trust "$pki/ca.pem" <"/dev/null" >"$t/serve.out" 2>"$t/serve.err" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null' EXIT
exec 3<"$t/serve.out"
first=""; IFS= read -r -t 20 first <&3 || fail "declass serve printed no first line within 20 s"
cat <&3 >"$t/serve.stdout" &   # keep draining stdout
port=$(printf '%s\n' "$first" | grep -oE '(127\.0\.0\.1|localhost|\[::1\]):[0-9]+' | head -1 | sed 's/.*://')
[ -n "$port" ] || port=$(printf '%s\n' "$first" | grep -oE 'port[ =:]*[0-9]+' | grep -oE '[0-9]+' | head -1)
[ -n "$port" ] && [ "$port" != 0 ] || fail "no port in the first line of declass serve: '$first'"
base="http://127.0.0.1:$port"
curl -fsS "$base/api/health" >"$t/health.json" || fail "GET /api/health on $base"
echo "server at $base ($(jq -c . "$t/health.json"))"

# --- the browser ----------------------------------------------------------------------------------
shots="${E2E_SCREENSHOT_DIR:-$t/screenshots}"; mkdir -p "$shots"
pdf="$t/downloaded-release.pdf"
say "browser (Chromium $("$chromium" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9.]+' | head -1))"
E2E_BASE_URL="$base" E2E_CASE="$case_id" E2E_DOC="$doc" E2E_NAME="ANDREY TSYGANOV" \
E2E_REVIEWER=alice E2E_DECIDER=carol E2E_APPROVER=bob \
E2E_REVIEWER_TOKEN="$tok_alice" E2E_DECIDER_TOKEN="$tok_carol" E2E_APPROVER_TOKEN="$tok_bob" \
E2E_OUT_PDF="$pdf" E2E_SCREENSHOT_DIR="$shots" E2E_USER_DATA_DIR="$t/chromium-profile" E2E_CHROMIUM="$chromium" \
  timeout 150 node "$deps/review_release.e2e.mjs" || fail "browser test (screenshots in $shots)"
echo "screenshots: $shots"

# --- the downloaded PDF ---------------------------------------------------------------------------
say "declass verify --db on the downloaded PDF"
"$bin" verify "$pdf" --trust "$pki/ca.pem" --db "$DECLASS_DB" >"$t/verify.txt" 2>&1 || { cat "$t/verify.txt"; fail "declass verify"; }
echo "ok   declass verify --db: valid"
pdftotext -q "$pdf" - | tr '\n' ' ' | tr -s ' ' >"$t/release.txt"
grep -q "TSYGANOV" "$t/release.txt" && fail "the redacted name is still in the PDF text"
echo "ok   pdftotext: the redacted name is gone"
grep -q "FOREIGN POLICY" "$t/release.txt" && grep -q "DEPUTY SECRETARY TALBOTT MET WITH RUSSIAN PRIME" "$t/release.txt" \
  || fail "pdftotext: the released text around the name is missing"
echo "ok   pdftotext: the text around the name is released"
echo "PASS"
