#!/usr/bin/python3
"""Writes COUNT mutated PDFs made from seed PDFs, for a sanitizer run of a fuzz target's replay driver:
  tests/fuzz/mutate_pdfs.py OUT_DIR COUNT SEED.pdf... [--seed N]
  build-asan/tests/fuzz/replay_pdf_content OUT_DIR
Seeds are first rewritten uncompressed (qpdf --qdf), so that mutations land in content operators,
fonts, CMaps and cross-reference data rather than only in compressed bytes. Each mutant gets 1-4
edits: byte flips, span deletions, duplications, splices from another seed, inserted PDF tokens and
hostile numbers, truncation. Deterministic for a given --seed (default 1).
"""
import os
import random
import subprocess
import sys
import tempfile

TOKENS = [b"q", b"Q", b"BT", b"ET", b"Tj", b"TJ", b"'", b'"', b"Tf", b"Tm", b"Td", b"cm", b"Do", b"BI", b"ID", b"EI",
          b"[", b"]", b"<<", b">>", b"(", b")", b"<", b">", b"\\", b"/Font", b"/XObject", b"/Form", b"/Type3",
          b"/ToUnicode", b"/W [0 [500 600]]", b"/Encoding /Identity-H", b"/Differences [1 /a /b]",
          b"beginbfchar", b"endbfchar", b"beginbfrange", b"<0000> <FFFF> <0041>", b"obj", b"endobj", b"stream",
          b"endstream", b"xref", b"trailer", b"startxref", b"0 0 R", b"1 0 R", b"/Length 999999", b"/Length -1",
          b"/Filter /FlateDecode", b"/Filter /DCTDecode", b"/Rotate 90", b"/MediaBox [0 0 0 0]",
          b"999999999999", b"-1e308", b"1e308", b"nan", b"-0", b"3 Tr", b"7 Tr", b"0 0 0 0 0 0 cm", b"1000 Tz"]


def uncompressed(path, tmp):
    out = os.path.join(tmp, os.path.basename(path) + ".qdf.pdf")
    r = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, out], capture_output=True)
    if r.returncode in (0, 3) and os.path.exists(out):
        return open(out, "rb").read()
    return open(path, "rb").read()


def mutate(rng, data, seeds):
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not b:
            b += rng.choice(TOKENS)
            continue
        kind = rng.randrange(7)
        i = rng.randrange(len(b))
        if kind == 0:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif kind == 1:  # delete a span
            del b[i:i + rng.randint(1, 64)]
        elif kind == 2:  # duplicate a span
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 256)]
        elif kind == 3:  # splice from another seed
            other = rng.choice(seeds)
            j = rng.randrange(max(1, len(other)))
            b[i:i] = other[j:j + rng.randint(1, 512)]
        elif kind == 4:  # insert a token
            b[i:i] = b" " + rng.choice(TOKENS) + b" "
        elif kind == 5:  # replace a number-looking byte run with a hostile number
            b[i:i + 1] = rng.choice([b"999999999", b"-1e308", b"0", b"-1", b"4294967296"])
        else:  # truncate
            del b[rng.randrange(len(b)):]
    return bytes(b)


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k:k + 2]
    if len(args) < 3:
        sys.exit(__doc__)
    out_dir, count, paths = args[0], int(args[1]), args[2:]
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        seeds = [uncompressed(p, tmp) for p in paths]
    rng = random.Random(seed)
    for n in range(count):
        data = mutate(rng, rng.choice(seeds), seeds)
        with open(os.path.join(out_dir, "m%06d.pdf" % n), "wb") as f:
            f.write(data)
    print("wrote %d mutants of %d seeds to %s" % (count, len(seeds), out_dir))


if __name__ == "__main__":
    main()
