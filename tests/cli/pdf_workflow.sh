#!/usr/bin/env bash
# The review workflow for a PDF record, exactly as for a text record: init, case, import the cable PDF,
# a reviewer redacts a name under (b)(6) and withholds a paragraph under B1/1.4(d), an authority approves
# and releases it signed with the test PKI; then check_signed_release.sh, pdftotext finds none of the
# withheld text (but the released text), `declass verify --trust --db` exits 0, the audit chain holds,
# and --rasterize-unsafe-pages is recorded in the audit trail.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
TOOLS="$SRC/../shared/tools"; [ -d "$TOOLS" ] || TOOLS=/work/shared/tools
PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1795910400
export DECLASS_DB="$WORK/declass.db"
fail=0
ck() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
run() { "$BIN" "$@" >>"$WORK/log.txt" 2>&1; }
command -v jq >/dev/null && command -v pdftotext >/dev/null || { echo "FAIL needs jq and pdftotext"; exit 1; }
$PY -c 'import reportlab' 2>/dev/null || { echo "FAIL needs Debian python3-reportlab"; exit 1; }

CABLE="$WORK/cable.pdf"
$PY "$SRC/tests/cli/lib/make_test_pdfs.py" cable "$SRC/examples/state-1999-12-29-talbott-putin.txt" "$CABLE" "$WORK/cable.json"
ck "test cable PDF generated" $?
PKI="$WORK/pki"
bash "$TOOLS/make_test_pki.sh" "$PKI" >/dev/null 2>&1; ck "test PKI (make_test_pki.sh)" $?

run init && run user add admin --role admin && run user add alice --role reviewer --as admin &&
  run user add bob --role authority --as admin &&
  run case create F-2026-00077 --requester "Test Requester" --received 2026-11-02 --policy "$SRC/policies/default.toml" --as admin
ck "store, users, case" $?
"$BIN" import F-2026-00077 "$CABLE" --doc-no C00000077 --as alice >>"$WORK/log.txt" 2>&1; rc=$?
ck "import the cable PDF (exit $rc)" $rc
[ $rc = 0 ] || { tail -5 "$WORK/log.txt"; exit 1; }

"$BIN" review show D1 --json >"$WORK/review.json" 2>>"$WORK/log.txt"
ck "review show --json" $?
P_NAME=$(jq -r '[.paragraphs[] | select(.text | contains("CHIKVISHVILI"))][0].index' "$WORK/review.json")
P_WITHHOLD=$(jq -r '[.paragraphs[] | select(.text | contains("REBEL BASE LOCATED"))][0].index' "$WORK/review.json")
[ "$P_NAME" != null ] && [ "$P_WITHHOLD" != null ] && [ "$P_NAME" != "$P_WITHHOLD" ]
ck "paragraphs found in the PDF's paragraph text (name in $P_NAME, withheld paragraph $P_WITHHOLD)" $?
jq -e '[.paragraphs[] | select(.text | contains("AIDE ANDREY TSYGANOV, DEPUTY FM MAMEDOV AND MFA NORTH AMERICAS DIRECTOR"))] | length == 1' \
  "$WORK/review.json" >/dev/null
ck "paragraph text joins the PDF's lines" $?

"$BIN" review accept D1 --as alice >>"$WORK/log.txt" 2>&1; rc=$?
[ $rc = 0 ] || [ $rc = 3 ]; ck "reviewer accepts the recommendations (exit $rc)" $?
# the span wraps across a line break of the PDF ("MFA NORTH" / "AMERICAS DIRECTOR CHIKVISHVILI")
run review decide D1 --para "$P_NAME" --span "NORTH AMERICAS DIRECTOR CHIKVISHVILI" --action redact --exemption "(b)(6)" \
  --reason "test: name of a foreign official" --as alice
ck "reviewer redacts a span under (b)(6)" $?
run review decide D1 --para "$P_WITHHOLD" --action withhold --exemption b1 --exemption "1.4(d)" --reason "test: B1 paragraph" --as alice
ck "reviewer withholds a paragraph under B1, 1.4(d)" $?
# any paragraph the policy left undecided is released, so the release is not blocked
for p in $("$BIN" review show D1 --json | jq -r '.paragraphs[] | select(.effective.action == "undecided") | .index'); do
  run review decide D1 --para "$p" --action release --reason "test: released" --as alice
done
run submit D1 --as alice && run approve D1 --as bob; ck "submitted and approved by another user" $?

OUT="$WORK/release.pdf"
"$BIN" release D1 --as bob -o "$OUT" --key "$PKI/signer.key" --cert "$PKI/signer.pem" --chain "$PKI/ca.pem" --json \
  >"$WORK/release.json" 2>"$WORK/release.err"; rc=$?
ck "release of the PDF record (exit $rc)" $rc
[ $rc = 0 ] || { cat "$WORK/release.err"; exit 1; }
jq -e '.source_format == "pdf" and .disposition == "RELEASE IN PART"' "$WORK/release.json" >/dev/null; ck "released from the PDF, RELEASE IN PART" $?

pdftotext -q "$OUT" "$WORK/out.txt"
pdftotext -q -raw "$OUT" "$WORK/out-raw.txt"
withheld=("CHIKVISHVILI" "AMERICAS DIRECTOR" "REBEL BASE LOCATED" "5KM INSIDE GEORGIAN TERRITORY" "YOUR FRIEND SHEVARDNADZE" "DECAPITATED HEAD")
for w in "${withheld[@]}"; do
  ! grep -q -F -- "$w" "$WORK/out.txt" "$WORK/out-raw.txt"; ck "pdftotext: withheld '$w' absent" $?
done
! grep -q "MFA NORTH$" "$WORK/out-raw.txt"; ck "no fragment of the wrapped span on its first line" $?
tr -s ' \n' ' ' <"$WORK/out.txt" >"$WORK/flat.txt"
for kept in "DEPUTY SECRETARY TALBOTT MET WITH RUSSIAN PRIME" "AIDE ANDREY TSYGANOV, DEPUTY FM MAMEDOV AND MFA" "CHARGE ORDWAY"; do
  grep -q -F -- "$kept" "$WORK/flat.txt"; ck "released text present: '$kept'" $?
done
grep -q "RELEASE IN PART B1, 1.4(D), B6" "$WORK/flat.txt"; ck "header stamp RELEASE IN PART B1, 1.4(D), B6" $?
grep -q "Case No. F-2026-00077 Doc No. C00000077" "$WORK/flat.txt"; ck "footer stamp with case and document numbers" $?
grep -q "REVIEW AUTHORITY: bob" "$WORK/flat.txt"; ck "review authority stamp" $?

if [ -x "$TOOLS/check_signed_release.sh" ]; then
  "$TOOLS/check_signed_release.sh" "$OUT" "$PKI/ca.pem" "${withheld[@]}" >"$WORK/check.txt" 2>&1; rc=$?
  ck "check_signed_release.sh: qpdf, pdfsig valid+trusted, openssl CMS, pdftotext, lint ($(grep -c '^FAIL' "$WORK/check.txt") FAIL)" $rc
  grep FAIL "$WORK/check.txt"
else
  echo "FAIL check_signed_release.sh not found in $TOOLS"; fail=1
fi
"$BIN" verify "$OUT" --trust "$PKI/ca.pem" --db "$DECLASS_DB" >"$WORK/verify.txt" 2>&1; rc=$?
ck "declass verify --trust --db: valid (exit $rc)" $rc
[ $rc = 0 ] || cat "$WORK/verify.txt"
"$BIN" verify "$OUT" --trust "$PKI/ca.pem" --db "$DECLASS_DB" --json 2>/dev/null | jq -e '.valid == true' >/dev/null
ck "verify --json: valid" $?
run audit verify; ck "audit chain valid after the release" $?

# Cancelled classification markings are lined through, as in a text release: every "(S)" portion mark
# pdftotext finds on the released pages has a stroke across its middle in the page content.
qpdf --qdf --object-streams=disable "$OUT" "$WORK/release-qdf.pdf" 2>/dev/null
pdftotext -q -bbox "$OUT" "$WORK/bbox.html"
/usr/bin/python3 - "$WORK/release-qdf.pdf" "$WORK/bbox.html" >"$WORK/strikes.txt" <<'PY'
import re, sys
qdf = open(sys.argv[1], "rb").read().decode("latin-1")
lines = [tuple(float(v) for v in m.groups()) for m in
         re.finditer(r"q 0 G [\d.]+ w 0 J ([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S Q", qdf)]
marks = crossed = 0
for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', open(sys.argv[2]).read(), re.S):
    h = float(page.group(2))
    for w in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">\(S\)</word>', page.group(3)):
        x0, y0, x1, y1 = map(float, w.groups())
        marks += 1
        if any(abs(a - x0) < 1.5 and abs(c - x1) < 1.5 and h - y1 < b < h - y0 and b == d for a, b, c, d in lines):
            crossed += 1
print(len(lines), marks, crossed)
PY
read -r nlines nmarks ncrossed <"$WORK/strikes.txt"
[ "${nmarks:-0}" -gt 0 ] && [ "$ncrossed" = "$nmarks" ]
ck "cancelled markings lined through: $ncrossed of $nmarks '(S)' marks crossed ($nlines lines drawn)" $?
"$BIN" audit log --json >"$WORK/audit.json" 2>/dev/null
grep -q "release.record" "$WORK/audit.json"; ck "release recorded in the audit log" $?

# a second document, released with --rasterize-unsafe-pages: the choice is in the audit trail
# (the first case closed when its only document was released)
run case create F-2026-00078 --requester "Test Requester" --received 2026-11-03 --policy "$SRC/policies/default.toml" --as admin
run import F-2026-00078 "$CABLE" --doc-no C00000078 --as alice; ck "second case and import" $?
"$BIN" review accept D2 --as alice >>"$WORK/log.txt" 2>&1
for p in $("$BIN" review show D2 --json | jq -r '.paragraphs[] | select(.effective.action == "undecided") | .index'); do
  run review decide D2 --para "$p" --action release --reason "test: released" --as alice
done
run review decide D2 --para "$P_NAME" --span "CHIKVISHVILI" --action redact --exemption "(b)(6)" --reason "test" --as alice
run submit D2 --as alice && run approve D2 --as bob
"$BIN" release D2 --as bob -o "$WORK/release2.pdf" --key "$PKI/signer.key" --cert "$PKI/signer.pem" --rasterize-unsafe-pages \
  >>"$WORK/log.txt" 2>&1; rc=$?
ck "release with --rasterize-unsafe-pages (exit $rc)" $rc
"$BIN" audit log --json >"$WORK/audit2.json" 2>/dev/null
grep -q '"release.options"' "$WORK/audit2.json" && grep -q 'rasterize_unsafe_pages' "$WORK/audit2.json"
ck "--rasterize-unsafe-pages recorded in the audit trail" $?
run audit verify; ck "audit chain still valid" $?
"$BIN" verify "$WORK/release2.pdf" --trust "$PKI/ca.pem" --db "$DECLASS_DB" >/dev/null 2>&1; ck "second release verifies with --db" $?
exit $fail
