#!/usr/bin/python3
"""Adversarial PDFs for testing true redaction: withheld terms planted in every place DESIGN.md §7 lists.
Raw PDF syntax written by hand (standard library only; zlib for Flate), so the tests do not depend on
the code under test. usage: make_adversarial.py OUTDIR  ->  adversarial.pdf/.json, type3.pdf/.json
Each term is distinct, so a leak names its place. The sidecar JSON lists terms, places, boxes (page user
space), the expected kept text with word positions, and image pixel checks. Geometry is computed here
from the layout (Courier-metric fonts: 600/1000 em), never read back from a PDF tool.
"""
import json
import os
import sys
import zlib

FS = 10.0          # font size used everywhere
ADV = 6.0          # Courier advance at 10 pt
PAGE_W, PAGE_H = 612, 792


def pdf_lit(s):
    """PDF literal string (bytes in -> escaped bytes out)."""
    if isinstance(s, str):
        s = s.encode("latin-1")
    out = bytearray(b"(")
    for c in s:
        if c in b"()\\":
            out += b"\\" + bytes([c])
        elif c < 32 or c > 126:
            out += b"\\%03o" % c
        else:
            out.append(c)
    return bytes(out + b")")


def pdf_hex(b):
    if isinstance(b, str):
        b = b.encode("latin-1")
    return b"<" + b.hex().upper().encode() + b">"


def utf16_lit(s):
    return pdf_lit(b"\xfe\xff" + s.encode("utf-16-be"))


class Pdf:
    """Minimal object store + writer (classic xref table), with incremental updates."""

    def __init__(self):
        self.objs = {}
        self.next = 1

    def reserve(self):
        n = self.next
        self.next += 1
        return n

    def add(self, body, num=None):
        if num is None:
            num = self.reserve()
        self.objs[num] = body if isinstance(body, bytes) else body.encode("latin-1")
        return num

    def stream(self, dict_items, data, compress=True, num=None):
        if isinstance(data, str):
            data = data.encode("latin-1")
        if compress:
            data = zlib.compress(data, 9)
            dict_items = dict_items + b" /Filter /FlateDecode"
        body = b"<< " + dict_items + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        return self.add(body, num)

    def write(self, root, info, file_id=b"0123456789ABCDEF0123456789ABCDEF"):
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offs = {}
        for n in sorted(self.objs):
            offs[n] = len(out)
            out += b"%d 0 obj\n" % n + self.objs[n] + b"\nendobj\n"
        size = max(self.objs) + 1
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for n in range(1, size):
            out += (b"%010d 00000 n \n" % offs[n]) if n in offs else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
            size, root, info, file_id, file_id, xref)
        self.size = size
        self.prev_xref = xref
        return bytes(out)

    def update(self, base, changed, root, info, file_id=b"0123456789ABCDEF0123456789ABCDEF"):
        """Incremental update: append new versions of the object numbers in `changed` (num -> body)."""
        out = bytearray(base)
        offs = {}
        for n in sorted(changed):
            offs[n] = len(out)
            out += b"%d 0 obj\n" % n + changed[n] + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 1\n0000000000 65535 f \n"
        for n in sorted(changed):
            out += b"%d 1\n%010d 00000 n \n" % (n, offs[n])
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
            self.size, root, info, self.prev_xref, file_id, file_id, xref)
        return bytes(out)


def tounicode_cmap(mapping, two_byte):
    """mapping: code(int) -> unicode str. A standard ToUnicode CMap with bfchar entries."""
    w = 4 if two_byte else 2
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def", "1 begincodespacerange",
             "<%s> <%s>" % ("0" * w, "F" * w), "endcodespacerange"]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        lines.append("%d beginbfchar" % len(chunk))
        for code, u in chunk:
            lines.append("<%0*X> <%s>" % (w, code, u.encode("utf-16-be").hex().upper()))
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def rot13_lower(s):
    """Code bytes for the ToUnicode-only font: uppercase letter L is shown with code rot13(L) lowercased."""
    out = []
    for ch in s:
        if "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + 13) % 26 + 97))
        else:
            out.append(ch)
    return "".join(out)


class Layout:
    """Records every text placement (page, baseline, x per word) so the sidecar can list expected
    kept words with positions and the boxes covering terms."""

    def __init__(self):
        self.kept = {}      # page -> list of {text, x, y, invisible}
        self.terms = []     # {term, place, page, box}
        self.boxes = []     # {page, rect, codes, covers}

    def words(self, page, x, y, text, terms=(), kern=None, place="", codes="B6", box_pad=1.0):
        """Place `text` (Courier metrics) at (x, y). Words in `terms` are withheld (boxed), the others kept.
        kern: {char_index: tj_number} adjustments applied before that char index (TJ semantics)."""
        pos = []   # x of every char
        cx = x
        for i, ch in enumerate(text):
            if kern and i in kern:
                cx -= kern[i] / 1000.0 * FS
            pos.append(cx)
            cx += ADV
        i = 0
        while i < len(text):
            if text[i] == " ":
                i += 1
                continue
            j = i
            while j < len(text) and text[j] != " ":
                j += 1
            word = text[i:j]
            if word in terms:
                rect = [round(pos[i] - box_pad, 3), y - 3.0, round(pos[j - 1] + ADV + box_pad, 3), y + 9.0]
                self.boxes.append({"page": page, "rect": rect, "codes": codes, "covers": [word]})
                self.terms.append({"term": word, "place": place, "page": page, "box": rect})
            else:
                self.kept.setdefault(page, []).append({"text": word, "x": round(pos[i], 3), "y": y})
            i = j

    def kept_form_words(self, page, x, y, text, withheld, place, codes="B6"):
        return self.words(page, x, y, text, withheld, place=place, codes=codes)


def image_rgb(w, h):
    """Distinct value per pixel: (3i+10, 5j+7, (i*j) % 251)."""
    rows = []
    for j in range(h):
        row = bytearray()
        for i in range(w):
            row += bytes(((3 * i + 10) % 256, (5 * j + 7) % 256, (i * j) % 251))
        rows.append(bytes(row))
    return rows


def smask_gray(w, h, region):
    """Opaque (255) except a checkerboard 0x40/0xC0 'signature shape' inside `region` (cols, rows)."""
    (c0, c1), (r0, r1) = region
    rows = []
    for j in range(h):
        row = bytearray()
        for i in range(w):
            row.append((0x40 if (i + j) % 2 else 0xC0) if (c0 <= i <= c1 and r0 <= j <= r1) else 0xFF)
        rows.append(bytes(row))
    return rows


def content(*parts):
    return "\n".join(parts) + "\n"


def make_adversarial(outdir, ideal=False):
    """ideal=True writes ideal.pdf instead: what a perfect redaction of adversarial.pdf looks like (withheld
    glyphs replaced by spaces so every kept glyph stays put, images blanked, nothing document-level, one
    revision). The checks must pass on it - this guards against checks that are stricter than the rules."""
    p = Pdf()
    L = Layout()
    boxed = ["PLAINZEBRA", "KERNOCELOT", "TOUNIHERON", "QUOTEVOLE", "FORMWALRUS", "CIDTAPIR", "HIDDENOKAPI",
             "SOLOWOMBAT", "OCRPELICAN", "KER", "NO", "CELOT"]

    def bl(s, extra=()):
        """In ideal mode, withheld words (and for the kerned TJ its pieces) become spaces."""
        if not ideal:
            return s
        for t in list(extra) + boxed:
            s = s.replace(t, " " * len(t)) if t not in ("KER", "NO") else s
        return s

    def term(word, place, page=None, box=None):
        L.terms.append({"term": word, "place": place, "page": page, "box": box})

    # ---- fonts ----
    f_courier = p.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    tu_map = {ord(c): c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ "}
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        tu_map[ord(rot13_lower(c))] = c
    tu_stream = p.stream(b"", tounicode_cmap(tu_map, False))
    f_tounicode = p.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding "
                        b"/FirstChar 32 /LastChar 122 /Widths [%s] /ToUnicode %d 0 R >>"
                        % (b" ".join([b"600"] * 91), tu_stream))
    # Type0 / Identity-H: CID = 0x1000 + ASCII code (not ASCII in the content bytes), ToUnicode maps back
    cid_map = {0x1000 + ord(c): c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ "}
    cid_tu = p.stream(b"", tounicode_cmap(cid_map, True))
    cid_desc = p.add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /CourierNewPSMT "
                     b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                     b"/FontDescriptor << /Type /FontDescriptor /FontName /CourierNewPSMT /Flags 33 "
                     b"/FontBBox [-21 -680 638 1021] /ItalicAngle 0 /Ascent 833 /Descent -300 /CapHeight 571 /StemV 80 >> "
                     b"/DW 600 /CIDToGIDMap /Identity >>")
    f_type0 = p.add(b"<< /Type /Font /Subtype /Type0 /BaseFont /CourierNewPSMT /Encoding /Identity-H "
                    b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_desc, cid_tu))

    def cid_hex(s):
        return "<" + "".join("%04X" % (0x1000 + ord(c)) for c in s) + ">"

    # ---- shared Form XObject (pages 1 and 2) ----
    form_text = "FORMWALRUS FORMKEEP"
    fm_shared = p.stream(b"/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 %d 0 R >> >>"
                         % f_courier, content("BT /F1 10 Tf 0 5 Td (%s) Tj ET" % bl(form_text)))
    fm_page2 = fm_shared if not ideal else p.stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 %d 0 R >> >>" % f_courier,
        content("BT /F1 10 Tf 0 5 Td (%s) Tj ET" % bl(form_text, ["FORMKEEP"])))
    # ---- unused resource (never drawn) ----
    fm_unused = p.stream(b"/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 %d 0 R >> >>"
                         % f_courier, content("BT /F1 10 Tf 0 5 Td (UNUSEDYAK) Tj ET"))
    term("UNUSEDYAK", "unused resource: Form XObject /XUnused in page 1 /Resources, never drawn")

    # ---- optional content (hidden layer) ----
    ocg = p.add(b"<< /Type /OCG /Name (Layer) >>")

    # ================= page 1 =================
    y = 720
    L.words(1, 72, y, "PAGE ONE KEPT HEADER")
    L.words(1, 72, y - 30, "BEFORE PLAINZEBRA AFTER", {"PLAINZEBRA"}, place="plain content (Courier Tj)")
    tj_text = "LEFT KERNOCELOT RIGHT"
    L.words(1, 72, y - 60, tj_text, {"KERNOCELOT"}, kern={8: -20, 10: 15},
            place="TJ array with kerning splitting the term")
    tu_text = "TUKEEP TOUNIHERON TUTAIL"
    L.words(1, 72, 630, tu_text, {"TOUNIHERON"}, place="text readable only through ToUnicode (WinAnsi codes are rot13 lowercase)")
    L.words(1, 72, 600, "QUOTEKEEP QUOTEVOLE", {"QUOTEVOLE"}, place="' (quote) operator after T*")
    # form on page 1 at (72, 560): baseline 565
    L.words(1, 72, 565, form_text, {"FORMWALRUS"}, place="Form XObject used on pages 1 and 2")
    cid_text = "CIDKEEP CIDTAPIR CIDTAIL"
    L.words(1, 72, 530, cid_text, {"CIDTAPIR"}, place="Type0 Identity-H font with ToUnicode (2-byte CIDs)")
    L.words(1, 72, 500, "HIDDENOKAPI", {"HIDDENOKAPI"}, place="optional content group switched OFF (hidden layer)")
    # ActualText: visible glyphs ATVISIBLE are kept; the ActualText string must vanish
    L.words(1, 72, 470, "ATKEEP ATVISIBLE")
    term("ACTUALTEXTEMU", "marked-content /ActualText over kept glyphs (must be dropped)")
    L.words(1, 72, 440, "SOLOWOMBAT", {"SOLOWOMBAT"}, place="whole text object removed (next BT must stay put)")
    L.words(1, 72, 410, "AFTERSOLO STAYS PUT")
    L.words(1, 72, 380, "LAST KEPT LINE OF PAGE ONE")
    p1 = content(
        "BT /F1 10 Tf 72 720 Td (PAGE ONE KEPT HEADER) Tj",
        "0 -30 Td (%s) Tj" % bl("BEFORE PLAINZEBRA AFTER"),
        "0 -30 Td [(LEFT KER) -20 (NO) 15 (CELOT RIGHT)] TJ ET" if not ideal else
        "0 -30 Td [(LEFT    ) -20 (  ) 15 (      RIGHT)] TJ ET",
        "BT /F2 10 Tf 72 630 Td %s Tj ET" % pdf_lit(bl(tu_text).replace("TOUNIHERON", rot13_lower("TOUNIHERON"))).decode(),
        "BT /F1 10 Tf 12 TL 72 612 Td (%s) ' ET" % bl("QUOTEKEEP QUOTEVOLE"),
        "q 1 0 0 1 72 560 cm /Fm1 Do Q",
        "BT /F4 10 Tf 72 530 Td %s Tj ET" % cid_hex(bl(cid_text)),
        "/OC /oc1 BDC BT /F1 10 Tf 72 500 Td (HIDDENOKAPI) Tj ET EMC" if not ideal else "",
        "BT /F1 10 Tf 72 470 Td (ATKEEP ) Tj /Span << /ActualText (ACTUALTEXTEMU) >> BDC (ATVISIBLE) Tj EMC ET" if not ideal
        else "BT /F1 10 Tf 72 470 Td (ATKEEP ) Tj (ATVISIBLE) Tj ET",
        "BT /F1 10 Tf 72 440 Td (%s) Tj ET" % bl("SOLOWOMBAT"),
        "BT /F1 10 Tf 72 410 Td (AFTERSOLO STAYS PUT) Tj ET",
        "BT /F1 10 Tf 72 380 Td (LAST KEPT LINE OF PAGE ONE) Tj ET",
    )
    c1 = p.stream(b"", p1)

    # ================= page 2 (form reused; second content stream replaced by an incremental update) =================
    L.words(2, 72, 720, "PAGE TWO KEPT HEADER")
    # form drawn at (300, 500) -> baseline 505; the whole form is boxed here (FORMKEEP too), so an engine
    # that edits the shared form in place shows up: page 1 would lose FORMKEEP or page 2 would keep it
    L.boxes.append({"page": 2, "rect": [299.0, 502.0, 300 + 19 * ADV + 1, 514.0], "codes": "B6",
                    "covers": ["FORMWALRUS", "FORMKEEP"]})
    L.words(2, 72, 400, "REVISED LINE KEPT")
    c2a = p.stream(b"", content("BT /F1 10 Tf 72 720 Td (PAGE TWO KEPT HEADER) Tj ET", "q 1 0 0 1 300 500 cm /Fm1 Do Q"))
    c2b = p.stream(b"", content("BT /F1 10 Tf 72 400 Td (%s) Tj ET" % ("OLDREVMOOSE WAS HERE" if not ideal else "REVISED LINE KEPT")))
    term("OLDREVMOOSE", "incremental update: previous revision of page 2's second content stream (Flate)")

    # ================= page 3: scan with Tr 3 OCR layer over an image =================
    IW, IH = 64, 48
    img_rect = [72, 400, 72 + 4 * IW, 400 + 4 * IH]    # 4 pt per pixel: x 72..328, y 400..592
    L.words(3, 72, 720, "PAGE THREE KEPT HEADER")
    ocr_text = "OCRKEEP OCRPELICAN OCRTAIL"
    L.words(3, 80, 560, ocr_text, {"OCRPELICAN"}, place="Tr 3 invisible OCR text over an image")
    big_box = [200.0, 420.0, 300.0, 480.0]             # image only, no text
    L.boxes.append({"page": 3, "rect": big_box, "codes": "B6", "covers": ["image region"]})
    L.words(3, 72, 300, "PAGE THREE FOOTER KEPT")
    # pixel regions fully inside the boxes (cols, rows from the top)
    def px_inside(r):
        import math
        c0 = math.ceil((r[0] - img_rect[0]) / 4); c1 = math.floor((r[2] - img_rect[0]) / 4) - 1
        r0 = math.ceil((img_rect[3] - r[3]) / 4); r1 = math.floor((img_rect[3] - r[1]) / 4) - 1
        return [max(c0, 0), min(c1, IW - 1)], [max(r0, 0), min(r1, IH - 1)]
    rgb = image_rgb(IW, IH)
    sm_region = px_inside(big_box)
    smask = smask_gray(IW, IH, sm_region)
    ocr_box0 = [b for b in L.boxes if b["covers"] == ["OCRPELICAN"]][0]["rect"]
    if ideal:
        rgb = [bytearray(r) for r in rgb]
        for (x0, x1), (r0, r1) in (px_inside(ocr_box0), px_inside(big_box)):
            for j in range(r0, r1 + 1):
                rgb[j][3 * x0:3 * (x1 + 1)] = bytes(3 * (x1 - x0 + 1))
        rgb = [bytes(r) for r in rgb]
        smask = [bytes([255]) * IW for _ in range(IH)]
    sm = p.stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
                  % (IW, IH), b"".join(smask))
    im = p.stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /SMask %d 0 R"
                  % (IW, IH, sm), b"".join(rgb))
    c3 = p.stream(b"", content(
        "BT /F1 10 Tf 72 720 Td (PAGE THREE KEPT HEADER) Tj ET",
        "q %d 0 0 %d %d %d cm /Im1 Do Q" % (4 * IW, 4 * IH, img_rect[0], img_rect[1]),
        "BT 3 Tr /F1 10 Tf 80 560 Td (%s) Tj ET" % bl(ocr_text),
        "BT /F1 10 Tf 72 300 Td (PAGE THREE FOOTER KEPT) Tj ET"))
    ocr_box = [b for b in L.boxes if b["covers"] == ["OCRPELICAN"]][0]["rect"]
    boxed_regions = [px_inside(ocr_box), px_inside(big_box)]

    # ---- annotations, form field, link ----
    ap_annot = p.stream(b"/Type /XObject /Subtype /Form /BBox [0 0 150 20] /Resources << /Font << /F1 %d 0 R >> >>" % f_courier,
                        content("BT /F1 10 Tf 2 5 Td (APSTREAMLYNX) Tj ET"))
    term("ANNOTMARMOT", "annotation /Contents (Text annotation)")
    term("APSTREAMLYNX", "annotation appearance stream (/AP /N)")
    pages_num = p.reserve()
    page_nums = [p.reserve(), p.reserve(), p.reserve()]
    annot = p.add(b"<< /Type /Annot /Subtype /Text /Rect [420 700 570 720] /Contents (ANNOTMARMOT) /T (reviewer) "
                  b"/AP << /N %d 0 R >> /P %d 0 R >>" % (ap_annot, page_nums[0]))
    ap_field = p.stream(b"/Type /XObject /Subtype /Form /BBox [0 0 150 20] /Resources << /Font << /F1 %d 0 R >> >>" % f_courier,
                        content("/Tx BMC BT /F1 10 Tf 2 5 Td (FIELDCONDOR) Tj ET EMC"))
    field = p.add(b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (agent) /V (FIELDCONDOR) /DA (/F1 10 Tf 0 g) "
                  b"/Rect [420 600 570 620] /AP << /N %d 0 R >> /P %d 0 R >>" % (ap_field, page_nums[0]))
    term("FIELDCONDOR", "AcroForm text field value /V (and its widget appearance)")
    link = p.add(b"<< /Type /Annot /Subtype /Link /Rect [72 340 200 352] /Border [0 0 0] "
                 b"/A << /S /URI /URI (http://example.invalid/URISLOTH) >> >>")
    term("URISLOTH", "link annotation URI action")

    # thumbnail image of page 1 (no term; lint looks for /Thumb)
    thumb = p.stream(b"/Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", b"\x00\xff\xff\x00")

    res1 = (b"<< /Font << /F1 %d 0 R /F2 %d 0 R /F4 %d 0 R >> /XObject << /Fm1 %d 0 R /XUnused %d 0 R >> "
            b"/Properties << /oc1 %d 0 R >> >>" % (f_courier, f_tounicode, f_type0, fm_shared, fm_unused, ocg))
    if ideal:
        res1 = b"<< /Font << /F1 %d 0 R /F2 %d 0 R /F4 %d 0 R >> /XObject << /Fm1 %d 0 R >> >>" % (
            f_courier, f_tounicode, f_type0, fm_shared)
        p.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
              % (pages_num, res1, c1), page_nums[0])
    else:
      p.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R "
          b"/Annots [%d 0 R %d 0 R %d 0 R] /Thumb %d 0 R /PieceInfo << /Secret << /Private (PIECEINFOTOAD) >> >> "
          b"/StructParents 0 >>" % (pages_num, res1, c1, annot, field, link, thumb), page_nums[0])
    term("PIECEINFOTOAD", "page /PieceInfo private data")
    p.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> "
          b"/XObject << /Fm1 %d 0 R >> >> /Contents [%d 0 R %d 0 R] >>" % (pages_num, f_courier, fm_page2, c2a, c2b),
          page_nums[1])
    p.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> "
          b"/XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_num, f_courier, im, c3), page_nums[2])
    p.add(b"<< /Type /Pages /Kids [%d 0 R %d 0 R %d 0 R] /Count 3 >>" % tuple(page_nums), pages_num)

    # ---- document level ----
    outlines = p.reserve()
    o1 = p.add(b"<< /Title %s /Parent %d 0 R /Dest [%d 0 R /XYZ 0 792 0] >>" % (utf16_lit("OUTLINEFALCON"), outlines, page_nums[0]))
    p.add(b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 1 >>" % (o1, o1), outlines)
    term("OUTLINEFALCON", "outline (bookmark) title, UTF-16BE string")
    xmp = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
           '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">XMPIBEX</rdf:li></rdf:Alt></dc:title>'
           '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>').encode("utf-8")
    meta = p.stream(b"/Type /Metadata /Subtype /XML", xmp, compress=False)
    term("XMPIBEX", "XMP metadata (dc:title)")
    ef = p.stream(b"/Type /EmbeddedFile /Subtype /text#2Fplain", b"attachment body: ATTACHJACKAL\n")
    filespec = p.add(b"<< /Type /Filespec /F (ATTACHNAMEMINK.txt) /UF (ATTACHNAMEMINK.txt) /EF << /F %d 0 R >> >>" % ef)
    term("ATTACHJACKAL", "embedded file contents (Flate)")
    term("ATTACHNAMEMINK", "embedded file name (Filespec /F /UF and names tree key)")
    js_names = p.add(b"<< /S /JavaScript /JS (var x = 'JSNAMESLEMUR';) >>")
    term("JSNAMESLEMUR", "document JavaScript in the /Names /JavaScript tree")
    term("JSOPENKOALA", "/OpenAction JavaScript")
    struct_root = p.reserve()
    figure = p.add(b"<< /Type /StructElem /S /Figure /P %d 0 R /Alt (ALTSHREW) /Pg %d 0 R /K 0 >>" % (struct_root, page_nums[0]))
    parent_tree = p.add(b"<< /Nums [0 [%d 0 R]] >>" % figure)
    p.add(b"<< /Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R >>" % (figure, parent_tree), struct_root)
    term("ALTSHREW", "structure tree /Alt text")
    term("LABELQUAIL", "page labels prefix")
    # an unreferenced object (in the xref, reachable from nothing)
    orphan = p.add(b"<< /Orphan (ORPHANNEWT) >>")
    term("ORPHANNEWT", "unreferenced object")
    catalog = p.add(
        b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode /UseOutlines /Metadata %d 0 R "
        b"/Names << /EmbeddedFiles << /Names [(ATTACHNAMEMINK.txt) %d 0 R] >> /JavaScript << /Names [(doc) %d 0 R] >> >> "
        b"/OpenAction << /S /JavaScript /JS (app.alert\\('JSOPENKOALA'\\);) >> "
        b"/AcroForm << /Fields [%d 0 R] /DA (/F1 10 Tf 0 g) /DR << /Font << /F1 %d 0 R >> >> >> "
        b"/StructTreeRoot %d 0 R /MarkInfo << /Marked true >> "
        b"/OCProperties << /OCGs [%d 0 R] /D << /ON [] /OFF [%d 0 R] >> >> "
        b"/PageLabels << /Nums [0 << /S /D /P (LABELQUAIL-) >>] >> >>"
        % (pages_num, outlines, meta, filespec, js_names, field, f_courier, struct_root, ocg, ocg))
    info = p.add(b"<< /Title (Adversarial test) /Author (INFOGECKO) /Subject %s /Keywords (INFOKEYWORDVIPER) "
                 b"/Creator (make_adversarial.py) /Producer (hand-written) >>" % pdf_hex("INFOHEXDINGO"))
    term("INFOGECKO", "Info /Author")
    term("INFOHEXDINGO", "Info /Subject as a hex string")
    term("INFOKEYWORDVIPER", "Info /Keywords")

    if ideal:
        for n in (fm_unused, ocg, annot, ap_annot, ap_field, field, link, thumb, o1, outlines, meta, ef, filespec,
                  js_names, figure, parent_tree, struct_root, orphan, catalog, info):
            del p.objs[n]
        catalog = p.add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_num)
        info = p.add(b"<< /Producer (ideal) >>")
        open(os.path.join(outdir, "ideal.pdf"), "wb").write(p.write(catalog, info))
        return None
    base = p.write(catalog, info)
    new_c2b = b"<< /Length %d >>\nstream\n" % len(b"BT /F1 10 Tf 72 400 Td (REVISED LINE KEPT) Tj ET\n") + \
        b"BT /F1 10 Tf 72 400 Td (REVISED LINE KEPT) Tj ET\n" + b"\nendstream"
    data = p.update(base, {c2b: new_c2b}, catalog, info)

    os.makedirs(outdir, exist_ok=True)
    open(os.path.join(outdir, "adversarial.pdf"), "wb").write(data)

    # ---- sidecar ----
    img_checks = {"page": 3, "width": IW, "height": IH, "rect": img_rect,
                  "pixel": "rgb = (3*col+10, 5*row+7, (col*row) % 251), row 0 = top",
                  "boxed_regions": [{"cols": c, "rows": r} for c, r in boxed_regions],
                  "smask": {"width": IW, "height": IH, "signature_region": {"cols": sm_region[0], "rows": sm_region[1]},
                            "outside_value": 255}}
    side = {
        "schema": "declass.test.adversarial/1",
        "pdf": "adversarial.pdf",
        "pages": 3,
        "terms": L.terms,
        "boxes": L.boxes,
        "kept": {str(k): v for k, v in sorted(L.kept.items())},
        "image": img_checks,
        "label_tokens": ["B6"],
    }
    json.dump(side, open(os.path.join(outdir, "adversarial.json"), "w"), indent=1)
    return side


def make_type3(outdir):
    """Type3 text under a box must be refused (exit 2) unless --rasterize-unsafe-pages; Type3 text with
    no box over it (page 2) must not cause a refusal."""
    p = Pdf()
    L = Layout()
    f_courier = p.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    procs = {}
    for c in letters:
        procs[c] = p.stream(b"", "600 0 50 0 550 700 d1 50 0 500 700 re f\n")
    tu = p.stream(b"", tounicode_cmap({ord(c): c for c in letters + " "}, False))
    space = p.stream(b"", "600 0 0 0 0 0 d1\n")
    diffs = "32 /space " + " ".join("/" + c for c in letters)
    f3 = p.add(("<< /Type /Font /Subtype /Type3 /FontBBox [0 0 600 700] /FontMatrix [0.001 0 0 0.001 0 0] "
                "/CharProcs << /space %d 0 R %s >> /Encoding << /Type /Encoding /Differences [%s] >> "
                "/FirstChar 32 /LastChar 90 /Widths [%s] /ToUnicode %d 0 R /Resources << >> >>"
                % (space, " ".join("/%s %d 0 R" % (c, procs[c]) for c in letters), diffs,
                   " ".join(["600"] * 59), tu)).encode())
    L.words(1, 72, 720, "TTHREE PAGE ONE KEPT")
    L.words(1, 72, 650, "TYPETHREEGNU", {"TYPETHREEGNU"}, place="Type3 font text under a box (unsafe page)")
    L.words(1, 72, 600, "COURIER TAIL KEPT")
    L.words(2, 72, 720, "TTHREE PAGE TWO KEPT")
    L.words(2, 72, 650, "TYPETHREEKEEP")     # Type3 text with no box: no refusal, stays
    c1 = p.stream(b"", content("BT /F1 10 Tf 72 720 Td (TTHREE PAGE ONE KEPT) Tj ET",
                               "BT /T3 10 Tf 72 650 Td (TYPETHREEGNU) Tj ET",
                               "BT /F1 10 Tf 72 600 Td (COURIER TAIL KEPT) Tj ET"))
    c2 = p.stream(b"", content("BT /F1 10 Tf 72 720 Td (TTHREE PAGE TWO KEPT) Tj ET",
                               "BT /T3 10 Tf 72 650 Td (TYPETHREEKEEP) Tj ET"))
    pages_num = p.reserve()
    res = b"<< /Font << /F1 %d 0 R /T3 %d 0 R >> >>" % (f_courier, f3)
    pg1 = p.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>" % (pages_num, res, c1))
    pg2 = p.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>" % (pages_num, res, c2))
    p.add(b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 2 >>" % (pg1, pg2), pages_num)
    catalog = p.add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_num)
    info = p.add(b"<< /Producer (hand-written) >>")
    data = p.write(catalog, info)
    open(os.path.join(outdir, "type3.pdf"), "wb").write(data)
    side = {"schema": "declass.test.type3/1", "pdf": "type3.pdf", "pages": 2, "refused_page": 1,
            "terms": L.terms, "boxes": L.boxes,
            "kept": {str(k): v for k, v in sorted(L.kept.items())}, "label_tokens": ["B6"]}
    json.dump(side, open(os.path.join(outdir, "type3.json"), "w"), indent=1)
    return side


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_adversarial.py OUTDIR")
    a = make_adversarial(sys.argv[1])
    make_adversarial(sys.argv[1], ideal=True)
    t = make_type3(sys.argv[1])
    print("adversarial.pdf: %d terms, %d boxes; type3.pdf: %d boxes" % (len(a["terms"]), len(a["boxes"]), len(t["boxes"])))
