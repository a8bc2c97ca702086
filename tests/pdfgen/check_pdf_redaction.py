#!/usr/bin/python3
"""Independent checks of a redacted PDF against the sidecar written by make_adversarial.py or
make_corpus_pdfs.py: every withheld term absent from pdftotext, `mutool draw -F txt`, raw bytes, qpdf- and
mutool-decoded objects, earlier revisions and pdfinfo (also as hex / UTF-16BE); kept text unchanged (words
and positions); pixels under boxes blank, outside unchanged; shared/tools/lint_release.sh passes.
usage: check_pdf_redaction.py adversarial SIDECAR OUT.pdf [--lint LINT] [--expect-leaks]
       check_pdf_redaction.py type3 SIDECAR OUT.pdf [--lint LINT]          (rasterized output)
       check_pdf_redaction.py corpus SIDECAR ORIG_DIR OUT_DIR [--lint LINT] [--expect-leaks]
--expect-leaks: self-test on UNREDACTED inputs: every planted term must be detected by at least one
check and the kept-text / pixel / lint checks must fail; exit 0 only if all of that holds.
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile

FOLD = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "--", "\u2013": "-", "\u00ad": "-"}
LABEL_RX = re.compile(r"^(B[1-9](\([A-Fa-f]\))?|\(b\)\(\d\)(\([A-Fa-f]\))?|1\.4\([A-Ha-h]\)|B1,1\.4\([A-Ha-h]\)),?$")


class Report:
    def __init__(self):
        self.fails = []
        self.oks = 0

    def fail(self, msg):
        self.fails.append(msg)
        print("FAIL " + msg)
        sys.stdout.flush()

    def ok(self, msg):
        self.oks += 1
        print("ok   " + msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def fold(s):
    return "".join(FOLD.get(c, c) for c in s)


class Sources:
    """Every view of a PDF a leak could hide in."""

    def __init__(self, pdf, tmp):
        self.pdf = pdf
        self.raw = open(pdf, "rb").read()
        self.text = {}
        self.binary = {"raw bytes": self.raw}
        self.text["pdftotext"] = fold(run(["pdftotext", "-q", "-enc", "UTF-8", pdf, "-"]).stdout.decode("utf-8", "replace"))
        self.text["pdftotext -raw"] = fold(run(["pdftotext", "-q", "-raw", "-enc", "UTF-8", pdf, "-"]).stdout.decode("utf-8", "replace"))
        self.text["mutool draw -F txt"] = fold(run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf]).stdout.decode("utf-8", "replace"))
        info = run(["pdfinfo", pdf]).stdout + run(["pdfinfo", "-meta", pdf]).stdout
        self.text["pdfinfo (+ -meta)"] = info.decode("utf-8", "replace")
        q = os.path.join(tmp, "q.pdf")
        r = run(["qpdf", "--qdf", "--object-streams=disable", "--decode-level=all", pdf, q])
        self.binary["qpdf --qdf decoded objects"] = open(q, "rb").read() if os.path.exists(q) else b""
        self.qpdf_rc = r.returncode
        m = os.path.join(tmp, "m.pdf")
        run(["mutool", "clean", "-d", pdf, m])
        self.binary["mutool clean -d decoded objects"] = open(m, "rb").read() if os.path.exists(m) else b""
        # earlier revisions: the file prefix up to every %%EOF but the last, decoded
        revs = b""
        ends = [x.end() for x in re.finditer(rb"%%EOF\s*", self.raw)]
        for i, e in enumerate(ends[:-1]):
            rp, rd = os.path.join(tmp, "rev%d.pdf" % i), os.path.join(tmp, "rev%d.d.pdf" % i)
            open(rp, "wb").write(self.raw[:e])
            run(["mutool", "clean", "-d", rp, rd])
            if os.path.exists(rd):
                revs += open(rd, "rb").read()
        self.binary["earlier revisions (decoded)"] = revs
        self.revisions = len(ends)

    def find(self, term):
        """Names of the sources that contain the term (any case; hex, UTF-16BE and hex-of-UTF-16BE too)."""
        found = []
        rx = text_regex(term)
        for name, t in self.text.items():
            if rx.search(t):
                found.append(name)
        forms = [term.encode("latin-1"), term.encode("latin-1").hex().encode(), term.encode("utf-16-be"),
                 term.encode("utf-16-be").hex().encode()]
        brx = re.compile(b"|".join(re.escape(f) for f in forms), re.IGNORECASE)
        for name, b in self.binary.items():
            if b and brx.search(b):
                found.append(name)
        return found


def text_regex(term):
    """Whitespace in a term matches any whitespace run (line breaks too); a hyphen may end a line, and
    pdftotext's default mode drops a line-end hyphen when it joins the lines."""
    parts = []
    for c in term:
        if c.isspace():
            parts.append(r"\s+")
        elif c == "-":
            parts.append(r"-?\s*")
        else:
            parts.append(re.escape(c))
    return re.compile("".join(parts).replace(r"\s+\s+", r"\s+"), re.IGNORECASE)


def check_terms(rep, src, terms, expect_leaks):
    detected = 0
    for t in terms:
        where = src.find(t["term"])
        place = t.get("place", "")
        label = "term %r%s" % (t["term"], " (" + place + ")" if place else "")
        if expect_leaks:
            if where:
                detected += 1
                print("planted %s detected by: %s" % (label, ", ".join(where)))
            else:
                rep.fail("self-test: planted %s is NOT detected by any check" % label)
        elif where:
            rep.fail("%s leaked: found in %s" % (label, ", ".join(where)))
        else:
            rep.ok("%s absent from every source" % label)
    return detected


def bbox_words(pdf):
    """pdftotext -bbox words per page: {page: [(text, xMin, yMin, xMax, yMax)]} (top-down y)."""
    out = run(["pdftotext", "-q", "-bbox", pdf, "-"]).stdout.decode("utf-8", "replace")
    pages, cur = {}, 0
    for m in re.finditer(r'<page |<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', out):
        if m.group(0) == "<page ":
            cur += 1
            pages[cur] = []
            continue
        pages[cur].append((fold(html.unescape(m.group(5))), float(m.group(1)), float(m.group(2)),
                           float(m.group(3)), float(m.group(4))))
    return pages


def check_kept(rep, pdf, side, only_pages=None, page_h=792.0, tol=0.1):
    """Words outside the boxes are exactly the expected kept words at their original x (±tol pt);
    words inside boxes are only exemption labels."""
    pages = bbox_words(pdf)
    bad = 0
    for pno_s, expected in side["kept"].items():
        pno = int(pno_s)
        if only_pages and pno not in only_pages:
            continue
        boxes = [b["rect"] for b in side["boxes"] if b["page"] == pno]
        words = pages.get(pno, [])
        outside, unmatched = [], []
        for w in words:
            cx, cy = (w[1] + w[3]) / 2, page_h - (w[2] + w[4]) / 2
            if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
                if not (w[0] in side.get("label_tokens", []) or LABEL_RX.match(w[0])):
                    rep.fail("page %d: text %r inside a redaction box at x=%.2f" % (pno, w[0], w[1]))
                    bad += 1
            else:
                outside.append(w)
        used = set()
        for e in expected:
            hit = None
            for i, w in enumerate(outside):
                if i in used or w[0] != e["text"]:
                    continue
                if abs(w[1] - e["x"]) <= tol and page_h - w[4] - 0.5 <= e["y"] <= page_h - w[2] + 0.5:
                    hit = i
                    break
            if hit is None:
                near = [("%s@%.2f,%.2f" % (w[0], w[1], page_h - w[4])) for w in outside
                        if abs(page_h - w[4] - e["y"]) < 8 or w[0] == e["text"]]
                rep.fail("page %d: kept word %r expected at x=%.2f baseline %.1f is missing or moved (near: %s)"
                         % (pno, e["text"], e["x"], e["y"], ", ".join(near[:6]) or "nothing"))
                bad += 1
            else:
                used.add(hit)
        extra = [w for i, w in enumerate(outside) if i not in used]
        for w in extra:
            rep.fail("page %d: unexpected text %r at x=%.2f y=%.2f outside the boxes" % (pno, w[0], w[1], page_h - w[4]))
            bad += 1
        if not bad:
            rep.ok("page %d: %d kept words unchanged (text and x within %.2f pt), boxes hold only labels" % (pno, len(expected), tol))
    return bad


def read_pnm(path):
    d = open(path, "rb").read()
    toks, pos = [], 0
    while len(toks) < 4:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(d, pos)
        toks.append(m.group(2))
        pos = m.end()
    pos += 1
    kind, w, h = toks[0], int(toks[1]), int(toks[2])
    ch = 3 if kind == b"P6" else 1
    data = d[pos:pos + w * h * ch]
    return w, h, ch, data


def check_image(rep, pdf, side, tmp, src, expect_leaks):
    im = side["image"]
    W, H = im["width"], im["height"]
    rgb = [bytes(b for i in range(W) for b in ((3 * i + 10) % 256, (5 * j + 7) % 256, (i * j) % 251)) for j in range(H)]
    regions = [(tuple(r["cols"]), tuple(r["rows"])) for r in im["boxed_regions"]]
    lst = run(["pdfimages", "-list", "-f", str(im["page"]), "-l", str(im["page"]), pdf]).stdout.decode()
    rows = [l.split() for l in lst.splitlines()[2:] if l.strip()]
    prefix = os.path.join(tmp, "img")
    run(["pdfimages", "-f", str(im["page"]), "-l", str(im["page"]), pdf, prefix])
    files = sorted(f for f in os.listdir(tmp) if f.startswith("img-"))
    byname = {int(f[4:7]): os.path.join(tmp, f) for f in files}
    img = [r for r in rows if r[2] == "image" and int(r[3]) == W and int(r[4]) == H]
    smk = [r for r in rows if r[2] == "smask" and int(r[3]) == W and int(r[4]) == H]
    failed = 0
    if not img:
        rep.fail("page %d: the %dx%d image is gone (only partly under boxes: must be kept, blanked)" % (im["page"], W, H))
        return 1
    w, h, ch, data = read_pnm(byname[int(img[0][1])])
    px = lambda i, j: tuple(data[(j * w + i) * ch:(j * w + i) * ch + ch]) if ch == 3 else (data[j * w + i],) * 3
    inside_bad, outside_bad, n_in, n_out = [], [], 0, 0
    for j in range(H):
        for i in range(W):
            inside = any(c[0] <= i <= c[1] and r[0] <= j <= r[1] for c, r in regions)
            near = any(c[0] - 1 <= i <= c[1] + 1 and r[0] - 1 <= j <= r[1] + 1 for c, r in regions)
            v = px(i, j)
            if inside:
                n_in += 1
                if v not in ((0, 0, 0), (255, 255, 255)):
                    inside_bad.append((i, j, v))
            elif not near:
                n_out += 1
                if v != tuple(rgb[j][3 * i:3 * i + 3]):
                    outside_bad.append((i, j, v))
    if inside_bad:
        i, j, v = inside_bad[0]
        rep.fail("image pixels under the boxes not blanked: %d of %d (first: col %d row %d = %s)" % (len(inside_bad), n_in, i, j, v))
        failed += 1
    else:
        rep.ok("image: all %d pixels under the boxes are black/white" % n_in)
    if outside_bad:
        i, j, v = outside_bad[0]
        rep.fail("image pixels outside the boxes changed: %d of %d (first: col %d row %d = %s, was %s)"
                 % (len(outside_bad), n_out, i, j, v, tuple(rgb[j][3 * i:3 * i + 3])))
        failed += 1
    else:
        rep.ok("image: all %d pixels outside the boxes unchanged" % n_out)
    # soft mask: the signature shape under the big box must be gone (uniform), the rest unchanged
    sreg = im["smask"]["signature_region"]
    if smk:
        sw, sh, sch, sdata = read_pnm(byname[int(smk[0][1])])
        sv = lambda i, j: sdata[(j * sw + i) * sch]
        under = {sv(i, j) for j in range(sreg["rows"][0], sreg["rows"][1] + 1) for i in range(sreg["cols"][0], sreg["cols"][1] + 1)}
        out_changed = sum(1 for j in range(sh) for i in range(sw)
                          if not (sreg["cols"][0] - 1 <= i <= sreg["cols"][1] + 1 and sreg["rows"][0] - 1 <= j <= sreg["rows"][1] + 1)
                          and sv(i, j) != 255)
        if len(under) > 1:
            rep.fail("soft mask under the box still carries its shape (%d distinct values)" % len(under))
            failed += 1
        else:
            rep.ok("soft mask under the box is uniform")
        if out_changed:
            rep.fail("soft mask outside the box changed in %d pixels" % out_changed)
            failed += 1
    else:
        print("info soft mask no longer present (image made opaque)")
    # the original pixel rows under the boxes must not survive anywhere (decoded objects, old revisions)
    leaks = []
    for k, (c, r) in enumerate(regions):
        for j in range(r[0], r[1] + 1):
            seq = rgb[j][3 * c[0]:3 * (c[1] + 1)]
            for name, b in src.binary.items():
                if b and seq in b:
                    leaks.append("box region %d row %d in %s" % (k + 1, j, name))
    for j in range(sreg["rows"][0], sreg["rows"][1] + 1):
        seq = bytes((0x40 if (i + j) % 2 else 0xC0) for i in range(sreg["cols"][0], sreg["cols"][1] + 1))
        for name, b in src.binary.items():
            if b and seq in b:
                leaks.append("soft-mask signature row %d in %s" % (j, name))
    if leaks:
        rep.fail("original pixels under the boxes still stored: %d rows (%s%s)" % (len(leaks), "; ".join(leaks[:3]), " ..." if len(leaks) > 3 else ""))
        failed += 1
    else:
        rep.ok("original pixel rows under the boxes stored nowhere (raw, decoded, old revisions)")
    return failed


def run_lint(rep, lint, pdf, terms, expect_fail=False):
    r = run(["bash", lint, pdf] + terms)
    out = r.stdout.decode("utf-8", "replace")
    fails = [l for l in out.splitlines() if l.startswith("FAIL")]
    if expect_fail:
        print("lint_release.sh on the unredacted file: exit %d, %d FAIL lines" % (r.returncode, len(fails)))
        return r.returncode != 0
    if r.returncode != 0 or fails:
        rep.fail("lint_release.sh exit %d:\n    %s" % (r.returncode, "\n    ".join(fails)))
    else:
        warns = [l for l in out.splitlines() if l.startswith("WARN")]
        rep.ok("lint_release.sh passes (%d checks ok%s)" % (out.count("\nok") + out.startswith("ok"),
                                                              ", " + "; ".join(warns) if warns else ""))
    return True


def expected_corpus_text(pages, terms):
    t = "\f".join(pages)
    for term in terms:
        t = text_regex(term["term"]).sub("", t)
    return t


def squash(s, labels):
    s = re.sub(r"\s+", "", fold(s))
    for lab in sorted(labels, key=len, reverse=True):
        s = s.replace(re.sub(r"\s+", "", lab), "")
    return s


def main():
    args = sys.argv[1:]
    expect = "--expect-leaks" in args
    args = [a for a in args if a != "--expect-leaks"]
    lint = None
    if "--lint" in args:
        i = args.index("--lint")
        lint = args[i + 1]
        del args[i:i + 2]
    mode = args[0]
    rep = Report()
    tmp = tempfile.mkdtemp(prefix="chkred")
    if mode in ("adversarial", "type3"):
        side = json.load(open(args[1]))
        pdf = args[2]
        if run(["qpdf", "--check", pdf]).returncode not in (0, 3):
            rep.fail("qpdf --check fails on %s" % pdf)
        src = Sources(pdf, tmp)
        terms = side["terms"]
        n = check_terms(rep, src, terms, expect)
        if mode == "adversarial":
            bad_kept = check_kept(rep, pdf, side) if not expect else None
            if expect:
                r2 = Report()
                print("-- kept-text check on the unredacted file (must fail):")
                k = check_kept(r2, pdf, side)
                print("kept-text check: %d failures" % k)
                if k == 0:
                    rep.fail("self-test: kept-text check did not notice the unredacted text in the boxes")
                r3 = Report()
                os.makedirs(os.path.join(tmp, "im"), exist_ok=True)
                k = check_image(r3, pdf, side, os.path.join(tmp, "im"), src, True)
                print("image check: %d failures" % k)
                if k == 0:
                    rep.fail("self-test: image check did not notice the unblanked pixels")
            else:
                os.makedirs(os.path.join(tmp, "im"), exist_ok=True)
                check_image(rep, pdf, side, os.path.join(tmp, "im"), src, False)
        else:
            check_kept(rep, pdf, side, only_pages={p for p in map(int, side["kept"]) if p != side["refused_page"]})
        if lint:
            t = [x["term"] for x in terms]
            if expect:
                if not run_lint(rep, lint, pdf, t, expect_fail=True):
                    rep.fail("self-test: lint_release.sh passed the unredacted file")
            else:
                run_lint(rep, lint, pdf, t)
        if expect:
            print("self-test: %d of %d planted terms detected" % (n, len(terms)))
    elif mode == "corpus":
        side = json.load(open(args[1]))
        orig_dir, out_dir = args[2], args[3]
        total = 0
        for d in side["docs"]:
            pdf = os.path.join(out_dir, d["pdf"])
            print("-- %s (%s, record %s)" % (d["pdf"], d["producer"], d["record"]))
            if not os.path.exists(pdf):
                rep.fail("%s: no output file" % d["pdf"])
                continue
            sub = os.path.join(tmp, d["pdf"])
            os.makedirs(sub)
            src = Sources(pdf, sub)
            total += check_terms(rep, src, d["terms"], expect)
            labels = {t["codes"] for t in d["terms"]} | {"(b)(6)", "(b)(7)(C)", "B7(C)", "B6"}
            got = squash(src.text["pdftotext -raw"].replace("\f", ""), labels)
            want = squash(expected_corpus_text(d["pages"], d["terms"]), labels)
            if expect:
                print("kept text %s the expected redacted text" % ("equals (UNEXPECTED)" if got == want else "differs from"))
                if got == want:
                    rep.fail("self-test: kept-text comparison did not notice the unredacted terms in %s" % d["pdf"])
            elif got != want:
                i = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
                rep.fail("%s: text outside the redactions differs at char %d: got ...%s... want ...%s..."
                         % (d["pdf"], i, got[max(0, i - 30):i + 30], want[max(0, i - 30):i + 30]))
            else:
                rep.ok("%s: text outside the redactions unchanged (%d non-space chars)" % (d["pdf"], len(want)))
            if lint:
                t = [x["term"] for x in d["terms"]]
                if expect:
                    if not run_lint(rep, lint, pdf, t, expect_fail=True):
                        rep.fail("self-test: lint_release.sh passed the unredacted %s" % d["pdf"])
                else:
                    run_lint(rep, lint, pdf, t)
        if expect:
            print("self-test: %d planted term occurrences detected" % total)
    else:
        sys.exit("unknown mode " + mode)
    subprocess.run(["rm", "-rf", tmp])
    print("%s: %d failed, %d ok" % (mode, len(rep.fails), rep.oks))
    sys.exit(1 if rep.fails else 0)


if __name__ == "__main__":
    main()
