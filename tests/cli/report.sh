#!/usr/bin/env bash
# Compliance reports end to end: two documents of one case reviewed, approved and released (demo PKI as in
# main_job.sh), then `declass report vaughn` reconciled one-to-one with the redaction boxes of the released
# PDFs (release --json box_list: source bytes per box), every format checked (JSON schema fields, HTML
# parsed with python3's html.parser, CSV rows, signed PDF with pdfsig/qpdf), statistics, a consistency
# conflict planted in a second case (exit 3), overrides, the audit report signed with a detached CMS.
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
export SOURCE_DATE_EPOCH=1795910400
export DECLASS_DB="$WORK/declass.db"
fail=0
ck() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
run() { "$BIN" "$@" >"$WORK/last.out" 2>"$WORK/last.err"; }

PKI="$WORK/pki"; mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -sha256 -days 30 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" \
  -subj "/O=declass TEST/CN=declass TEST CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$PKI/bob.key" -out "$PKI/bob.csr" -subj "/O=declass TEST/CN=Bob Authority" 2>/dev/null
openssl x509 -req -in "$PKI/bob.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial -days 30 -sha256 -out "$PKI/bob.pem" \
  -extfile <(printf "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n") 2>/dev/null
SIGN=(--key "$PKI/bob.key" --cert "$PKI/bob.pem" --chain "$PKI/ca.pem")

CABLE="$SRC/examples/state-1999-12-29-talbott-putin.txt"
DOC2="$SRC/tests/data/corpus/stateFOIA_F-2017-13804_C06697823.txt"
POLICY="$SRC/policies/default.toml"
{
  "$BIN" init && "$BIN" user add admin --role admin && "$BIN" user add alice --role reviewer --as admin &&
  "$BIN" user add carol --role reviewer --as admin && "$BIN" user add bob --role authority --as admin &&
  "$BIN" case create F-2017-13804 --requester "Wilson Center" --received 2017-05-01 --policy "$POLICY" --as admin &&
  "$BIN" import F-2017-13804 "$CABLE" --doc-no C06551526 --as alice &&
  "$BIN" import F-2017-13804 "$DOC2" --doc-no C06697823 --as alice
} >"$WORK/setup.log" 2>&1
ck "workspace, case, two documents imported" $?

# Decide every paragraph the policy left open (release), after accepting the recommendations.
settle() {
  "$BIN" review accept "$1" --as "$2" >/dev/null 2>&1
  "$BIN" review show "$1" --json >"$WORK/show.json" 2>/dev/null
  python3 - "$WORK/show.json" <<'EOF' | while read -r p; do "$BIN" review decide "$1" --para "$p" --action release --as "$2" >/dev/null 2>&1; done
import json, sys
j = json.load(open(sys.argv[1]))
for p in j["paragraphs"]:
    if p.get("effective", {}).get("action") == "undecided":
        print(p["index"])
EOF
}
settle D1 alice
"$BIN" review decide D1 --para 4 --span "NORTH AMERICAS DIRECTOR CHIKVISHVILI" --action redact --exemption "(b)(6)" \
  --reason "name and position of a foreign official" --as alice >/dev/null 2>&1
ck "span redaction recorded" $?
"$BIN" review decide D1 --para 16 --action withhold --exemption b1 --exemption "1.4(d)" --reason "foreign relations" --as alice >/dev/null 2>&1
ck "paragraph withholding recorded" $?
settle D2 alice
"$BIN" review decide D2 --para 4 --action withhold --exemption b6 --reason "personal privacy" --as alice >/dev/null 2>&1
ck "withholding in the second document" $?
for d in D1 D2; do
  "$BIN" submit $d --as alice >/dev/null 2>&1 && "$BIN" approve $d --as bob >/dev/null 2>&1
  ck "$d submitted and approved" $?
  "$BIN" release $d --as bob -o "$WORK/$d.pdf" "${SIGN[@]}" --json >"$WORK/$d-release.json" 2>"$WORK/$d-release.err"
  ck "$d released" $?
done

run report vaughn F-2017-13804 --format json -o "$WORK/vaughn.json"; ck "report vaughn --format json" $?
python3 - "$WORK/vaughn.json" "$WORK/D1-release.json" "$WORK/D2-release.json" >"$WORK/reconcile.txt" 2>&1 <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
assert v["schema"] == "declass.report.vaughn/1", v["schema"]
def stamp(code):  # "(b)(6)" -> "B6", "(b)(7)(C)" -> "B7(C)", "1.4(d)" -> "1.4(D)"
    if code.startswith("(b)("):
        return "B" + code[4] + code[6:]
    return code.upper()
docs = {d["id"]: d for d in v["documents"]}
total_entries = sum(len(d["entries"]) for d in v["documents"])
assert total_entries == v["summary"]["entries"], "summary count"
for rel in sys.argv[2:]:
    r = json.load(open(rel))
    doc = docs[r["document"]]
    entries = doc["entries"]
    boxes = r["box_list"]
    assert len(boxes) == r["boxes"], "box_list length"
    covered = {e["number"]: 0 for e in entries}
    for b in boxes:
        assert b["source_begin"] is not None, "box without source bytes"
        owners = [e for e in entries if any(s <= b["source_begin"] and b["source_end"] <= t for s, t in e["source_ranges"])]
        assert len(owners) == 1, f"box {b} belongs to {len(owners)} entries"
        e = owners[0]
        # (entry pages are pages of the source record; the release re-typesets, so its page numbers differ)
        if b["label"]:
            want = {stamp(c["code"]) for c in e["codes"]} or {"REFER"}
            got = set(x.strip() for x in b["label"].replace(",", " ").split())
            assert want <= got or got <= want or any(w in b["label"] for w in want), f"label {b['label']} vs {want}"
        covered[e["number"]] += 1
    missing = [n for n, c in covered.items() if c == 0]
    assert not missing, f"Vaughn entries without a box: {missing}"
    # Every withheld source byte range of the index is covered by boxes, and boxes cover nothing else.
    print(f"{r['document']}: {len(entries)} entries <-> {len(boxes)} boxes, pages {sorted({b['page'] for b in boxes})}")
print("entries", total_entries)
EOF
rc=$?; cat "$WORK/reconcile.txt"; ck "Vaughn entries reconcile one-to-one with the redaction boxes of both releases" $rc
python3 -c "import json,sys; v=json.load(open(sys.argv[1])); d=v['documents'][0]; assert d['disposition']=='RELEASE IN PART' and d['approving_authority']=='bob' and d['released_at']" "$WORK/vaughn.json"
ck "Vaughn document: disposition, approving authority, release date" $?

for fmt in html csv text; do run report vaughn F-2017-13804 --format $fmt -o "$WORK/vaughn.$fmt"; ck "report vaughn --format $fmt" $?; done
python3 - "$WORK/vaughn.html" "$WORK/vaughn.json" <<'EOF'
import json, sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "link", "input"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.rows = 0; self.tbody = False; self.bad = None; self.script = False; self.printcss = False; self.style = False
    def handle_starttag(self, t, a):
        if t == "script": self.script = True
        if t in VOID: return
        self.stack.append(t)
        if t == "tbody": self.tbody = True
        if t == "tr" and self.tbody: self.rows += 1
        if t == "style": self.style = True
    def handle_endtag(self, t):
        if t in VOID: return
        if not self.stack or self.stack[-1] != t: self.bad = self.bad or f"</{t}> closes {self.stack[-1:]}"; return
        self.stack.pop()
        if t == "tbody": self.tbody = False
        if t == "style": self.style = False
    def handle_data(self, d):
        if self.style and "@media print" in d: self.printcss = True
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
v = json.load(open(sys.argv[2]))
assert p.bad is None and not p.stack, p.bad or p.stack
assert not p.script and p.printcss
entries = v["summary"]["entries"]; totals = len(v["summary"]["totals"])
assert p.rows == entries + totals, (p.rows, entries, totals)
EOF
ck "HTML: balanced tags, print CSS, no script, one row per entry + totals" $?
rows=$(python3 -c "import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline='')))) - 1)" "$WORK/vaughn.csv")
entries=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['entries'])" "$WORK/vaughn.json")
[ "$rows" = "$entries" ]; ck "CSV: one row per entry ($rows/$entries)" $?
! grep -q "CHIKVISHVILI" "$WORK"/vaughn.*; ck "no withheld name in any Vaughn form" $?

run report vaughn F-2017-13804 --format pdf -o "$WORK/vaughn.pdf" "${SIGN[@]}"; ck "report vaughn --format pdf (signed)" $?
qpdf --check "$WORK/vaughn.pdf" >/dev/null 2>&1; ck "Vaughn PDF: qpdf --check" $?
if command -v pdfsig >/dev/null; then
  pdfsig "$WORK/vaughn.pdf" >"$WORK/pdfsig.txt" 2>&1
  grep -q "Signature Validation: Signature is Valid" "$WORK/pdfsig.txt"; ck "Vaughn PDF: pdfsig signature valid" $?
fi
pdftotext "$WORK/vaughn.pdf" - 2>/dev/null | grep -q "Vaughn index"; ck "Vaughn PDF: text layer has the title" $?
! pdftotext "$WORK/vaughn.pdf" - 2>/dev/null | grep -q "CHIKVISHVILI"; ck "Vaughn PDF: no withheld name" $?
run report vaughn F-2017-13804 --format pdf -o "$WORK/nokey.pdf"; rc=$?
[ $rc = 1 ] && grep -q "signing key" "$WORK/last.err"; ck "PDF without a key is refused (exit $rc)" $?
run report vaughn F-9999-00000 --json; rc=$?; [ $rc = 1 ] && grep -q "no such case" "$WORK/last.err"; ck "unknown case: usage error (exit $rc)" $?

run report exemptions --json; ck "report exemptions --json" $?
python3 -c "
import json,sys; s=json.load(open(sys.argv[1]))
assert s['schema']=='declass.report.exemptions/1'
assert s['documents']['processed']==2, s['documents']
assert s['by_disposition']['part']==2
codes={e['code'] for e in s['by_exemption']}; assert {'(b)(1)','(b)(6)','1.4(d)'} <= codes, codes
assert s['processing']['cases_completed']==1 and s['processing']['median_working_days']>20
" "$WORK/last.out"; ck "exemptions: 2 processed documents, both in part, codes, one completed case over the limit" $?
run report exemptions --from 2001-01-01 --to 2001-12-31 --json; python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['documents']['processed']==0" "$WORK/last.out"
ck "exemptions --from/--to excludes documents outside the period" $?
run report exemptions --from 2020-13-01; rc=$?; [ $rc = 1 ]; ck "bad date: usage error (exit $rc)" $?

# A second case re-imports the cable and releases the paragraph case 1 withheld: a planted conflict.
{
  "$BIN" case create F-2018-00001 --requester "Other" --received 2018-01-02 --policy "$POLICY" --as admin &&
  "$BIN" import F-2018-00001 "$CABLE" --doc-no C06551526-2 --as carol
} >/dev/null 2>&1
settle D3 carol
"$BIN" review decide D3 --para 16 --action release --as carol >/dev/null 2>&1
run report consistency --json; rc=$?
[ $rc = 3 ]; ck "consistency: conflicts found → exit 3 (got $rc)" $?
python3 -c "
import json,sys; r=json.load(open(sys.argv[1]))
assert r['schema']=='declass.report.consistency/1'
p=[x for x in r['pairs'] if x['withheld']['document']=='D1' and x['withheld']['paragraph']==16]
assert len(p)==1 and p[0]['exact'] and p[0]['released']['document']=='D3' and p[0]['released']['reviewer']=='carol', p
assert all('text' not in x['withheld'] for x in r['pairs'])
assert len(r['duplicate_documents'])==1
" "$WORK/last.out"; ck "consistency: the planted pair with both decisions; withheld side without text; duplicate source" $?
run report consistency --case F-2018-00001 --format html -o "$WORK/consistency.html"; rc=$?; [ $rc = 3 ]; ck "consistency --case --format html" $?

run report overrides --json; ck "report overrides --json" $?
python3 -c "
import json,sys; r=json.load(open(sys.argv[1])); assert r['schema']=='declass.report.overrides/1'
assert r['summary']['overrides']>=3 and 'alice' in r['by_reviewer'], r['summary']
" "$WORK/last.out"; ck "overrides: manual decisions against the recommendation listed" $?

run report audit --sign -o "$WORK/audit.json" --format json "${SIGN[@]}"; ck "report audit --sign (JSON + detached CMS)" $?
openssl cms -verify -binary -inform DER -in "$WORK/audit.json.p7s" -content "$WORK/audit.json" -CAfile "$PKI/ca.pem" \
  -purpose any -out /dev/null >/dev/null 2>&1
ck "audit report: openssl cms -verify of the detached signature" $?
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert a['verification']['ok'] and a['by_action']['release.record']==2" "$WORK/audit.json"
ck "audit report: chain intact, two releases counted" $?
printf 'x' >>"$WORK/audit.json"
! openssl cms -verify -binary -inform DER -in "$WORK/audit.json.p7s" -content "$WORK/audit.json" -CAfile "$PKI/ca.pem" \
  -purpose any -out /dev/null >/dev/null 2>&1
ck "a changed audit report no longer verifies" $?
run report audit; ck "report audit (text)" $?
grep -q "INTACT" "$WORK/last.out"; ck "audit text says INTACT" $?
run report audit --format pdf -o "$WORK/audit.pdf" "${SIGN[@]}"; ck "report audit --format pdf (signed)" $?
# A decision row altered behind the store's back: the audit report says so and exits 4.
cp "$DECLASS_DB" "$WORK/tampered.db"
sqlite3 "$WORK/tampered.db" "UPDATE decisions SET justification='changed' WHERE id=(SELECT max(id) FROM decisions);"
"$BIN" --db "$WORK/tampered.db" report audit --json >"$WORK/tampered.json" 2>/dev/null; rc=$?
[ $rc = 4 ] && python3 -c "import json,sys; v=json.load(open(sys.argv[1]))['verification']; assert not v['ok'] and 'altered' in v['problem']" "$WORK/tampered.json"
ck "altered decision row: audit report not ok, exit 4 (got $rc)" $?
exit $fail
