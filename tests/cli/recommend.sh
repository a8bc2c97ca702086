#!/usr/bin/env bash
# CLI tests for `declass recommend` and `declass policy check|explain`: the seed cable under
# policies/default.toml, a private phone number/e-mail redacted as exact spans mapped back to
# source bytes, policy errors (exit 2, all listed), usage errors (exit 1, one line + hint).
# Args: $1 declass binary, $2 source dir, $3 scratch dir.
set -u
BIN=$1; SRC=$2; TMP=$3
mkdir -p "$TMP"
SEED="$SRC/examples/state-1999-12-29-talbott-putin.txt"
POL="$SRC/policies/default.toml"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

# 1. Seed cable: RELEASE IN FULL, nothing withheld, explanation cites the passed declassify-on date.
"$BIN" recommend "$SEED" --policy "$POL" --review-date 2026-11-28 --json >"$TMP/seed.json"; rc=$?
check "seed exit 0" "[ $rc -eq 0 ]"
python3 - "$TMP/seed.json" <<'PY' || fail=1
import json, sys
j = json.load(open(sys.argv[1]))
errs = []
if j["schema"] != "declass.recommend/1": errs.append("schema")
if j["disposition"] != "RELEASE IN FULL": errs.append("disposition " + j["disposition"])
if j["stamp_codes"] != "" or j["exemptions"] != []: errs.append("codes")
if j["review_date"] != "2026-11-28": errs.append("review_date")
if len(j["source"]["sha256"]) != 64: errs.append("sha256")
if not j["paragraphs"]: errs.append("no paragraphs")
for p in j["paragraphs"]:
    if p["action"] != "release" or p["spans"] or p["exemptions"]: errs.append("paragraph %d %s" % (p["index"], p["action"]))
    if "eo13526.declassify-on-passed" not in p["rules_fired"]: errs.append("rule not fired on %d" % p["index"])
    if "2008-12-18" not in p["explanation"]: errs.append("explanation %d lacks 2008-12-18" % p["index"])
print("FAIL seed json: " + "; ".join(errs) if errs else "ok   seed json (%d paragraphs released)" % len(j["paragraphs"]))
sys.exit(1 if errs else 0)
PY

# 2. A private phone number and e-mail in paragraph 13: exact spans, (b)(6), rest released.
sed 's/^13\. (S) PUTIN SAID SANDY BERGER/13. (S) PUTIN (HOME PHONE 202-555-0147, E-MAIL JDOE@EXAMPLE.ORG) SAID SANDY BERGER/' "$SEED" >"$TMP/phone.txt"
check "phone fixture edited" "grep -q '202-555-0147' '$TMP/phone.txt'"
"$BIN" recommend "$TMP/phone.txt" --policy "$POL" --review-date 2026-11-28 --json >"$TMP/phone.json"; rc=$?
check "phone exit 0" "[ $rc -eq 0 ]"
python3 - "$TMP/phone.json" "$TMP/phone.txt" <<'PY' || fail=1
import json, sys
j = json.load(open(sys.argv[1])); src = open(sys.argv[2], "rb").read()
errs = []
if j["disposition"] != "RELEASE IN PART": errs.append("disposition " + j["disposition"])
if j["stamp_codes"] != "B6": errs.append("stamp " + j["stamp_codes"])
red = [p for p in j["paragraphs"] if p["action"] != "release"]
if len(red) != 1: errs.append("%d non-released paragraphs" % len(red))
else:
    p = red[0]
    if p["action"] != "redact_span" or p["exemptions"] != ["(b)(6)"]: errs.append("action/exemptions")
    texts = [s["text"] for s in p["spans"]]
    if texts != ["202-555-0147", "JDOE@EXAMPLE.ORG"]: errs.append("spans %r" % texts)
    for s in p["spans"]:
        got = b"".join(src[a:b] for a, b in s["source"]).decode()
        if got != s["text"]: errs.append("source range %r != %r" % (got, s["text"]))
        if s["exemptions"] != ["(b)(6)"]: errs.append("span exemptions")
    if "privacy.phone" not in p["rules_fired"] or "eo13526.declassify-on-passed" not in p["rules_overridden"]:
        errs.append("rules fired/overridden")
print("FAIL phone json: " + "; ".join(errs) if errs else "ok   phone/e-mail spans exact, source ranges map back")
sys.exit(1 if errs else 0)
PY
"$BIN" recommend "$TMP/phone.txt" --policy "$POL" --review-date 2026-11-28 >"$TMP/phone.out"
check "text output shows disposition" "grep -q 'disposition: RELEASE IN PART B6' '$TMP/phone.out'"

# 3. A policy with errors: exit 2, every error listed as file:line:col: message.
"$BIN" recommend "$SEED" --policy "$SRC/tests/data/rules/errors/many-errors.toml" >"$TMP/bad.out" 2>"$TMP/bad.err"; rc=$?
check "bad policy exit 2" "[ $rc -eq 2 ]"
check "bad policy lists all 9 errors" "[ \$(grep -c 'many-errors.toml:[0-9]*:[0-9]*: ' '$TMP/bad.err') -eq 9 ]"
"$BIN" policy check "$SRC/tests/data/rules/errors/bad-values.toml" >/dev/null 2>"$TMP/check.err"; rc=$?
check "policy check errors exit 2" "[ $rc -eq 2 ]"
check "policy check lists 12 errors" "[ \$(grep -c 'bad-values.toml:[0-9]*:[0-9]*: ' '$TMP/check.err') -eq 12 ]"
"$BIN" policy check "$POL" >"$TMP/ok.out"; rc=$?
check "policy check default exit 0" "[ $rc -eq 0 ] && grep -q 'OK, 12 rules from 3 file' '$TMP/ok.out'"

# 4. Usage errors: one-line message + usage hint, exit 1.
"$BIN" recommend "$SEED" --policy "$POL" --frobnicate >/dev/null 2>"$TMP/u.err"; rc=$?
check "unknown option exit 1" "[ $rc -eq 1 ] && grep -q 'frobnicate' '$TMP/u.err' && grep -q -- '--help' '$TMP/u.err'"
"$BIN" recommend "$TMP/no-such-file.txt" --policy "$POL" >/dev/null 2>"$TMP/m.err"; rc=$?
check "missing file exit 1" "[ $rc -eq 1 ] && grep -q 'no-such-file.txt' '$TMP/m.err' && grep -q -- '--help' '$TMP/m.err'"
"$BIN" recommend "$SEED" --policy "$POL" --review-date 2026-13-40 >/dev/null 2>"$TMP/d.err"; rc=$?
check "bad review date exit 1" "[ $rc -eq 1 ]"

# 5. policy explain: every rule's verdict with reasons.
"$BIN" policy explain "$POL" "$TMP/phone.txt" --paragraph 4 --review-date 2026-11-28 >"$TMP/explain.out"; rc=$?
check "explain exit 0" "[ $rc -eq 0 ]"
check "explain lists every rule" "[ \$(grep -cE '^(eo13526|privacy)\.' '$TMP/explain.out') -eq 12 ]"
check "explain gives reasons" "grep -q 'declassify-on 2008-12-18, passed before review date 2026-11-28' '$TMP/explain.out'"
"$BIN" policy explain "$POL" "$SEED" --paragraph 999 >/dev/null 2>"$TMP/e.err"; rc=$?
check "explain bad paragraph exit 1" "[ $rc -eq 1 ] && grep -q 'paragraph 999 does not exist' '$TMP/e.err'"

exit $fail
