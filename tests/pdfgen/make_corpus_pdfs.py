#!/usr/bin/python3
"""PDFs of real corpus records made by other software (Ghostscript pdfwrite, MuPDF `mutool create`,
ReportLab), for redaction tests with --term rules, including a term crossing a line break and a term
whose hyphen ends a line. usage: make_corpus_pdfs.py RECORD_DIR OUTDIR [PRODUCER ...]
Writes OUTDIR/<record>.<producer>.pdf and OUTDIR/corpus.json (terms, the typeset text per page).
Terms were chosen by reading the records (tests/data/pdf/corpus/*.txt); forced line breaks put
"KGB set-" / "up" and "Foreign" / "Ministry" on different lines.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unicodedata

WIDTH, LINES_PER_PAGE, TOP, LEADING = 66, 56, 740, 12

RECORDS = [
    {"file": "frus_frus1981-88v05_d267.txt", "stem": "frus_d267", "paragraphs": True,
     "breaks": [("KGB set-up", 8), ("Foreign Ministry and is", 8)],
     "terms": [("Daniloff", "B6"), ("KGB set-up", "B7(C)"), ("Foreign Ministry", "B6"), ("Zakharov", "B6"),
               ("Bessmertnykh", "B6")]},
    {"file": "stateFOIA_F-2017-13804_C06685763.txt", "stem": "state_c06685763", "paragraphs": False, "breaks": [],
     "terms": [("TONY QUAINTON", "B6"), ("SAITO", "B6"), ("JIM THESSIN", "B6")]},
    {"file": "jfk_104-10003-10041.txt", "stem": "jfk_104-10003-10041", "paragraphs": False, "breaks": [],
     "terms": [("Arthur P. Iorio", "B6"), ("Birch O'Neil", "B6"), ("Italian Communist Party", "B6"),
               ("Gianfranco Corsini", "B6")]},
]

FOLD = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "--", "\u2013": "-",
        "\u2713": "v", "\u2610": "[ ]", "\u2022": "*", "\u20ac": "E"}


def fold(s):
    s = "".join(FOLD.get(c, c) for c in s)
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def wrap_with_breaks(s, breaks):
    cuts = []
    for phrase, off in breaks:
        i = s.find(phrase)
        if i >= 0:
            cuts.append(i + off)
    pieces, last = [], 0
    for c in sorted(cuts):
        pieces.append(s[last:c])
        last = c
    pieces.append(s[last:])
    out = []
    for piece in pieces:
        out += textwrap.wrap(piece, WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
    return out


def layout(rec, src_dir):
    raw = fold(open(os.path.join(src_dir, rec["file"]), encoding="utf-8").read())
    lines = []
    for src_line in raw.split("\n"):
        if not src_line.strip():
            if lines and lines[-1] != "":
                lines.append("")
            continue
        lines += wrap_with_breaks(src_line.strip(), rec["breaks"])
    while lines and lines[-1] == "":
        lines.pop()
    return [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_gs(pages, out):
    ps = ["%!PS-Adobe-3.0", "<< /PageSize [612 792] >> setpagedevice"]
    for pg in pages:
        ps.append("/Courier findfont 10 scalefont setfont")
        for k, line in enumerate(pg):
            if line:
                ps.append("72 %d moveto (%s) show" % (TOP - k * LEADING, esc(line)))
        ps.append("showpage")
    with tempfile.NamedTemporaryFile("w", suffix=".ps", delete=False) as f:
        f.write("\n".join(ps) + "\n")
    try:
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                        "-sOutputFile=" + out, f.name], check=True, stdout=subprocess.DEVNULL)
    finally:
        os.unlink(f.name)


def make_mutool(pages, out):
    d = tempfile.mkdtemp()
    try:
        files = []
        for n, pg in enumerate(pages):
            body = ["%%MediaBox 0 0 612 792", "%%Font F1 Courier", "BT /F1 10 Tf 12 TL 72 %d Td" % TOP]
            for k, line in enumerate(pg):
                if k:
                    body.append("T*")
                if line:
                    body.append("(%s) Tj" % esc(line))
            body.append("ET")
            fn = os.path.join(d, "p%03d.txt" % n)
            open(fn, "w").write("\n".join(body) + "\n")
            files.append(fn)
        subprocess.run(["mutool", "create", "-o", out, "-O", "compress"] + files, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        shutil.rmtree(d)


def make_reportlab(pages, out):
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(out, pagesize=(612, 792), pageCompression=1, invariant=1)
    for pg in pages:
        t = c.beginText(72, TOP)
        t.setFont("Courier", 10, leading=LEADING)
        for line in pg:
            t.textLine(line)
        c.drawText(t)
        c.showPage()
    c.save()


PRODUCERS = {"gs": make_gs, "mutool": make_mutool, "reportlab": make_reportlab}


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: make_corpus_pdfs.py RECORD_DIR OUTDIR [gs|mutool|reportlab ...]")
    src, out = sys.argv[1], sys.argv[2]
    producers = sys.argv[3:] or list(PRODUCERS)
    os.makedirs(out, exist_ok=True)
    side = []
    for rec in RECORDS:
        pages = layout(rec, src)
        for prod in producers:
            name = "%s.%s.pdf" % (rec["stem"], prod)
            PRODUCERS[prod](pages, os.path.join(out, name))
            side.append({"pdf": name, "producer": prod, "record": rec["file"],
                         "terms": [{"term": t, "codes": c} for t, c in rec["terms"]],
                         "pages": ["\n".join(pg) for pg in pages]})
    json.dump({"schema": "declass.test.corpus-pdfs/1", "docs": side}, open(os.path.join(out, "corpus.json"), "w"), indent=1)
    print("made %d PDFs (%s)" % (len(side), ", ".join(producers)))


if __name__ == "__main__":
    main()
