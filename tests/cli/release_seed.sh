#!/usr/bin/env bash
# Release of the seed cable with a withheld name and a withheld paragraph, checked by independent
# tools (qpdf, pdfsig with an NSS trust db, openssl cms/ts, pdftotext, lint_release.sh) and by
# `declass verify`; tampering, appended bytes, wrong passphrase and key mismatch must fail.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
bin="$1"; src="$2"; t="$3"
# The shared tools sit beside the checkout (CI: a copy of shared/ next to the clone).
tools="$src/../shared/tools"; [ -d "$tools" ] || tools=/work/shared/tools
[ -d "$tools" ] || { echo "SKIP: shared/tools not found beside $src; the independent checks need it"; exit 0; }
rm -rf "$t"; mkdir -p "$t"
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
ck() { if [ "$2" = 0 ]; then ok "$1"; else bad "$1"; fi; }
for tool in qpdf pdfsig pdftotext certutil mutool openssl python3; do
  command -v $tool >/dev/null || { echo "missing $tool (install with scripts/setup)"; exit 1; }
done
[ -x "$tools/make_test_pki.sh" ] || { echo "missing $tools"; exit 1; }
"$tools/make_test_pki.sh" "$t/pki" >/dev/null 2>&1 || { echo "FAIL make_test_pki"; exit 1; }
pki="$t/pki"
openssl pkcs12 -export -inkey "$pki/signer.key" -in "$pki/signer.pem" -certfile "$pki/ca.pem" -passout pass:p12-secret -out "$pki/signer.p12" 2>/dev/null

# Audit excerpt with hashes computed per store/audit_chain.hpp ("declass-audit/2").
python3 - "$t/seed-audit.json" <<'PY'
import hashlib, json, sys
events, prev = [], "0" * 64
for seq, (action, actor, role, payload) in enumerate([
    ("decision.record", "alice", "reviewer", '{"document":"seed-cable","action":"redact","codes":["(b)(6)"]}'),
    ("approval.record", "bob", "authority", '{"document":"seed-cable","approved":true}')], 1):
    e = {"seq": seq, "at": f"2025-11-28T00:00:0{seq}Z", "actor": actor, "role": role, "action": action,
         "case": "F-2017-13804", "subject": "document:seed-cable", "payload": payload, "prev": prev}
    c = dict(e, payload_sha256=hashlib.sha256(payload.encode()).hexdigest())
    canon = "declass-audit/2\n" + "".join(f"{k}={len(str(c[k]).encode())}:{c[k]}\n" for k in
                                          ["seq", "at", "actor", "role", "action", "case", "subject", "payload_sha256", "prev"])
    e["hash"] = prev = hashlib.sha256(canon.encode()).hexdigest()
    events.append(e)
json.dump({"format": "declass-audit-excerpt/1", "document": "seed-cable", "events": events}, open(sys.argv[1], "w"))
PY
cp "$src/tests/data/release/seed-plan.json" "$t/plan.json"
cp "$src/tests/data/release/seed-cable.txt" "$t/seed.txt"
export SOURCE_DATE_EPOCH=1764288000
sign=(--key "$pki/signer.key" --cert "$pki/signer.pem" --chain "$pki/ca.pem")
out="$t/release.pdf"
"$bin" release --text "$t/seed.txt" --plan "$t/plan.json" -o "$out" "${sign[@]}" --tsa-cert "$pki/tsa.pem" --tsa-key "$pki/tsa.key" --json >"$t/rel.json" 2>"$t/rel.err"
ck "declass release exits 0" $?
[ -f "$out" ] || { cat "$t/rel.err"; echo "no output"; exit 1; }

terms=("CHIKVISHVILI" "UNCONCEALED CONTEMPT" "DECAPITATED HEAD" "5KM INSIDE GEORGIAN TERRITORY" "YOUR FRIEND SHEVARDNADZE IS A FOOL")
qpdf --check "$out" >/dev/null 2>&1; ck "qpdf --check" $?
"$tools/check_signed_release.sh" "$out" "$pki/ca.pem" "${terms[@]}" >"$t/check.txt" 2>&1; rc=$?
cat "$t/check.txt" | sed 's/^/    /'
ck "check_signed_release.sh (pdfsig valid/total/trusted, openssl, pdftotext, lint 0 FAIL)" $rc
"$tools/verify_sig.sh" "$out" "$pki/ca.pem" "$pki/tsa.pem" >"$t/vs.txt" 2>&1; ck "verify_sig.sh incl. RFC 3161 token" $?
grep -q "Verification: OK" "$t/vs.txt"; ck "timestamp token verifies with openssl ts" $?

# pdftotext: no withheld text, every released paragraph present (joined across line breaks)
pdftotext -q "$out" - | tr '\n' ' ' | tr -s ' ' >"$t/text.txt"
for w in "${terms[@]}"; do grep -q -F -- "$w" "$t/text.txt"; ck "pdftotext: '$w' absent" $((1 - $?)); done
for p in "2. (S) DEPUTY SECRETARY TALBOTT MET WITH RUSSIAN PRIME MINISTER" "AMERICAS DIRECTOR" "3. (S) WITH MEDIA PRESENT" \
         "4. (S) AS THE PRESS WAS USHERED OUT" "5. (S) PUTIN AGREED 1999" "6. (S) TURNING TO THE CAUCASUS" "7. (S) PUTIN SAID HE WASN'T SURE" \
         "8. (S) MILITARILY, THERE WAS NO ORGANIZED RESISTANCE" "9. (S) RESPONDING TO TALBOTT'S QUESTION" "10. (S) TALBOTT RAISED THE DANGER" \
         "11. (S)" "12. (S) TALBOTT REITERATED" "13. (S) PUTIN SAID SANDY BERGER" "14. (S) TALBOTT SAID HE LOOKED FORWARD" \
         "15. (S) BRIEFING PUTIN" "16. (S) TALBOTT EXPRESSED APPRECIATION" "17. (S) IN A PRIVATE EXCHANGE" "WHOM I HOPE TO MEET AND WORK WITH" \
         "RELEASE IN PART B6, B1, 1.4(D)" "REVIEW AUTHORITY: Marvin Russell, Senior Reviewer" "Page 1 of"; do
  grep -q -F -- "$p" "$t/text.txt"; ck "pdftotext: '$p' present" $?
done

# declass verify
"$bin" verify "$out" --trust "$pki/ca.pem" $(printf -- "--withheld %q " "${terms[@]:0:1}") --withheld "DECAPITATED HEAD" >"$t/v.txt" 2>&1; ck "declass verify: valid (exit 0)" $?
"$bin" verify "$out" --trust "$pki/ca.pem" --json >"$t/v.json" 2>&1
python3 -c "import json,sys; j=json.load(open('$t/v.json')); sys.exit(0 if j['valid'] and j['covers_whole_file'] and j['timestamp'] else 1)"; ck "declass verify --json: valid, whole file, timestamp" $?
"$bin" verify "$out" >"$t/v2.txt" 2>&1; rc=$?; [ $rc = 4 ] && grep -q "chains to the trust anchor" "$t/v2.txt"; ck "declass verify without --trust: exit 4 naming the chain check" $?
"$bin" verify "$out" --trust "$pki/selfsigned.pem" >/dev/null 2>&1; [ $? = 4 ]; ck "declass verify with another trust anchor: exit 4" $?

# tampering
python3 - "$out" "$t/flip.pdf" "$t/append.pdf" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
f = bytearray(d); i = len(f) // 3; f[i] ^= 0x01
open(sys.argv[2], "wb").write(f)
open(sys.argv[3], "wb").write(d + b"\n% appended after signing\n")
PY
"$bin" verify "$t/flip.pdf" --trust "$pki/ca.pem" >"$t/flip.txt" 2>&1; rc=$?; [ $rc = 4 ]; ck "one changed byte: exit 4" $?
grep -q "FAIL" "$t/flip.txt"; ck "one changed byte: failure named" $?
"$bin" verify "$t/append.pdf" --trust "$pki/ca.pem" >"$t/append.txt" 2>&1; rc=$?; [ $rc = 4 ] && grep -q "covers the whole file" "$t/append.txt"; ck "appended bytes: exit 4, 'covers the whole file' named" $?

# wrong passphrase / mismatched key: clear error, exit 2, no output
export P12PASS=wrong
"$bin" release --text "$t/seed.txt" --plan "$t/plan.json" -o "$t/bad1.pdf" --p12 "$pki/signer.p12" --pass env:P12PASS >"$t/bad1.txt" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "wrong passphrase" "$t/bad1.txt" && [ ! -e "$t/bad1.pdf" ]; ck "wrong p12 passphrase: exit 2, clear message, no file" $?
export P12PASS=p12-secret
"$bin" release --text "$t/seed.txt" --plan "$t/plan.json" -o "$t/p12.pdf" --p12 "$pki/signer.p12" --pass env:P12PASS >/dev/null 2>&1; ck "right p12 passphrase: released" $?
"$bin" release --text "$t/seed.txt" --plan "$t/plan.json" -o "$t/bad2.pdf" --key "$pki/selfsigned.key" --cert "$pki/signer.pem" >"$t/bad2.txt" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "does not match the certificate" "$t/bad2.txt" && [ ! -e "$t/bad2.pdf" ]; ck "key not matching the certificate: exit 2, clear message, no file" $?
"$bin" release --text "$t/seed.txt" --plan "$t/plan.json" -o "$t/bad3.pdf" --p12 "$pki/signer.p12" --pass p12-secret >"$t/bad3.txt" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "env:VAR or file:PATH" "$t/bad3.txt"; ck "passphrase on the command line refused (exit 1)" $?

# determinism: same inputs + SOURCE_DATE_EPOCH → same unsigned bytes
"$bin" release --text "$t/seed.txt" --plan "$t/plan.json" -o "$t/again.pdf" "${sign[@]}" --json >"$t/rel2.json" 2>/dev/null
h1=$(python3 -c "import json; print(json.load(open('$t/rel.json'))['unsigned_sha256'])")
h2=$(python3 -c "import json; print(json.load(open('$t/rel2.json'))['unsigned_sha256'])")
[ -n "$h1" ] && [ "$h1" = "$h2" ]; ck "identical unsigned bytes for identical inputs ($h1)" $?

echo "$fails failure(s)"
exit $fails
