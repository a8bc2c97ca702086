#!/usr/bin/env bash
# `declass redact` on pages with /Rotate 0, 90, 180 and 270 whose text reads upright for the viewer: the
# --stamp header and the label in each redaction box must read upright too (pdftotext -bbox, which reports words in the displayed
# page: an upright word is wider than tall) and the header must sit at the top of the displayed page;
# the term must be gone and the text around it kept. Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1795910400
fail=0
ck() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v pdftotext >/dev/null || { echo "FAIL needs pdftotext (poppler-utils)"; exit 1; }
$PY -c 'import reportlab' 2>/dev/null || { echo "FAIL needs Debian python3-reportlab"; exit 1; }

IN="$WORK/rotated.pdf"; OUT="$WORK/rotated-redacted.pdf"
$PY - "$IN" <<'PYEOF'
import sys
from reportlab.pdfgen import canvas
from reportlab.lib.pagesizes import letter
# A portrait page box with /Rotate R and the line drawn turned against it, so that it reads upright
# for the viewer (a scan fixed by /Rotate): display point (u, v) -> user space as in pdf/page_geometry.
# (reportlab writes the MediaBox of a 90/270 page as 792 x 612.)
c = canvas.Canvas(sys.argv[1], pagesize=letter, invariant=1)
for n, rot in enumerate((0, 90, 180, 270), start=1):
    c.setPageRotation(rot)
    W, H = (letter[1], letter[0]) if rot in (90, 270) else letter
    u, v = 72, 300
    m = {0: (1, 0, 0, 1, u, v), 90: (0, 1, -1, 0, W - v, u), 180: (-1, 0, 0, -1, W - u, H - v), 270: (0, -1, 1, 0, v, H - u)}[rot]
    c.saveState()
    c.transform(*m)
    c.setFont("Courier", 12)
    c.drawString(0, 0, "PAGE %d CONTACT TSYGANOV TODAY ABOUT THE VISIT." % n)
    c.restoreState()
    c.showPage()
# page 5: /Rotate 90 with the lines drawn plainly, so they run down the displayed page: a long label
# ("B1 1.4(D)") follows its line (reads bottom to top) rather than shrinking to fit across the narrow box
c.setPageRotation(90)
c.setFont("Courier", 12)
c.drawString(72, 300, "PAGE 5 CONTACT TSYGANOV TODAY ABOUT THE VISIT.")
c.drawString(72, 340, "PAGE 5 THE SOURCE IS SERGEY IVANOV AT THE MINISTRY.")
c.showPage()
c.save()
PYEOF
for r in 0 90 180 270; do
  grep -aq "/Rotate $r" "$IN" || [ $r = 0 ]; ck "input has a page with /Rotate $r" $?
done

"$BIN" redact "$IN" -o "$OUT" --term TSYGANOV:B6 --term "SERGEY IVANOV:B1,1.4(D)" --stamp "RELEASED IN PART B6" --json > "$WORK/report.json" 2> "$WORK/err.txt"
ck "declass redact exits 0 (got $?)" $?
[ -s "$OUT" ]; ck "output written" $?

for p in 1 2 3 4 5; do
  pdftotext -f $p -l $p "$OUT" - 2>/dev/null > "$WORK/p$p.txt"
  ! grep -qE "TSYGANOV|IVANOV" "$WORK/p$p.txt"; ck "page $p: the terms are gone" $?
  grep -q "CONTACT" "$WORK/p$p.txt" && grep -q "TODAY ABOUT THE VISIT" "$WORK/p$p.txt"; ck "page $p: the text around it is kept" $?
  pdftotext -bbox -f $p -l $p "$OUT" "$WORK/p$p.html" 2>/dev/null
  $PY - "$WORK/p$p.html" $p <<'PYEOF'
import re, sys
sideways_label = sys.argv[2] == "5"
html = open(sys.argv[1], encoding="utf-8").read()
page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
pw, ph = float(page.group(1)), float(page.group(2))
words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
         re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
def find(w):
    return [x for x in words if x[4] == w]
bad = []
for w in ("RELEASED", "PART"):
    hits = find(w)
    if len(hits) != 1:
        bad.append("%s found %d times" % (w, len(hits)))
        continue
    x0, y0, x1, y1, _ = hits[0]
    if not (x1 - x0 > y1 - y0):
        bad.append("%s is not upright (box %.1fx%.1f)" % (w, x1 - x0, y1 - y0))
    if not (y1 < 0.1 * ph):
        bad.append("%s is not at the top of the displayed page (yMax %.1f of %.1f)" % (w, y1, ph))
labels = [x for x in find("B6") if x[1] > 0.1 * ph]  # the label in the box (the stamp's B6 is at the top)
if len(labels) != 1:
    bad.append("label B6 found %d times below the header" % len(labels))
elif not sideways_label and not (labels[0][2] - labels[0][0] > labels[0][3] - labels[0][1]):
    bad.append("label B6 is not upright")
if sideways_label:
    long = find("1.4(D)")
    if len(long) != 1:
        bad.append("label 1.4(D) found %d times" % len(long))
    elif not (long[0][3] - long[0][1] > 1.5 * (long[0][2] - long[0][0])):
        bad.append("label 1.4(D) does not run along its line, which runs down the page")
print("; ".join(bad) if bad else "upright")
sys.exit(1 if bad else 0)
PYEOF
  ck "page $p: header stamp at the top and label upright for the viewer (page 5: along its line)" $?
done
exit $fail
