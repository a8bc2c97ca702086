#!/usr/bin/env bash
# The main job end to end through the store (scripts/release-demo), then the independent checks a
# signed release must pass (qpdf, pdfsig with the demo CA trusted, openssl CMS, pdftotext,
# lint_release.sh), released text present, tampering detected, unapproved/repeated release refused.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
TOOLS="$SRC/../shared/tools"; [ -d "$TOOLS" ] || TOOLS=/work/shared/tools
export SOURCE_DATE_EPOCH=1795910400
fail=0
ck() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$SRC/scripts/release-demo" "$BIN" "$WORK/demo" >"$WORK/demo.log" 2>&1
ck "scripts/release-demo completes" $?
PDF="$WORK/demo/C06551526-release.pdf"; CA="$WORK/demo/demo-pki/ca.pem"
export DECLASS_DB="$WORK/demo/declass.db"
[ -f "$PDF" ] || { cat "$WORK/demo.log"; echo "FAIL no release PDF"; exit 1; }

# Withheld: the (b)(6) span across a line break in paragraph 2, and all of paragraph 11.
withheld=("CHIKVISHVILI" "NORTH AMERICAS DIRECTOR" "AMERICAS DIRECTOR" "REBEL BASE LOCATED 5KM INSIDE GEORGIAN TERRITORY"
          "YOUR FRIEND SHEVARDNADZE IS A FOOL" "DECAPITATED HEAD OF ONE OF THEIR CAPTIVES")
if [ -x "$TOOLS/check_signed_release.sh" ]; then
  "$TOOLS/check_signed_release.sh" "$PDF" "$CA" "${withheld[@]}" >"$WORK/check.txt" 2>&1
  ck "check_signed_release.sh: qpdf, pdfsig valid+trusted+total, openssl CMS, pdftotext, lint (0 FAIL)" $?
  grep FAIL "$WORK/check.txt"
else
  echo "skip shared/tools (not beside this checkout); running the tools directly"
  qpdf --check "$PDF" >/dev/null 2>&1; ck "qpdf --check" $?
fi
pdftotext "$PDF" "$WORK/out.txt"
for w in "${withheld[@]}"; do ! grep -q -F "$w" "$WORK/out.txt"; ck "pdftotext: '$w' absent" $?; done
# Fragments of the wrapped span on each line: neither 'MFA NORTH' (end of a line) nor the name survive.
! grep -q "MFA NORTH" "$WORK/out.txt"; ck "no fragment of the wrapped span on its first line" $?
tr -s ' \n' ' ' <"$WORK/out.txt" >"$WORK/flat.txt"
for para in "DEPUTY SECRETARY TALBOTT MET WITH RUSSIAN PRIME" "TALBOTT RAISED THE DANGER OF REGIONAL SPILLOVER" \
            "TALBOTT REITERATED THE IMPORTANCE OF RUSSIA'S RESPECTING" "PUTIN ASKED THAT TALBOTT CONVEY GREETINGS"; do
  grep -q -F "$para" "$WORK/flat.txt"; ck "released text present: '$para'" $?
done
grep -q "RELEASE IN PART B1, 1.4(D), B6" "$WORK/flat.txt"; ck "header stamp RELEASE IN PART B1, 1.4(D), B6" $?
grep -q "Case No. F-2017-13804 Doc No. C06551526" "$WORK/flat.txt"; ck "footer with case and document numbers" $?
grep -q "B6" "$WORK/out.txt"; ck "box label B6 printed" $?

"$BIN" verify "$PDF" --trust "$CA" --db "$DECLASS_DB" >"$WORK/v.txt" 2>&1; ck "declass verify --db: valid" $?
cp "$PDF" "$WORK/flip.pdf"
printf 'X' | dd of="$WORK/flip.pdf" bs=1 seek=2000 conv=notrunc 2>/dev/null
"$BIN" verify "$WORK/flip.pdf" --trust "$CA" >/dev/null 2>&1; rc=$?; [ $rc = 4 ]; ck "one changed byte: verify exits 4 (got $rc)" $?
cp "$PDF" "$WORK/append.pdf"; printf '\n%% appended\n' >>"$WORK/append.pdf"
"$BIN" verify "$WORK/append.pdf" --trust "$CA" >/dev/null 2>&1; rc=$?; [ $rc = 4 ]; ck "appended bytes: verify exits 4 (got $rc)" $?

KEY="$WORK/demo/demo-pki/authority.key"; CERT="$WORK/demo/demo-pki/authority.pem"
"$BIN" release D1 --as bob -o "$WORK/again.pdf" --key "$KEY" --cert "$CERT" >"$WORK/o" 2>"$WORK/e"; rc=$?
[ $rc = 2 ] && grep -q "only an approved document" "$WORK/e"; ck "releasing a released document is refused (exit $rc)" $?
[ ! -e "$WORK/again.pdf" ]; ck "no file left by a refused release" $?
"$BIN" case create F-2026-00001 --requester "Test" --received 2026-11-02 --policy "$SRC/policies/default.toml" --as admin >/dev/null 2>&1
"$BIN" import F-2026-00001 "$SRC/tests/data/corpus/stateFOIA_F-2017-13804_C06685763.txt" --doc-no C06685763 --as alice >/dev/null 2>&1
ck "second case and import" $?
"$BIN" release C06685763 --as bob -o "$WORK/unapproved.pdf" --key "$KEY" --cert "$CERT" >"$WORK/o" 2>"$WORK/e"; rc=$?
[ $rc = 2 ] && grep -q "only an approved document" "$WORK/e"; ck "releasing an unapproved document is refused (exit $rc)" $?
[ ! -e "$WORK/unapproved.pdf" ]; ck "no file for the unapproved document" $?
"$BIN" audit verify >/dev/null 2>&1; ck "audit chain valid after the release" $?
"$BIN" audit log --json >"$WORK/log.json" 2>/dev/null
grep -q '"document.release\|release.record' "$WORK/log.json"; ck "release recorded in the audit log" $?
exit $fail
