#!/usr/bin/python3
"""Test PDFs for tests/cli/redact.sh and tests/cli/pdf_workflow.sh (Debian python3-reportlab).

usage: make_test_pdfs.py cable SEED.txt OUT.pdf OUT.json   -- typewriter cable (Courier 10 pt, Letter):
         the seed cable wrapped at 76 columns, a planted phone number paragraph after the one naming
         CHIKVISHVILI, and "MILITARY-" forced to end a line so "INDUSTRIAL COMPLEX." starts the next;
         OUT.json gives the page/box of the token "KODAKC.029071" (for --box tests).
       make_test_pdfs.py unsafe OUT.pdf   -- one page with text and a JPX image the redactor cannot decode.
"""
import json, sys, textwrap

def cable(seed, out_pdf, out_json):
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import letter
    src = open(seed, encoding="utf-8").read().splitlines()
    lines = []
    for l in src:
        l = l.rstrip()
        if "MILITARY-INDUSTRIAL" in l:
            a, b = l.split("MILITARY-INDUSTRIAL", 1)
            lines += textwrap.wrap(a + "MILITARY-", 76, break_on_hyphens=False)
            lines += textwrap.wrap("INDUSTRIAL" + b, 76, break_on_hyphens=False)
        elif len(l) > 76:
            lines += textwrap.wrap(l, 76, break_on_hyphens=False)
        else:
            lines.append(l)
        if l == "GOLDBERG.":
            lines += ["", "POC IS JOHN HOLLOWAY, TEL (202) 647-5291 FOR THIS MEMCON.", ""]
    c = canvas.Canvas(out_pdf, pagesize=letter, pageCompression=1, invariant=1)
    c.setTitle("CABLE TEST CHIKVISHVILI")  # a term in Info: must be dropped by the redactor
    per_page, top, lead, x0, adv = 58, 750, 12, 72, 6.0
    info = {}
    page = 0
    for i in range(0, len(lines), per_page):
        page += 1
        c.setFont("Courier", 10)
        for k, l in enumerate(lines[i:i + per_page]):
            y = top - k * lead
            c.drawString(x0, y, l)
            at = l.find("KODAKC.029071")
            if at >= 0:
                info["kodak"] = {"page": page, "x0": x0 + at * adv + 1, "y0": y + 1,
                                 "x1": x0 + (at + len("KODAKC.029071")) * adv - 1, "y1": y + 5}
        c.showPage()
    c.save()
    info["pages"] = page
    for k, l in enumerate(lines):
        if l.endswith("MILITARY-"):
            info["hyphen_line_end"] = True
            info["next_line_start"] = lines[k + 1][:18]
    json.dump(info, open(out_json, "w"), indent=1)

def unsafe(out_pdf):
    content = b"BT /F1 12 Tf 72 700 Td (UNSAFE PAGE TEST TEXT ABOVE AN IMAGE) Tj ET\nq 200 0 0 200 100 300 cm /Im1 Do Q\n"
    junk = bytes((i * 37 + 11) % 256 for i in range(600))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode /Length %d >>\nstream\n" % len(junk) + junk + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for n, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % n + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(out_pdf, "wb").write(out)

if __name__ == "__main__":
    if sys.argv[1] == "cable":
        cable(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "unsafe":
        unsafe(sys.argv[2])
    else:
        sys.exit(__doc__)
