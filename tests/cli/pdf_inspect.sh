#!/usr/bin/env bash
# CLI test of `declass inspect` on PDFs: the seed cable typed into a PDF with `mutool create` (Courier 10,
# wrapped at 80 columns, a page per "PAGE nn" header) reads like the .txt (17 numbered paragraphs, SECRET
# banner, the same portion marks and paragraph text); an encrypted copy needs a password; broken PDFs fail
# with a one-line error and exit 2, never a crash.  Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1
SRC=$2
TMP=$3
rm -rf "$TMP"
mkdir -p "$TMP"
SEED="$SRC/examples/state-1999-12-29-talbott-putin.txt"
DATE="--review-date 2026-11-28"
fail=0
ck() {  # ck NAME STATUS
  if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
for tool in mutool qpdf jq python3; do
  command -v $tool >/dev/null || { echo "FAIL $tool not installed (scripts/setup installs it)"; exit 1; }
done

# ---- the seed cable as a typed PDF ----
python3 - "$SEED" "$TMP" <<'EOF'
import re, sys, textwrap
src, out = sys.argv[1], sys.argv[2]
lines = open(src, encoding="ascii").read().split("\n")
wrapped = []
for l in lines:
    if len(l) <= 80:
        wrapped.append(l)
    else:
        wrapped += textwrap.wrap(l, 80, break_long_words=True, break_on_hyphens=False)
pages = [[]]
for l in wrapped:
    if re.match(r"^PAGE \d\d ", l) and pages[-1]:
        pages.append([])
    pages[-1].append(l)
for n, p in enumerate(pages):
    h = 144 + 12 * len(p)
    with open(f"{out}/page{n + 1:02d}.txt", "w") as f:
        f.write(f"%%MediaBox 0 0 612 {h}\n%%Font F1 Courier\n")
        y = h - 72
        for l in p:
            if l.strip():
                s = l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                f.write(f"BT /F1 10 Tf 72 {y} Td ({s}) Tj ET\n")
            y -= 12
with open(f"{out}/seed-wrapped.txt", "w") as f:  # the same lines as text, pages split by form feeds
    f.write("\f".join("\n".join(p) + "\n" for p in pages))
print(len(pages))
EOF
mutool create -o "$TMP/seed.pdf" "$TMP"/page*.txt
ck "mutool create made the seed PDF" $?
NPAGES=$(ls "$TMP"/page*.txt | wc -l)

"$BIN" inspect --json $DATE "$SEED" >"$TMP/txt.json" 2>"$TMP/txt.err"
rc=$?; [ $rc = 0 ] || [ $rc = 3 ]; ck "inspect seed .txt (exit $rc)" $?
"$BIN" inspect --json $DATE "$TMP/seed.pdf" >"$TMP/pdf.json" 2>"$TMP/pdf.err"
rc=$?; [ $rc = 0 ] || [ $rc = 3 ]; ck "inspect seed .pdf (exit $rc)" $?
[ -s "$TMP/pdf.err" ] && { echo "  stderr:"; head -3 "$TMP/pdf.err"; }

[ "$(jq -r .source.format "$TMP/pdf.json")" = pdf ]; ck "format is pdf" $?
[ "$(jq -r .source.pages "$TMP/pdf.json")" = "$NPAGES" ]; ck "pages = $NPAGES PDF pages" $?
[ "$(jq '[.paragraphs[] | select(.number != null)] | length' "$TMP/pdf.json")" = 17 ]; ck "17 numbered paragraphs" $?
# the seed's first banner line reads "SECRET PTO1637" (a teletype page id after the level)
[ "$(jq -c .banner "$TMP/pdf.json")" = "$(jq -c .banner "$TMP/txt.json")" ]; ck "banner as in the .txt" $?
[ "$(jq -r '.banner.classification' "$TMP/pdf.json")" = S ]; ck "banner classification S" $?
marks() { jq -c '[.paragraphs[] | select(.number != null) | [.number, .portion.classification]]' "$1"; }
[ "$(marks "$TMP/pdf.json")" = "$(marks "$TMP/txt.json")" ]; ck "same portion marks as the .txt" $?
[ "$(marks "$TMP/pdf.json")" = '[["1","U"],["2","S"],["3","S"],["4","S"],["5","S"],["6","S"],["7","S"],["8","S"],["9","S"],["10","S"],["11","S"],["12","S"],["13","S"],["14","S"],["15","S"],["16","S"],["17","S"]]' ]
ck "portion marks ¶1 U, ¶2-17 S" $?
# numbered paragraph text equals the .txt's (whitespace runs collapsed: the PDF is wrapped at 80 columns).
# ¶17 only up to its last sentence: wrapped at 80 columns, the signature "TALBOTT" that follows it is no
# longer set off by a long line and joins the paragraph (the text reader does the same on the wrapped text)
texts() { jq -c '[.paragraphs[] | select(.number != null) | .text | gsub("\\s+"; " ") | sub(" TALBOTT$"; "")]' "$1"; }
[ "$(texts "$TMP/pdf.json")" = "$(texts "$TMP/txt.json")" ]; ck "numbered paragraph text as in the .txt" $?
# against the same wrapped lines as a text record: every paragraph, exactly, with its pages
"$BIN" inspect --json $DATE "$TMP/seed-wrapped.txt" >"$TMP/wtxt.json" 2>/dev/null
paras() { jq -c '[.paragraphs[] | [.number, .zone, .portion.marking, .text, .pages]]' "$1"; }
[ "$(paras "$TMP/pdf.json")" = "$(paras "$TMP/wtxt.json")" ]; ck "all paragraphs (text, zone, mark, pages) as in the wrapped text" $?
jq -e '.paragraphs | length > 17' "$TMP/pdf.json" >/dev/null; ck "  (more than the 17 numbered ones)" $?
for k in captions tags authority release; do
  [ "$(jq -c ".$k" "$TMP/pdf.json")" = "$(jq -c ".$k" "$TMP/txt.json")" ]; ck "$k as in the .txt" $?
done
"$BIN" inspect $DATE "$TMP/seed.pdf" >"$TMP/pdf.txt" 2>&1
grep -q "(pdf, $NPAGES pages, " "$TMP/pdf.txt"; ck "text summary names the PDF format" $?

# ---- encrypted PDF: refused without the password, read with it ----
qpdf --encrypt u o 256 -- "$TMP/seed.pdf" "$TMP/enc.pdf"
ck "qpdf made the encrypted PDF" $?
"$BIN" inspect $DATE "$TMP/enc.pdf" >/dev/null 2>"$TMP/enc.err"
rc=$?; [ $rc = 2 ]; ck "encrypted PDF without password: exit 2 (got $rc)" $?
grep -qi password "$TMP/enc.err"; ck "message mentions the password" $?
[ "$(wc -l <"$TMP/enc.err")" = 1 ]; ck "one-line message" $?
printf 'u\n' >"$TMP/pw"
"$BIN" inspect --json $DATE --password-file "$TMP/pw" "$TMP/enc.pdf" >"$TMP/enc.json" 2>/dev/null
rc=$?; [ $rc = 0 ] || [ $rc = 3 ]; ck "--password-file: read (exit $rc)" $?
[ "$(marks "$TMP/enc.json")" = "$(marks "$TMP/txt.json")" ]; ck "encrypted PDF: same portion marks" $?
PDFPW=u "$BIN" inspect --json $DATE --password env:PDFPW "$TMP/enc.pdf" >"$TMP/enc2.json" 2>/dev/null
rc=$?; [ $rc = 0 ] || [ $rc = 3 ]; ck "--password env:PDFPW: read (exit $rc)" $?
printf 'wrong\n' >"$TMP/badpw"
"$BIN" inspect $DATE --password-file "$TMP/badpw" "$TMP/enc.pdf" >/dev/null 2>"$TMP/bad.err"
rc=$?; [ $rc = 2 ]; ck "wrong password: exit 2 (got $rc)" $?
grep -qi password "$TMP/bad.err"; ck "wrong password: message mentions the password" $?
"$BIN" inspect $DATE --password s3cretPW "$TMP/enc.pdf" >/dev/null 2>"$TMP/lit.err"
rc=$?; [ $rc = 1 ]; ck "a literal password on the command line is refused: exit 1 (got $rc)" $?
! grep -q s3cretPW "$TMP/lit.err"; ck "  and not echoed" $?

# ---- broken PDFs: one-line error, exit 2, never a crash ----
head -c 400 "$TMP/seed.pdf" >"$TMP/trunc.pdf"
{ printf '%%PDF-1.4\n'; head -c 4000 /dev/urandom; } >"$TMP/garbage.pdf"
printf '%%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' >"$TMP/nopages.pdf"
for f in trunc garbage nopages; do
  "$BIN" inspect $DATE "$TMP/$f.pdf" >"$TMP/$f.out" 2>"$TMP/$f.err"
  rc=$?; [ $rc = 2 ]; ck "$f.pdf: exit 2 (got $rc)" $?
  [ "$(wc -l <"$TMP/$f.err")" = 1 ]; ck "$f.pdf: one-line error" $?
  grep -q "$f.pdf" "$TMP/$f.err"; ck "$f.pdf: error names the file" $?
done
"$BIN" inspect --json $DATE "$TMP/garbage.pdf" >"$TMP/g.json" 2>/dev/null
jq -e '.error | length > 0' "$TMP/g.json" >/dev/null; ck "garbage.pdf --json: error object" $?
# cut in the middle: read what is there or refuse, but never crash
size=$(stat -c %s "$TMP/seed.pdf")
for cut in $((size / 3)) $((size / 2)) $((size - 100)); do
  head -c $cut "$TMP/seed.pdf" >"$TMP/cut.pdf"
  "$BIN" inspect --json $DATE "$TMP/cut.pdf" >/dev/null 2>"$TMP/cut.err"
  rc=$?; [ $rc = 0 ] || [ $rc = 2 ] || [ $rc = 3 ]; ck "cut at $cut bytes: no crash (exit $rc)" $?
done
# a scan without a text layer
printf '%%%%MediaBox 0 0 612 792\n0.5 g 72 72 400 600 re f\n' >"$TMP/scanpage.txt"
mutool create -o "$TMP/scan.pdf" "$TMP/scanpage.txt"
"$BIN" inspect $DATE "$TMP/scan.pdf" >/dev/null 2>"$TMP/scan.err"
rc=$?; [ $rc = 2 ]; ck "no text layer: exit 2 (got $rc)" $?
grep -q "no text layer" "$TMP/scan.err" && grep -q OCR "$TMP/scan.err"; ck "no text layer: message says to run OCR" $?

# ---- import: the store keeps the PDF bytes as the source and its paragraphs as inspected ----
export DECLASS_DB="$TMP/declass.db"
"$BIN" init >/dev/null 2>&1 && "$BIN" user add root --role admin >/dev/null 2>&1 &&
  "$BIN" user add alice --role reviewer --as root >/dev/null 2>&1 &&
  "$BIN" case create F-2017-13804 --requester "Wilson Center" --received 2017-05-01 \
    --policy "$SRC/policies/default.toml" --as alice >/dev/null 2>&1
ck "store, users and case created" $?
"$BIN" import F-2017-13804 "$TMP/seed.pdf" --doc-no C06551526 --as alice --json >"$TMP/imp.json" 2>"$TMP/imp.err"
ck "import seed.pdf" $?
[ "$(jq -r .source_sha256 "$TMP/imp.json")" = "$(sha256sum "$TMP/seed.pdf" | cut -d' ' -f1)" ]
ck "stored source is the PDF (sha256)" $?
"$BIN" review show D1 --json >"$TMP/show.json" 2>/dev/null
ck "review show D1" $?
[ "$(jq '.paragraphs | length' "$TMP/show.json")" = "$(jq '.paragraphs | length' "$TMP/pdf.json")" ]
ck "stored paragraphs = inspected paragraphs of the PDF" $?
[ "$(jq -c '[.paragraphs[].text]' "$TMP/show.json")" = "$(jq -c '[.paragraphs[].text]' "$TMP/pdf.json")" ]
ck "stored paragraph text = inspected text" $?
"$BIN" import F-2017-13804 "$TMP/enc.pdf" --doc-no ENC --as alice >/dev/null 2>"$TMP/impenc.err"
rc=$?; [ $rc = 2 ] && grep -qi password "$TMP/impenc.err"; ck "import of an encrypted PDF refused, naming the password (exit $rc)" $?

if [ $fail != 0 ]; then echo "pdf_inspect: FAILED"; exit 1; fi
echo "pdf_inspect: all ok"
