#!/usr/bin/python3
# Generates the small real-world PDFs under tests/data/pdf/interp/ that the interpreter is compared
# against MuPDF with (tests/unit/pdf/interp_vs_mutool_test.cpp). Needs Debian python3-reportlab and
# fonts-dejavu-core. Output is committed; rerun only to change the files.
# Usage: /usr/bin/python3 scripts/gen_interp_test_pdfs.py
import os

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "data", "pdf", "interp")
CABLE = os.path.join(ROOT, "examples", "state-1999-12-29-talbott-putin.txt")


def courier_cable():
    c = canvas.Canvas(os.path.join(OUT, "rl_courier_cable.pdf"), pagesize=letter, invariant=1)
    lines = open(CABLE, encoding="utf-8").read().splitlines()
    for page in range(2):
        c.setFont("Courier", 10)
        y = 750
        for ln in lines[page * 58:(page + 1) * 58]:
            c.drawString(54, y, ln[:90].encode("ascii", "replace").decode())
            y -= 12
        c.showPage()
    c.save()


def mixed():
    c = canvas.Canvas(os.path.join(OUT, "rl_mixed.pdf"), pagesize=letter, invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Helvetica 12: The quick brown fox (jumps) over 1,234 lazy dogs.")
    c.setFont("Times-Bold", 15)
    c.drawString(72, 690, "Times-Bold 15: SECRET//NOFORN Wave 42")
    t = c.beginText(72, 650)
    t.setFont("Helvetica-Oblique", 9)
    t.setCharSpace(1.5)
    t.setWordSpace(4)
    t.textLine("char and word spacing: alpha beta gamma")
    t.setCharSpace(0)
    t.setWordSpace(0)
    t.setHorizScale(70)
    t.textLine("horizontal scale seventy percent")
    t.setHorizScale(100)
    t.setRise(6)
    t.textOut("raised ")
    t.setRise(0)
    t.textOut("and back")
    c.drawText(t)
    c.saveState()
    c.translate(400, 400)
    c.rotate(30)
    c.setFont("Courier-Bold", 11)
    c.drawString(0, 0, "rotated thirty degrees")
    c.restoreState()
    c.beginForm("stamp")
    c.setFont("Helvetica-Bold", 10)
    c.drawString(0, 0, "FORM TEXT 7")
    c.endForm()
    c.saveState()
    c.translate(100, 300)
    c.doForm("stamp")
    c.restoreState()
    c.saveState()
    c.translate(300, 200)
    c.scale(1.5, 1.5)
    c.doForm("stamp")
    c.restoreState()
    c.showPage()
    c.save()


def truetype():
    pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    c = canvas.Canvas(os.path.join(OUT, "rl_truetype.pdf"), pagesize=letter, invariant=1)
    c.setFont("DejaVuSans", 11)
    c.drawString(72, 700, "DejaVu Sans: Größe café naïve — “quotes” Ωμέγα")
    c.drawString(72, 680, "Plain ASCII line with Kerning AV To Wa")
    c.setFont("DejaVuSans", 7)
    c.drawString(72, 660, "small 7 pt text 0123456789")
    c.showPage()
    c.save()


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    courier_cable()
    mixed()
    truetype()
