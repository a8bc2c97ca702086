#!/usr/bin/env bash
# declass batch over a folder of 200 records plus malformed ones, under policies/default.toml with a
# test PKI: exact summary counts, bad records reported by name, exit codes (2 errors, 3 queued, 0 all
# released), separation of duties, resume (no second import or release, audit chain valid), a resumed
# release after a run without a key, a manifest, and --jobs 2 giving the same store and files as --jobs 1.
# Prints the throughput of both runs (records/s). Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"
export SOURCE_DATE_EPOCH=1795910400   # 2026-11-29T00:00:00Z: the review date of every run below
CORPUS="$SRC/tests/data/corpus"; POLICY="$SRC/policies/default.toml"
fail=0
ck() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
py() { python3 - "$@"; }

# ---- test PKI (a throwaway CA and an authority certificate) ----
PKI="$WORK/pki"; mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -sha256 -days 30 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" \
  -subj "/O=declass TEST/CN=declass TEST CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$PKI/bob.key" -out "$PKI/bob.csr" -subj "/O=declass TEST/CN=Bob Authority" 2>/dev/null
openssl x509 -req -in "$PKI/bob.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial -days 30 -sha256 \
  -out "$PKI/bob.pem" -extfile <(printf "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n") 2>/dev/null
[ -s "$PKI/bob.pem" ]; ck "test PKI created" $?
SIGN=(--as bob --key "$PKI/bob.key" --cert "$PKI/bob.pem" --chain "$PKI/ca.pem" --trust "$PKI/ca.pem")

# A store with an admin, the pipeline's own reviewer identity, and an authority.
setup_store() {
  "$BIN" --db "$1" init >/dev/null &&
  "$BIN" --db "$1" user add admin --role admin >/dev/null &&
  "$BIN" --db "$1" user add pipeline --role reviewer --as admin >/dev/null &&
  "$BIN" --db "$1" user add bob --role authority --as admin --cert "$PKI/bob.pem" >/dev/null
}

# ---- the folder: 200 records + 4 malformed + 1 exact duplicate ----
# Checked by hand against the sources, at review date 2026-11-29, under policies/default.toml:
#  RELEASE (every paragraph decided): the FRUS documents d266-d269 are dated August 1986 and the State
#  cables of case F-2017-13804 (C06697823, C06698642, C06698683, C06698687: November 1996; the Talbott
#  cable: 29 December 1999) are more than 25 years old, so eo13526.automatic-25-year releases every
#  paragraph; C06698676 (October 1996) has paragraphs marked 25X, which eo13526.exempt-25x withholds
#  (redact_paragraph) — decided too, so it is released in part.
#  QUEUE: the State e-mails of 2009-2012 (C05760025, C05764535, C05782232, C05786083, C05793752,
#  C05795187, C05739808) are under 25 years old and their paragraphs carry no portion marks, so no rule
#  decides them and the policy default (flag) sends them to a person; so does the OCR record C09000015,
#  whose text has no legible date or portion marks.
# Each base is copied as is plus 10 variants with one appended "(U)" paragraph (released under
# eo13526.unclassified-portion, so the outcome of the base is unchanged); d266 gets 2 more variants.
# 10 x 11 + 2 = 112 released, 8 x 11 = 88 queued: 200 records.
REL=(frus_frus1981-88v05_d266 frus_frus1981-88v05_d267 frus_frus1981-88v05_d268 frus_frus1981-88v05_d269
     state-1999-12-29-talbott-putin stateFOIA_F-2017-13804_C06697823 stateFOIA_F-2017-13804_C06698642
     stateFOIA_F-2017-13804_C06698676 stateFOIA_F-2017-13804_C06698683 stateFOIA_F-2017-13804_C06698687)
QUE=(stateFOIA_F-2014-20439_C05760025_email stateFOIA_F-2014-20439_C05764535_email stateFOIA_F-2014-20439_C05782232_email
     stateFOIA_F-2014-20439_C05786083_email stateFOIA_F-2014-20439_C05793752_email stateFOIA_F-2014-20439_C05795187_email
     stateFOIA_F-2015-04841_C05739808_email stateFOIA_F-1986-04261_C09000015_ocr)
IN="$WORK/records"; mkdir -p "$IN/sub"
variant() {  # base, k, destination
  { cat "$CORPUS/$1.txt"; printf '\n\n(U) Batch test variant %d of this record.\n' "$2"; } >"$3"
}
for b in "${REL[@]}" "${QUE[@]}"; do
  cp "$CORPUS/$b.txt" "$IN/$b.txt"
  for k in 1 2 3 4 5 6 7 8 9 10; do variant "$b" "$k" "$IN/sub/$b-v$k.txt"; done
done
variant frus_frus1981-88v05_d266 11 "$IN/sub/frus_frus1981-88v05_d266-v11.txt"
variant frus_frus1981-88v05_d266 12 "$IN/sub/frus_frus1981-88v05_d266-v12.txt"
cp "$CORPUS/state-1999-12-29-talbott-putin.txt" "$IN/zz-copy-of-talbott.txt"   # same bytes: skipped
: >"$IN/empty.txt"                                                               # 0 bytes
head -c 3000 "$SRC/policies/default.toml" | gzip -n -c >"$IN/binary.dat"         # binary
printf '\0\0\0\1binary\0' >>"$IN/binary.dat"
: >"$IN/zero.pdf"                                                                # 0-byte PDF
printf '%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R' >"$IN/truncated.pdf"  # cut off
mkdir -p "$IN/.hidden"; cp "$CORPUS/jfk_104-10418-10104.txt" "$IN/.hidden/"     # hidden: not a record
n=$(find "$IN" -type f -not -path '*/.hidden/*' | wc -l); [ "$n" = 205 ]; ck "folder has 205 files (200 records, 4 malformed, 1 duplicate), got $n" $?

# ---- refusals before any work ----
DB1="$WORK/one.db"; setup_store "$DB1"; ck "store one: users admin, pipeline (reviewer), bob (authority)" $?
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$IN" --out "$WORK/x" --case F-TEST-1 --auto-release \
  --as pipeline --key "$PKI/bob.key" --cert "$PKI/bob.pem" >"$WORK/o" 2>"$WORK/e"; rc=$?
[ $rc = 2 ] && grep -q "separation of duties" "$WORK/e"; ck "authority = pipeline reviewer refused (exit $rc)" $?
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$IN" --out "$WORK/x" --case F-TEST-1 --reviewer nobody >"$WORK/o" 2>"$WORK/e"; rc=$?
[ $rc = 2 ] && grep -q "declass user add nobody --role reviewer" "$WORK/e"; ck "missing pipeline reviewer refused with the fix (exit $rc)" $?
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$IN" --out "$WORK/x" --case F-TEST-1 --reviewer bob >"$WORK/o" 2>"$WORK/e"; rc=$?
[ $rc = 2 ] && grep -q "must have role reviewer" "$WORK/e"; ck "an authority as pipeline reviewer refused (exit $rc)" $?
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$IN" --out "$WORK/x" --case F-TEST-1 --as bob >"$WORK/o" 2>"$WORK/e"; rc=$?
[ $rc = 1 ]; ck "--as without --auto-release is a usage error (exit $rc)" $?
"$BIN" --db "$DB1" audit log --json >"$WORK/log0.json"
py "$WORK/log0.json" <<'EOF'; ck "refused runs changed nothing (no case, no import)" $?
import json,sys; ev=json.load(open(sys.argv[1]))["events"]
sys.exit(0 if not [e for e in ev if e["action"] in ("case.create","document.import")] else 1)
EOF

# ---- run 1: --jobs 1 ----
OUT1="$WORK/out1"
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$IN" --out "$OUT1" --case F-TEST-1 --jobs 1 --auto-release "${SIGN[@]}" \
  >"$WORK/run1.jsonl" 2>"$WORK/run1.err"; rc=$?
[ $rc = 2 ]; ck "run 1 exits 2 (some errors win over queued) (got $rc)" $?
py "$WORK/run1.jsonl" <<'EOF'; ck "run 1: events valid, summary 112 released / 88 queued / 1 skipped / 4 errors / 200 imported" $?
import json,sys
ev=[json.loads(l) for l in open(sys.argv[1])]
assert all(e["schema"]=="declass.batch-event/1" for e in ev)
assert ev[0]["event"]=="started" and ev[0]["records"]==205, ev[0]
s=ev[-1]; assert s["event"]=="summary", s
want=dict(records=205,released=112,queued=88,skipped=1,errors=4,imported=200,pending_review=88,audit_chain="ok",exit_code=2)
bad={k:(s[k],v) for k,v in want.items() if s[k]!=v}; assert not bad, bad
recs=[e for e in ev if e["event"]=="record"]; assert len(recs)==205
for e in recs: assert e["status"] in ("released","queued","skipped","error")
EOF
py "$WORK/run1.jsonl" "$IN" <<'EOF'; ck "run 1: each record has the status worked out by hand, bad ones named with a reason" $?
import json,sys,os
ev=[json.loads(l) for l in open(sys.argv[1]) if '"record"' in l]
by={os.path.relpath(e["path"],sys.argv[2]):e for e in ev}
errs=sorted(k for k,e in by.items() if e["status"]=="error")
assert errs==["binary.dat","empty.txt","truncated.pdf","zero.pdf"], errs
for k in errs: assert by[k]["reason"] and k in by[k]["reason"], (k, by[k]["reason"])
assert by["zz-copy-of-talbott.txt"]["status"]=="skipped" and "state-1999-12-29-talbott-putin.txt" in by["zz-copy-of-talbott.txt"]["reason"]
rel=[k for k,e in by.items() if e["status"]=="released"]; que=[k for k,e in by.items() if e["status"]=="queued"]
assert all(k.split("/")[-1].startswith(("frus_","state-1999","stateFOIA_F-2017-13804")) for k in rel), rel
assert all(("_email" in k or "_ocr" in k) for k in que), que
assert all("flags paragraph" in by[k]["reason"] for k in que)
assert all(by[k]["state"]=="released" and by[k]["output_sha256"] for k in rel)
assert all(by[k]["state"]=="imported" for k in que)
part=[k for k in rel if "C06698676" in k]; assert len(part)==11 and all(by[k]["reason"].startswith("RELEASE IN PART") for k in part)
EOF
n=$(ls "$OUT1"/*.pdf 2>/dev/null | wc -l); [ "$n" = 112 ]; ck "112 signed release files in --out (got $n)" $?
ls "$OUT1" | grep -q partial; [ $? != 0 ]; ck "no partial files left" $?
"$BIN" verify "$OUT1/stateFOIA_F-2017-13804_C06698676.pdf" --trust "$PKI/ca.pem" --db "$DB1" >"$WORK/v.txt" 2>&1
ck "declass verify --db accepts a batch release (released in part)" $?
"$BIN" --db "$DB1" audit verify >/dev/null 2>&1; ck "audit chain valid after run 1" $?
"$BIN" --db "$DB1" review show D2 --json >"$WORK/d.json" 2>/dev/null
py "$WORK/d.json" <<'EOF'; ck "released document: approved by bob, decisions only by the pipeline reviewer" $?
import json,sys; j=json.load(open(sys.argv[1]))
assert j["document"]["status"]=="released", j["document"]
assert [a["authority"] for a in j["approvals"]]==["bob"]
assert all(d["reviewer"]=="pipeline" for p in j["paragraphs"] for d in p["decisions"])
EOF

# ---- run 2: the same folder again does no work twice ----
"$BIN" --db "$DB1" audit log --json >"$WORK/log1.json"
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$IN" --out "$OUT1" --case F-TEST-1 --jobs 2 --auto-release "${SIGN[@]}" \
  >"$WORK/run2.jsonl" 2>"$WORK/run2.err"; rc=$?
[ $rc = 2 ]; ck "run 2 exits 2 (the malformed records fail again) (got $rc)" $?
"$BIN" --db "$DB1" audit log --json >"$WORK/log2.json"
py "$WORK/run2.jsonl" "$WORK/log1.json" "$WORK/log2.json" <<'EOF'; ck "run 2: 0 imported, 0 released, 201 skipped, 4 errors; audit trail unchanged" $?
import json,sys
s=[json.loads(l) for l in open(sys.argv[1])][-1]
want=dict(records=205,released=0,queued=0,skipped=201,errors=4,imported=0,pending_review=88)
bad={k:(s[k],v) for k,v in want.items() if s[k]!=v}; assert not bad, bad
a=json.load(open(sys.argv[2]))["events"]; b=json.load(open(sys.argv[3]))["events"]
assert len(a)==len(b) and a[-1]["hash"]==b[-1]["hash"], (len(a),len(b))
EOF
n=$(ls "$OUT1"/*.pdf | wc -l); [ "$n" = 112 ]; ck "still 112 release files after run 2 (got $n)" $?
"$BIN" --db "$DB1" audit verify >/dev/null 2>&1; ck "audit verify after run 2" $?

# ---- run 3: --jobs 2 on a fresh store gives the same documents and byte-identical releases ----
DB2="$WORK/two.db"; setup_store "$DB2"; OUT2="$WORK/out2"
"$BIN" --db "$DB2" batch --policy "$POLICY" --in "$IN" --out "$OUT2" --case F-TEST-1 --jobs 2 --auto-release "${SIGN[@]}" \
  >"$WORK/run3.jsonl" 2>"$WORK/run3.err"; rc=$?
[ $rc = 2 ]; ck "jobs 2 run exits 2 (got $rc)" $?
# The release before signing must be byte-identical. (The signature update is not: PoDoFo stamps the
# update's /ModDate from the wall clock, not SOURCE_DATE_EPOCH, so the signed files differ in that date.)
py "$OUT1" "$OUT2" <<'EOF'; ck "--jobs 2 writes the same 112 release files, byte-identical up to the signature update" $?
import os,sys,hashlib
def revs(d):
    out={}
    for f in sorted(os.listdir(d)):
        b=open(os.path.join(d,f),"rb").read(); out[f]=hashlib.sha256(b[:b.index(b"%%EOF")]).hexdigest()
    return out
a,b=revs(sys.argv[1]),revs(sys.argv[2]); assert len(a)==112 and a==b, [k for k in a if a.get(k)!=b.get(k)][:5]
EOF
"$BIN" --db "$DB1" case show F-TEST-1 --json >"$WORK/c1.json"; "$BIN" --db "$DB2" case show F-TEST-1 --json >"$WORK/c2.json"
py "$WORK/c1.json" "$WORK/c2.json" <<'EOF'; ck "--jobs 2 stores the same documents (id, doc_no, status, source hash)" $?
import json,sys
def docs(p): return [(d["id"],d["doc_no"],d["status"],d.get("source_sha256")) for d in json.load(open(p))["documents"]]
a,b=docs(sys.argv[1]),docs(sys.argv[2]); assert len(a)==200 and a==b
EOF
# Decisions, approvals and releases are identical; only the audit sequence number of each release event
# depends on which worker process finished first (releases are recorded as they complete), and the
# signed file's hash carries the signature update's wall-clock /ModDate (see above).
for id in D1 D7 D57 D120 D200; do
  "$BIN" --db "$DB1" review show $id --json >"$WORK/r1.json" 2>/dev/null; "$BIN" --db "$DB2" review show $id --json >"$WORK/r2.json" 2>/dev/null
  py "$WORK/r1.json" "$WORK/r2.json" <<'EOF'; ck "--jobs 2: identical decisions, approvals and releases of $id" $?
import json,sys
def load(p):
    j=json.load(open(p))
    for r in j["releases"]: r.pop("audit_seq"); r.pop("audit_hash"); r.pop("output_sha256")
    return j
a,b=load(sys.argv[1]),load(sys.argv[2]); assert a==b
EOF
done
"$BIN" --db "$DB2" audit verify >/dev/null 2>&1; ck "audit chain valid after the --jobs 2 run" $?
rate() { py "$1" <<'EOF'
import json,sys; s=[json.loads(l) for l in open(sys.argv[1])][-1]; print("%.1f records/s (%.1f s)" % (s["records_per_second"], s["seconds"]))
EOF
}
echo "throughput (205 files, 112 releases): --jobs 1: $(rate "$WORK/run1.jsonl"); --jobs 2: $(rate "$WORK/run3.jsonl")"

# ---- exit 3 / resume of a run without a key / exit 0, via a manifest ----
SMALL="$WORK/small"; mkdir -p "$SMALL"
cp "$CORPUS/frus_frus1981-88v05_d267.txt" "$CORPUS/stateFOIA_F-2017-13804_C06698687.txt" "$SMALL/"
printf '# two cables\nfrus_frus1981-88v05_d267.txt\n\nstateFOIA_F-2017-13804_C06698687.txt\n' >"$SMALL/list.txt"
"$BIN" --db "$DB1" batch --policy "$POLICY" --manifest "$SMALL/list.txt" --out "$WORK/out-small" --case F-TEST-2 \
  >"$WORK/s1.jsonl" 2>/dev/null; rc=$?
[ $rc = 3 ]; ck "no key: everything queued, exit 3 (got $rc)" $?
grep -q '"status":"queued","reason":"auto-release not requested' "$WORK/s1.jsonl"; ck "queued with the reason 'auto-release not requested'" $?
# One of them is taken half-way by hand as the pipeline would have (accepted, submitted, approved): the
# keyed re-run must finish it (release only), and import/release the other from where it is.
D=$(py "$WORK/s1.jsonl" <<'EOF'
import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if '"record"' in l][0]["document"])
EOF
)
{ "$BIN" --db "$DB1" review accept "$D" --as pipeline && "$BIN" --db "$DB1" submit "$D" --as pipeline &&
  "$BIN" --db "$DB1" approve "$D" --as bob; } >/dev/null 2>&1; ck "$D accepted, submitted and approved by hand" $?
"$BIN" --db "$DB1" batch --policy "$POLICY" --manifest "$SMALL/list.txt" --out "$WORK/out-small" --case F-TEST-2 \
  --auto-release "${SIGN[@]}" >"$WORK/s2.jsonl" 2>/dev/null; rc=$?
[ $rc = 0 ]; ck "re-run with the key releases both, exit 0 (got $rc)" $?
py "$WORK/s2.jsonl" <<'EOF'; ck "resumed: 2 released, 0 imported" $?
import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; s=ev[-1]
assert (s["released"],s["imported"],s["errors"],s["pending_review"])==(2,0,0,0), s
assert all("resumed" in e["reason"] for e in ev if e["event"]=="record")
EOF
"$BIN" --db "$DB1" batch --policy "$POLICY" --manifest "$SMALL/list.txt" --out "$WORK/out-small" --case F-TEST-2 \
  --auto-release "${SIGN[@]}" >"$WORK/s3.jsonl" 2>/dev/null; rc=$?
[ $rc = 0 ] && grep -q '"skipped":2' "$WORK/s3.jsonl"; ck "third run: both skipped, still exit 0 (got $rc)" $?
"$BIN" --db "$DB1" batch --policy "$SRC/policies/privacy.toml" --manifest "$SMALL/list.txt" --out "$WORK/out-small" \
  --case F-TEST-2 >/dev/null 2>"$WORK/e"; rc=$?
[ $rc = 1 ] && grep -q "another policy" "$WORK/e"; ck "a different policy for an existing case is refused (exit $rc)" $?
# A person has started on a record: the pipeline leaves it alone even when the policy would decide it.
"$BIN" --db "$DB1" user add alice --role reviewer --as admin >/dev/null
HUM="$WORK/human"; mkdir -p "$HUM"; cp "$CORPUS/frus_frus1981-88v05_d268.txt" "$HUM/"
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$HUM" --out "$WORK/out-h" --case F-TEST-3 >"$WORK/h1.jsonl" 2>/dev/null
D=$(py "$WORK/h1.jsonl" <<'EOF'
import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if '"record"' in l][0]["document"])
EOF
)
"$BIN" --db "$DB1" review decide "$D" --para 1 --action release --as alice >/dev/null 2>&1; ck "alice records a decision on $D" $?
"$BIN" --db "$DB1" batch --policy "$POLICY" --in "$HUM" --out "$WORK/out-h" --case F-TEST-3 --auto-release "${SIGN[@]}" \
  >"$WORK/h2.jsonl" 2>/dev/null; rc=$?
[ $rc = 3 ] && grep -q '"status":"skipped".*a person has recorded decisions' "$WORK/h2.jsonl" && [ ! -e "$WORK/out-h/frus_frus1981-88v05_d268.pdf" ]
ck "a record a person has decided on is left to people (skipped, not released, exit $rc)" $?
"$BIN" --db "$DB1" audit verify >/dev/null 2>&1; ck "audit chain valid at the end" $?
exit $fail
