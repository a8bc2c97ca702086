#!/usr/bin/env bash
# `declass redact` (storeless PDF redaction) on a typewriter cable PDF made from the seed cable: a term,
# a term across a line break, a term across a hyphenated line end ("MILITARY-" / "INDUSTRIAL COMPLEX"),
# a regex for a planted phone number and a --box; every term gone by pdftotext, mutool, a raw qpdf scan
# and lint_release.sh, the rest of the text unchanged; the JSON report; exit codes and no output on failure;
# several files with --out-dir; --rules in the bench format.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
TOOLS="$SRC/../shared/tools"; [ -d "$TOOLS" ] || TOOLS=/work/shared/tools
PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1795910400
fail=0
ck() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v mutool >/dev/null && command -v qpdf >/dev/null && command -v pdftotext >/dev/null && command -v jq >/dev/null ||
  { echo "FAIL needs mutool (mupdf-tools), qpdf, pdftotext (poppler-utils), jq"; exit 1; }
$PY -c 'import reportlab' 2>/dev/null || { echo "FAIL needs Debian python3-reportlab"; exit 1; }

IN="$WORK/cable.pdf"
$PY "$SRC/tests/cli/lib/make_test_pdfs.py" cable "$SRC/examples/state-1999-12-29-talbott-putin.txt" "$IN" "$WORK/cable.json"
ck "test cable PDF generated" $?
[ "$(jq -r .next_line_start "$WORK/cable.json")" = "INDUSTRIAL COMPLEX" ]; ck "generator put 'MILITARY-' at a line end" $?
BOX="$(jq -r '.kodak | "\(.page):\(.x0),\(.y0),\(.x1),\(.y1)"' "$WORK/cable.json"):B3"
# the input really holds what we remove
pdftotext -q "$IN" "$WORK/in.txt"
grep -q CHIKVISHVILI "$WORK/in.txt" && grep -q "647-5291" "$WORK/in.txt" && grep -q "KODAKC.029071" "$WORK/in.txt" &&
  grep -q "INDUSTRIAL COMPLEX" "$WORK/in.txt"; ck "input holds the terms" $?

OUT="$WORK/out.pdf"
"$BIN" redact "$IN" -o "$OUT" --term CHIKVISHVILI:B6 --term 'MFA NORTH AMERICAS:(b)(6)' \
  --term 'MILITARY-INDUSTRIAL COMPLEX:B1,1.4(D)' --regex '\([0-9]{3}\) [0-9]{3}-[0-9]{4}:B6' --box "$BOX" \
  --stamp "RELEASED IN PART B1, 1.4(D), B3, B6" --report "$WORK/report.json" >"$WORK/o.txt" 2>"$WORK/e.txt"
rc=$?; ck "redact exits 0 (got $rc)" $rc
[ $rc = 0 ] || cat "$WORK/e.txt"
[ -s "$OUT" ] && grep -q "^redacted .*verified" "$WORK/o.txt"; ck "output written, one summary line" $?
[ -s "$OUT" ] && [ -s "$WORK/report.json" ] || { echo "FAIL no output or report: the remaining checks cannot run"; exit 1; }
! grep -q -e CHIKVISHVILI -e 5291 "$WORK/o.txt" "$WORK/e.txt"; ck "no matched text printed" $?

# --- every removed thing is gone, by four independent readers ---
pdftotext -q "$OUT" "$WORK/out.txt"
pdftotext -q -raw "$OUT" "$WORK/out-raw.txt"
mutool draw -q -F txt -o "$WORK/out-mu.txt" "$OUT" 2>/dev/null
qpdf --qdf --object-streams=disable "$OUT" "$WORK/out-qdf.pdf" 2>/dev/null
for t in CHIKVISHVILI "MFA NORTH" "NORTH AMERICAS" "647-5291" "(202)" "KODAKC" "INDUSTRIAL COMPLEX" "MILITARY-" "MILITARYINDUSTRIAL"; do
  ! grep -q -F -- "$t" "$WORK/out.txt" "$WORK/out-raw.txt"; ck "pdftotext: '$t' absent" $?
  ! grep -q -F -- "$t" "$WORK/out-mu.txt"; ck "mutool draw -F txt: '$t' absent" $?
  ! grep -a -q -F -- "$t" "$WORK/out-qdf.pdf" "$OUT"; ck "raw bytes (qpdf --qdf, file): '$t' absent" $?
done
# flattened: no fragment across line ends either
tr -s ' \n' ' ' <"$WORK/out-raw.txt" | grep -q -e "MILITARY- INDUSTRIAL" -e "MILITARY INDUSTRIAL"; rc=$?
ck "no fragment of the hyphenated match on either line" $((rc == 0))
if [ -x "$TOOLS/lint_release.sh" ]; then
  "$TOOLS/lint_release.sh" "$OUT" CHIKVISHVILI "647-5291" "KODAKC.029071" "INDUSTRIAL COMPLEX" >"$WORK/lint.txt" 2>&1; rc=$?
  ck "lint_release.sh with the terms: 0 FAIL ($(grep -c '^FAIL' "$WORK/lint.txt") failed)" $rc
  grep '^FAIL' "$WORK/lint.txt"
else
  echo "FAIL lint_release.sh not found in $TOOLS"; fail=1
fi
grep -q "RELEASED IN PART B1, 1.4(D), B3, B6" "$WORK/out.txt"; ck "header stamp on the page" $?
[ "$(grep -c "RELEASED IN PART" "$WORK/out-raw.txt")" = "$(jq -r .pages "$WORK/cable.json")" ]; ck "header stamp on every page" $?
grep -q -w B6 "$WORK/out.txt"; ck "box label B6 printed" $?

# --- text outside the areas unchanged: input minus the removed words == output minus stamp and labels ---
pdftotext -q -raw "$IN" "$WORK/in-raw.txt"
$PY - "$WORK/in-raw.txt" "$WORK/out-raw.txt" <<'PY'
import re, sys
a = re.sub(r"\s+", "", open(sys.argv[1]).read())
b = re.sub(r"\s+", "", open(sys.argv[2]).read())
for t in ["CHIKVISHVILI", "MFANORTHAMERICAS", "(202)647-5291", "KODAKC.029071", "MILITARY-INDUSTRIALCOMPLEX", "MILITARYINDUSTRIALCOMPLEX"]:
    a = a.replace(t, "")
b = b.replace("RELEASEDINPARTB1,1.4(D),B3,B6", "")
for lab in ["B11.4(D)", "B1", "1.4(D)", "B6", "B3"]:
    a = a.replace(lab, ""); b = b.replace(lab, "")
if a != b:
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    print("differs at char %d of %d/%d" % (i, len(a), len(b)))
    sys.exit(1)
print("kept text identical: %d non-space characters" % len(a))
PY
ck "text outside the areas unchanged (pdftotext -raw, whitespace ignored)" $?

# --- the JSON report ---
R="$WORK/report.json"
jq -e '.schema == "declass.redact/1"' "$R" >/dev/null; ck "report schema declass.redact/1" $?
jq -e --arg s "$(sha256sum "$IN" | cut -d' ' -f1)" '.input.sha256 == $s' "$R" >/dev/null; ck "report: input SHA-256" $?
jq -e --arg s "$(sha256sum "$OUT" | cut -d' ' -f1)" '.output.sha256 == $s' "$R" >/dev/null; ck "report: output SHA-256" $?
jq -e --argjson n "$(jq .pages "$WORK/cable.json")" '.pages == $n' "$R" >/dev/null; ck "report: page count" $?
for f in "box #1" "term #1" "term #2" "term #3" "regex #1"; do
  jq -e --arg f "$f" '[.page_reports[].areas[] | select(.found_by == $f)] | length >= 1' "$R" >/dev/null; ck "report: an area found by '$f'" $?
done
jq -e '[.page_reports[].areas[] | select(.found_by == "term #2")] | length >= 2' "$R" >/dev/null
ck "report: the term across a line break gives one area per line" $?
jq -e '[.page_reports[].areas[] | select(.found_by == "term #3")] | length >= 2' "$R" >/dev/null
ck "report: the hyphenated match gives one area per line" $?
jq -e '[.page_reports[].areas[] | select(.found_by == "term #1")][0].codes == ["B6"]' "$R" >/dev/null; ck "report: codes of term #1 = [B6]" $?
jq -e '[.page_reports[].areas[] | select(.found_by == "term #3")][0].label == "B1 1.4(D)"' "$R" >/dev/null; ck "report: label 'B1 1.4(D)'" $?
jq -e '.removed.glyphs >= 40 and .verification.ok == true' "$R" >/dev/null; ck "report: glyphs removed, verification ok" $?
! grep -q -e CHIKVISHVILI -e 5291 -e KODAKC -e INDUSTRIAL "$R"; ck "report holds no matched text" $?
"$BIN" redact --term CHIKVISHVILI:B6 "$IN" -o "$WORK/j.pdf" --json >"$WORK/j.json" 2>/dev/null
jq -e '.schema == "declass.redact/1" and .areas >= 1' "$WORK/j.json" >/dev/null; ck "--json prints the report (options before the input)" $?

# --- exit codes, nothing left behind ---
"$BIN" redact "$IN" -o "$WORK/bad.pdf" --box "1:10,20,30:B6" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ $rc = 1 ] && grep -q "box #1" "$WORK/e.txt"; ck "bad --box syntax: exit 1 with a message (got $rc)" $?
"$BIN" redact "$IN" -o "$WORK/bad.pdf" --term CHIKVISHVILI:XYZ >/dev/null 2>"$WORK/e.txt"; rc=$?
[ $rc = 1 ] && ! grep -q CHIKVISHVILI "$WORK/e.txt"; ck "unknown code: exit 1, term not echoed (got $rc)" $?
"$BIN" redact "$IN" -o "$WORK/bad.pdf" --regex '([0-9]:B6' >/dev/null 2>&1; rc=$?; [ $rc = 1 ]; ck "bad regex: exit 1 (got $rc)" $?
"$BIN" redact "$WORK/missing.pdf" -o "$WORK/bad.pdf" --term X1Y:B6 >/dev/null 2>&1; rc=$?; [ $rc = 2 ]; ck "missing input: exit 2 (got $rc)" $?
"$BIN" redact "$IN" -o "$WORK/bad.pdf" --box "9:10,20,30,40:B6" >/dev/null 2>&1; rc=$?; [ $rc = 2 ]; ck "--box on a page the file lacks: exit 2 (got $rc)" $?
[ ! -e "$WORK/bad.pdf" ]; ck "no output left by the failures" $?
$PY "$SRC/tests/cli/lib/make_test_pdfs.py" unsafe "$WORK/unsafe.pdf"
"$BIN" redact "$WORK/unsafe.pdf" -o "$WORK/unsafe-out.pdf" --box "1:100,300,150,350:B6" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ $rc = 2 ] && grep -q "page 1" "$WORK/e.txt"; ck "image we cannot decode under a box: refused, exit 2, names the page (got $rc)" $?
[ ! -e "$WORK/unsafe-out.pdf" ]; ck "no output for the refused page" $?
"$BIN" redact "$WORK/unsafe.pdf" -o "$WORK/unsafe-out.pdf" --box "1:100,300,150,350:B6" --rasterize-unsafe-pages \
  --report "$WORK/unsafe.json" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ $rc = 0 ] && [ -s "$WORK/unsafe-out.pdf" ]; ck "--rasterize-unsafe-pages: written (got $rc)" $?
[ $rc = 0 ] || cat "$WORK/e.txt"
jq -e '.rasterized_pages[0].page == 1 and (.rasterized_pages[0].reason | length) > 0' "$WORK/unsafe.json" >/dev/null
ck "report lists the rasterized page with its reason" $?

# --- several files in one process, rules in the bench format ---
mkdir -p "$WORK/many"
for i in 1 2 3; do cp "$IN" "$WORK/many/c$i.pdf"; done
printf '# label\tkind\tpattern\nB6\tlit\tCHIKVISHVILI\nB1 1.4(D)\tlit\tMILITARY-INDUSTRIAL COMPLEX\nB6\tre\t\\([0-9]{3}\\) [0-9]{3}-[0-9]{4}\n' >"$WORK/rules.tsv"
"$BIN" redact "$WORK"/many/*.pdf --out-dir "$WORK/many-out" --rules "$WORK/rules.tsv" --report "$WORK/run.json" >"$WORK/o.txt" 2>&1
rc=$?; ck "3 files with --out-dir and --rules: exit 0 (got $rc)" $rc
[ "$(ls "$WORK/many-out"/*.pdf 2>/dev/null | wc -l)" = 3 ]; ck "3 outputs" $?
[ "$(grep -c '^redacted ' "$WORK/o.txt")" = 3 ]; ck "one summary line per file" $?
jq -e '.schema == "declass.redact-run/1" and .summary.redacted == 3 and (.files | length) == 3' "$WORK/run.json" >/dev/null
ck "run report" $?
jq -e '[.files[0].page_reports[].areas[] | select(.found_by | startswith("rules.tsv line 3"))] | length >= 2' "$WORK/run.json" >/dev/null
ck "rule areas name their rules line" $?
pdftotext -q "$WORK/many-out/c2.pdf" - | grep -q -e CHIKVISHVILI -e "INDUSTRIAL COMPLEX" -e 647-5291; rc=$?
ck "rules applied to every file" $((rc == 0))
cp "$WORK/unsafe.pdf" "$WORK/many/z-unsafe.pdf"
"$BIN" redact "$WORK"/many/*.pdf --out-dir "$WORK/many-out2" --rules "$WORK/rules.tsv" --box "1:100,300,150,350:B6" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && [ "$(ls "$WORK/many-out2"/*.pdf | wc -l)" = 3 ] && [ ! -e "$WORK/many-out2/z-unsafe.pdf" ]
ck "one refused file among four: exit 2, the other three written (got $rc)" $?

# --- --jobs 2: the same files, messages, reports and exit code as one at a time, in input order ---
"$BIN" redact "$WORK"/many/*.pdf --out-dir "$WORK/many-j1" --rules "$WORK/rules.tsv" --box "1:100,300,150,350:B6" --json \
  >"$WORK/j1.jsonl" 2>"$WORK/j1.err"; rc1=$?
"$BIN" redact "$WORK"/many/*.pdf --out-dir "$WORK/many-j2" --rules "$WORK/rules.tsv" --box "1:100,300,150,350:B6" --json --jobs 2 \
  >"$WORK/j2.jsonl" 2>"$WORK/j2.err"; rc2=$?
[ $rc1 = 2 ] && [ $rc2 = 2 ]; ck "--jobs 2: same exit code as --jobs 1 (got $rc1 and $rc2)" $?
for f in c1 c2 c3; do cmp -s "$WORK/many-j1/$f.pdf" "$WORK/many-j2/$f.pdf" || { echo "  $f differs"; false; }; done
ck "--jobs 2: byte-identical outputs" $?
[ ! -e "$WORK/many-j2/z-unsafe.pdf" ]; ck "--jobs 2: no output for the refused file" $?
strip='del(.timing) | del(.output.path)'
diff <(jq -c "$strip" "$WORK/j1.jsonl") <(jq -c "$strip" "$WORK/j2.jsonl") >/dev/null; ck "--jobs 2: the same reports in input order (timings and output folder aside)" $?
diff "$WORK/j1.err" "$WORK/j2.err" >/dev/null && grep -q "z-unsafe.pdf" "$WORK/j2.err"; ck "--jobs 2: the same error message for the refused file" $?

# --- the workers' fork server and the one-worker-per-file path leave nothing behind ---
# A pipe reader sees end of file as soon as declass exits (no worker holds stdout open), no process
# still carries this run's arguments, and with the fork server off the same files come out byte-identical.
marker="$WORK/forkserver-out"
t0=$(date +%s)
"$BIN" redact "$WORK"/many/c*.pdf --out-dir "$marker" --rules "$WORK/rules.tsv" --box "1:100,300,150,350:B6" | cat >/dev/null
[ $(( $(date +%s) - t0 )) -lt 60 ]; ck "a pipe after declass redact ends with it" $?
printf '%s\n' "$marker" >"$WORK/marker.txt"  # (a pattern file: grep's own arguments must not match)
left=$(grep -l -a -F -f "$WORK/marker.txt" /proc/[0-9]*/cmdline 2>/dev/null | wc -l)
[ "$left" = 0 ]; ck "no worker or fork server outlives declass ($left left)" $?
DECLASS_FORK_SERVER=0 "$BIN" redact "$WORK"/many/c*.pdf --out-dir "$WORK/noserver-out" --rules "$WORK/rules.tsv" \
  --box "1:100,300,150,350:B6" >/dev/null 2>&1
for f in c1 c2 c3; do cmp -s "$marker/$f.pdf" "$WORK/noserver-out/$f.pdf" || { echo "  $f differs"; false; }; done
ck "DECLASS_FORK_SERVER=0: byte-identical outputs" $?
"$BIN" redact "$IN" -o "$WORK/j0.pdf" --term X:B6 --jobs 0 >/dev/null 2>&1; rc=$?
[ $rc = 1 ]; ck "--jobs 0 is a usage error (got $rc)" $?
exit $fail
