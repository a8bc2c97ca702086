#!/usr/bin/env bash
# Adversarial end-to-end test of `declass redact`: terms planted in every place DESIGN.md §7 lists
# (tests/pdfgen/make_adversarial.py) and corpus records typeset by Ghostscript, MuPDF and ReportLab
# (tests/pdfgen/make_corpus_pdfs.py) are redacted, then checked independently of declass's own
# verification (tests/pdfgen/check_pdf_redaction.py: pdftotext, mutool, raw/decoded objects, earlier
# revisions, kept words and positions, image pixels, shared/tools/lint_release.sh).
# The checks are first run on the unredacted inputs, where they must find every planted term.
set -u
BIN=$1; SRC=$2; TMP=$3
rm -rf "$TMP"; mkdir -p "$TMP"
PY=/usr/bin/python3
GEN=$SRC/tests/pdfgen
LINT=$SRC/../shared/tools/lint_release.sh; [ -f "$LINT" ] || LINT=/work/shared/tools/lint_release.sh
fail=0
bad() { echo "FAIL: $*"; fail=1; }
for t in pdftotext pdfimages pdfinfo qpdf mutool gs; do command -v $t >/dev/null || bad "needs $t (scripts/setup installs it)"; done
$PY -c "import reportlab" 2>/dev/null || bad "needs python3-reportlab (scripts/setup installs it)"
[ -f "$LINT" ] || bad "lint_release.sh not found beside the checkout (../shared/tools)"
[ $fail = 0 ] || exit 1

# ---- inputs ----
$PY "$GEN/make_adversarial.py" "$TMP/in" >/dev/null || bad "make_adversarial.py failed"
$PY "$GEN/make_corpus_pdfs.py" "$SRC/tests/data/pdf/corpus" "$TMP/corpus" >/dev/null || bad "make_corpus_pdfs.py failed"
[ $fail = 0 ] || exit 1

# ---- the checks must catch every planted place in the unredacted files ----
if $PY "$GEN/check_pdf_redaction.py" adversarial "$TMP/in/adversarial.json" "$TMP/in/adversarial.pdf" --lint "$LINT" \
     --expect-leaks >"$TMP/selftest_adv.txt" 2>&1; then
  echo "ok: self-test: $(grep -c '^planted' "$TMP/selftest_adv.txt") planted places detected in the unredacted adversarial PDF"
else
  bad "self-test on the unredacted adversarial PDF: some planted place is invisible to the checks:"; grep FAIL "$TMP/selftest_adv.txt"
fi
# ... and pass a hand-made perfect redaction (ideal.pdf), so they are not stricter than the rules
if $PY "$GEN/check_pdf_redaction.py" adversarial "$TMP/in/adversarial.json" "$TMP/in/ideal.pdf" --lint "$LINT" >"$TMP/selftest_ideal.txt" 2>&1; then
  echo "ok: self-test: the checks pass a hand-made perfect redaction ($(tail -1 "$TMP/selftest_ideal.txt"))"
else
  bad "self-test: the checks reject the hand-made perfect redaction ideal.pdf:"; grep -E '^(FAIL|    )' "$TMP/selftest_ideal.txt"
fi
if $PY "$GEN/check_pdf_redaction.py" corpus "$TMP/corpus/corpus.json" "$TMP/corpus" "$TMP/corpus" --expect-leaks \
     >"$TMP/selftest_corpus.txt" 2>&1; then
  echo "ok: self-test: $(grep -c '^planted' "$TMP/selftest_corpus.txt") term placements detected in the unredacted corpus PDFs"
else
  bad "self-test on the unredacted corpus PDFs:"; grep FAIL "$TMP/selftest_corpus.txt"
fi

if ! "$BIN" redact --help 2>/dev/null | grep -q -- '--rasterize-unsafe-pages'; then
  bad "'declass redact' is not available in $BIN"
  exit 1
fi

# ---- adversarial file with boxes ----
mkdir -p "$TMP/out"
mapfile -t BOXES < <($PY -c "
import json, sys
s = json.load(open(sys.argv[1]))
for b in s['boxes']:
    print('--box=%d:%s:%s' % (b['page'], ','.join('%g' % v for v in b['rect']), b['codes']))" "$TMP/in/adversarial.json")
"$BIN" redact "$TMP/in/adversarial.pdf" -o "$TMP/out/adversarial.pdf" "${BOXES[@]}" --json --report "$TMP/adv.report.json" \
  >"$TMP/adv.stdout" 2>"$TMP/adv.stderr"; rc=$?
if [ $rc -ne 0 ] || [ ! -f "$TMP/out/adversarial.pdf" ]; then
  bad "redact adversarial.pdf: exit $rc (want 0) or no output: $(head -c 600 "$TMP/adv.stderr")"
else
  echo "ok: redact adversarial.pdf with ${#BOXES[@]} boxes: exit 0"
  if $PY "$GEN/check_pdf_redaction.py" adversarial "$TMP/in/adversarial.json" "$TMP/out/adversarial.pdf" --lint "$LINT" >"$TMP/adv.check" 2>&1; then
    echo "ok: adversarial output: $(tail -1 "$TMP/adv.check")"
  else
    bad "adversarial output:"; grep -E '^(FAIL|    )' "$TMP/adv.check"
  fi
  $PY - "$TMP/adv.report.json" "$TMP/adv.stdout" "$TMP/in/adversarial.json" <<'PY' || fail=1
import json, sys
rep = open(sys.argv[1]).read(); out = open(sys.argv[2]).read()
terms = [t["term"] for t in json.load(open(sys.argv[3]))["terms"]]
j = json.loads(rep)
ok = True
if j.get("schema") != "declass.redact/1":
    print("FAIL: report schema is %r, want declass.redact/1" % j.get("schema")); ok = False
leaked = [t for t in terms if t in rep or t in out]
if leaked:
    print("FAIL: the JSON report names withheld text: %s" % leaked); ok = False
if ok:
    print("ok: report is declass.redact/1 and names no withheld text")
sys.exit(0 if ok else 1)
PY
fi

# ---- Type3 text under a box: refused (exit 2, names the page), or rasterized on request ----
T3BOX=$($PY -c "
import json, sys
b = json.load(open(sys.argv[1]))['boxes'][0]
print('%d:%s:%s' % (b['page'], ','.join('%g' % v for v in b['rect']), b['codes']))" "$TMP/in/type3.json")
"$BIN" redact "$TMP/in/type3.pdf" -o "$TMP/out/type3.pdf" --box "$T3BOX" >"$TMP/t3.stdout" 2>"$TMP/t3.stderr"; rc=$?
if [ $rc -ne 2 ]; then bad "Type3 text under a box: exit $rc, want 2 (refused): $(head -c 300 "$TMP/t3.stderr")"
elif ! grep -q -i -E 'page 1\b' "$TMP/t3.stderr"; then bad "Type3 refusal does not name page 1: $(head -c 300 "$TMP/t3.stderr")"
elif [ -e "$TMP/out/type3.pdf" ]; then bad "Type3 refusal left an output file behind"
else echo "ok: Type3 text under a box refused with exit 2 naming page 1, no output left"; fi
"$BIN" redact "$TMP/in/type3.pdf" -o "$TMP/out/type3.pdf" --box "$T3BOX" --rasterize-unsafe-pages --json \
  >"$TMP/t3r.stdout" 2>"$TMP/t3r.stderr"; rc=$?
if [ $rc -ne 0 ] || [ ! -f "$TMP/out/type3.pdf" ]; then
  bad "Type3 with --rasterize-unsafe-pages: exit $rc, want 0: $(head -c 300 "$TMP/t3r.stderr")"
elif $PY "$GEN/check_pdf_redaction.py" type3 "$TMP/in/type3.json" "$TMP/out/type3.pdf" --lint "$LINT" >"$TMP/t3.check" 2>&1; then
  echo "ok: Type3 rasterized: $(tail -1 "$TMP/t3.check")"
  $PY -c "
import json, sys
j = json.loads(open(sys.argv[1]).readline())
r = [p['page'] for p in j.get('page_reports', []) if p.get('rasterized')]
sys.exit(0 if r == [1] else 1)" "$TMP/t3r.stdout" && echo "ok: the JSON report records page 1 (only) as rasterized" \
    || bad "the JSON report does not record page 1 (only) as rasterized"
else
  bad "Type3 rasterized output:"; grep -E '^(FAIL|    )' "$TMP/t3.check"
fi

# ---- PDFs made by other software, --term per file ----
mkdir -p "$TMP/corpus_out" "$TMP/corpus_rules_out"
while IFS=$'\t' read -r pdf args; do
  eval "set -- $args"
  "$BIN" redact "$TMP/corpus/$pdf" -o "$TMP/corpus_out/$pdf" "$@" >"$TMP/c.stdout" 2>"$TMP/c.stderr"; rc=$?
  [ $rc -eq 0 ] || bad "redact $pdf with --term: exit $rc: $(head -c 300 "$TMP/c.stderr")"
done < <($PY -c "
import json, shlex, sys
for d in json.load(open(sys.argv[1]))['docs']:
    print(d['pdf'] + '\t' + ' '.join(shlex.quote('--term=%s:%s' % (t['term'], t['codes'])) for t in d['terms']))" "$TMP/corpus/corpus.json")
if $PY "$GEN/check_pdf_redaction.py" corpus "$TMP/corpus/corpus.json" "$TMP/corpus" "$TMP/corpus_out" --lint "$LINT" >"$TMP/corpus.check" 2>&1; then
  echo "ok: corpus PDFs (gs, mutool, reportlab) with --term: $(tail -1 "$TMP/corpus.check")"
else
  bad "corpus PDFs with --term:"; grep -E '^(FAIL|--|    )' "$TMP/corpus.check"
fi

# ---- the same files in one batch run with a rules file and --out-dir ----
$PY -c "
import json, sys
seen = set()
for d in json.load(open(sys.argv[1]))['docs']:
    for t in d['terms']:
        if t['term'] not in seen:
            seen.add(t['term']); print('%s\tlit\t%s' % (t['codes'], t['term']))" "$TMP/corpus/corpus.json" >"$TMP/rules.tsv"
"$BIN" redact "$TMP"/corpus/*.pdf --out-dir "$TMP/corpus_rules_out" --rules "$TMP/rules.tsv" --report "$TMP/run.json" \
  >"$TMP/b.stdout" 2>"$TMP/b.stderr"; rc=$?
if [ $rc -ne 0 ]; then bad "batch redact --rules --out-dir: exit $rc: $(head -c 300 "$TMP/b.stderr")"
elif $PY "$GEN/check_pdf_redaction.py" corpus "$TMP/corpus/corpus.json" "$TMP/corpus" "$TMP/corpus_rules_out" >"$TMP/batch.check" 2>&1; then
  echo "ok: batch --rules --out-dir: $(tail -1 "$TMP/batch.check")"
else
  bad "batch --rules --out-dir:"; grep -E '^(FAIL|--|    )' "$TMP/batch.check"
fi

[ $fail = 0 ] && echo "redact_adversarial: all passed" || echo "redact_adversarial: FAILED"
exit $fail
