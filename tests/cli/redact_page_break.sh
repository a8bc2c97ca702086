#!/usr/bin/env bash
# `declass redact --regex` on a match that straddles a page break (the bench-redact leak: "POC IS JOHN" ends
# page 1, "RASMUSSEN, TEL ..." starts page 2, with the footer, banner and PAGE line between, after a cable
# header line): both fragments must be removed (pdftotext per page), the furniture and the text around kept.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1795910400
fail=0
ck() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v pdftotext >/dev/null || { echo "FAIL needs pdftotext (poppler-utils)"; exit 1; }
$PY -c 'import reportlab' 2>/dev/null || { echo "FAIL needs Debian python3-reportlab"; exit 1; }

# two pages in the layout of shared/bench/gen_corpus.py (reportlab, Courier 10 pt, 52 body lines a page)
IN="$WORK/straddle.pdf"
$PY - "$IN" <<'PYEOF'
import sys
from reportlab.pdfgen import canvas
from reportlab.lib.pagesizes import letter
body1 = ["FM SECSTATE WASHDC", ""] + ["FILLER LINE %d OF THE FIRST PARAGRAPH." % i for i in range(45)] + [""] + [
    "THE MINISTER SAID PEOPLE WERE NOW ANXIOUS TO LEAVE THE CAMPS AND",
    "RETURN TO THEIR HOMES; 1500 ALREADY HAD. RUSSIA WOULD RESPOND TO",
    "THESE DESIRES: GAS AND POWER WERE BEING RESTORED AND POC IS JOHN"]
body2 = ["RASMUSSEN, TEL (220) 433-3626.", "", "CHECHNYA", "", "THE MEETING ENDED AT NOON WITH AN EXCHANGE OF VIEWS."]
c = canvas.Canvas(sys.argv[1], pagesize=letter, invariant=1)
for n, body in ((1, body1), (2, body2)):
    c.setFont("Courier", 10)
    c.drawCentredString(306, 750, "SECRET")
    t = c.beginText(72, 725)
    t.setFont("Courier", 10, leading=12)
    t.textLine("PAGE %02d        STATE 666116   221740Z" % n)
    t.textLine("")
    for l in body:
        t.textLine(l)
    c.drawText(t)
    c.drawCentredString(306, 40, "SECRET")
    c.showPage()
c.save()
PYEOF
ck "two-page PDF generated" $?
[ "$(pdftotext -q -f 1 -l 1 "$IN" - | grep -c 'POC IS JOHN$')" = 1 ] && pdftotext -q -f 2 -l 2 "$IN" - | grep -q "^RASMUSSEN, TEL"
ck "input: the match straddles the page break" $?

OUT="$WORK/out.pdf"
"$BIN" redact "$IN" -o "$OUT" --regex '\bPOC IS [A-Z]+ [A-Z]+:B6' --json >"$WORK/o.json" 2>"$WORK/e.txt"
rc=$?; ck "redact exits 0 (got $rc)" $rc
[ $rc = 0 ] || cat "$WORK/e.txt"
[ -s "$OUT" ] || { echo "FAIL no output: the remaining checks cannot run"; exit 1; }
p1=$(pdftotext -q -f 1 -l 1 "$OUT" -); p2=$(pdftotext -q -f 2 -l 2 "$OUT" -)
! grep -q -e "POC IS" -e "JOHN" <<<"$p1"; ck "page 1: fragment 'POC IS JOHN' removed" $?
! grep -q "RASMUSSEN" <<<"$p2"; ck "page 2: fragment 'RASMUSSEN' removed" $?
grep -q "RESTORED AND" <<<"$p1"; ck "page 1: text before the match kept" $?
grep -q "TEL (220) 433-3626" <<<"$p2"; ck "page 2: text after the match kept" $?
[ "$(grep -c '^SECRET$' <<<"$p1")" = 2 ] && [ "$(grep -c '^SECRET$' <<<"$p2")" = 2 ]; ck "banners and footers kept" $?
grep -Eq "PAGE 02 +STATE 666116" <<<"$(pdftotext -q -layout -f 2 -l 2 "$OUT" -)"; ck "page 2 PAGE line kept" $?
exit $fail
