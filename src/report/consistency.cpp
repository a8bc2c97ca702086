// Consistency across releases (see reports.hpp): paragraphs whose normalised text is identical or nearly
// identical (Jaccard >= threshold over word 3-shingles, candidates from MinHash banding, so the work grows
// with the number of paragraphs, not its square) but released in one place and withheld in another;
// and documents imported into several cases from the same source bytes. The withheld side is shown
// only by reference and hash: this report is for internal auditors but still never prints withheld text.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "crypto/hash.hpp"
#include "report/exemption_meanings.hpp"
#include "report/reports.hpp"

namespace declass::report {

std::vector<std::string> normalized_words(const std::string& text) {
  // 1. fold case, join hyphenated line ends ("DECLASSI- FIED", "declassi-\nfied").
  std::string s;
  s.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '-' && !s.empty() && ((s.back() >= 'a' && s.back() <= 'z') || (s.back() >= '0' && s.back() <= '9'))) {
      std::size_t j = i + 1;
      bool newline = false;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r')) {
        if (text[j] == '\n' || text[j] == '\r') newline = true;
        ++j;
      }
      bool spaced = j > i + 1;
      char next = j < text.size() ? text[j] : '\0';
      bool letter = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
      // A joined paragraph keeps a line break only as one space ("x- y"), and the reader joins a line-end
      // hyphen without one ("ACKNOWL-EDGMENT"): both are one word. Intra-word hyphens are dropped alike.
      bool alnum = letter || (next >= '0' && next <= '9');
      if ((letter && (newline || (spaced && j == i + 2))) || (!spaced && alnum)) {
        i = j - 1;
        continue;
      }
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    s += c;
  }
  // 2. OCR confusions merged, words of letters/digits (and non-ASCII bytes) only.
  std::vector<std::string> words;
  std::string w;
  auto flush = [&] {
    if (!w.empty()) words.push_back(std::move(w));
    w.clear();
  };
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '0') c = 'o';
    else if (c == '1' || c == 'i' || c == '|') c = 'l';
    else if (c == '5') c = 's';
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80)
      w += c;
    else if (c == '\'' || c == '.' || c == ',')
      continue;  // "U.S." = "US", "1,000" = "1000", "don't" = "dont"
    else
      flush();
  }
  flush();
  return words;
}

namespace {

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

constexpr std::size_t kHashes = 40, kBands = 8, kRows = 5;
static_assert(kBands * kRows == kHashes);

struct Member {
  const DocumentData* doc;
  const review::EffectiveParagraph* eff;
  std::string role;  // released | withheld | redacted
};

struct TextClass {
  std::string sha256;   // of the normalised text
  std::vector<Member> members;
  std::vector<std::uint64_t> shingles;  // sorted, unique
  bool released = false, other = false;
};

ConsistencySide side_of(const Member& m) {
  ConsistencySide s;
  const auto& d = *m.doc;
  const auto& e = *m.eff;
  s.document_id = d.doc.id;
  s.doc_no = d.doc.doc_no;
  s.case_id = d.doc.case_id;
  s.status = d.doc.status;
  s.paragraph = e.index;
  s.paragraph_number = e.number;
  s.action = e.action;
  for (const auto& c : e.exemptions) s.codes.push_back(canonical_code(c));
  std::int64_t did = 0;
  if (e.action == "redact" && !e.spans.empty()) did = e.spans.front().decision_id;
  else
    for (std::int64_t id : e.decision_ids)
      for (const auto& x : d.decisions)
        if (x.id == id && !x.span_begin) did = id;
  for (const auto& x : d.decisions)
    if (x.id == did) {
      s.decision_id = x.id;
      s.reviewer = x.reviewer;
      s.decided_at = x.decided_at;
    }
  return s;
}

double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::size_t i = 0, j = 0, inter = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++inter;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  std::size_t uni = a.size() + b.size() - inter;
  return uni == 0 ? 1.0 : static_cast<double>(inter) / static_cast<double>(uni);
}

}  // namespace

ConsistencyReport build_consistency(store::Store& store, const ConsistencyOptions& o, const Clock& clock) {
  store::ReportReader reader(store);
  Snapshot snap = load_snapshot(reader);
  ConsistencyReport r;
  r.options = o;
  r.generated_at = clock.now_iso();

  // 1. Classes of identical normalised text over decided paragraphs of documents under review or done.
  std::unordered_map<std::string, std::size_t> class_of;
  std::vector<TextClass> classes;
  for (const auto& d : snap.documents) {
    if (d.doc.status == "imported") continue;
    for (const auto& e : d.effective) {
      if (e.index < 1 || e.index > static_cast<int>(d.paragraphs.size())) continue;
      std::string role = e.action == "release"                        ? "released"
                         : (e.action == "withhold" || e.action == "refer") ? "withheld"
                         : (e.action == "redact" && !e.spans.empty())   ? "redacted"
                                                                        : "";
      if (role.empty()) continue;
      auto words = normalized_words(d.paragraphs[static_cast<std::size_t>(e.index - 1)].text);
      if (words.size() < std::max<std::size_t>(o.min_words, 3)) continue;
      ++r.paragraphs_considered;
      std::string key;
      for (const auto& w : words) key += (key.empty() ? "" : " ") + w;
      auto [it, inserted] = class_of.emplace(key, classes.size());
      if (inserted) {
        TextClass c;
        c.sha256 = crypto::sha256_hex(key);
        for (std::size_t i = 0; i + 2 < words.size(); ++i)
          c.shingles.push_back(fnv1a(words[i + 2], fnv1a(" ", fnv1a(words[i + 1], fnv1a(" ", fnv1a(words[i]))))));
        std::sort(c.shingles.begin(), c.shingles.end());
        c.shingles.erase(std::unique(c.shingles.begin(), c.shingles.end()), c.shingles.end());
        classes.push_back(std::move(c));
      }
      TextClass& c = classes[it->second];
      c.members.push_back(Member{&d, &e, role});
      if (role == "released") c.released = true;
      else c.other = true;
    }
  }
  r.distinct_texts = static_cast<std::int64_t>(classes.size());

  auto wanted = [&](const Member& a, const Member& b) {
    return o.case_id.empty() || a.doc->doc.case_id == o.case_id || b.doc->doc.case_id == o.case_id;
  };
  std::set<std::pair<std::string, int>> reported;  // (withheld document, paragraph) already paired
  auto emit = [&](const TextClass& rel, const TextClass& wh, bool exact, double sim) {
    const Member* first_released = nullptr;
    for (const auto& m : rel.members)
      if (m.role == "released") {
        first_released = &m;
        break;
      }
    if (!first_released) return;
    for (const auto& m : wh.members) {
      if (m.role == "released") continue;
      if (!wanted(*first_released, m)) continue;
      if (!reported.insert({m.doc->doc.id, m.eff->index}).second) continue;
      ConsistencyPair p;
      p.kind = m.role == "withheld" ? "released_vs_withheld" : "released_vs_redacted";
      p.exact = exact;
      p.similarity = sim;
      p.released = side_of(*first_released);
      p.released.normalized_sha256 = rel.sha256;
      p.withheld = side_of(m);
      p.withheld.normalized_sha256 = wh.sha256;
      p.released_text = first_released->doc->paragraphs[static_cast<std::size_t>(first_released->eff->index - 1)].text;
      r.pairs.push_back(std::move(p));
    }
  };

  // 2. Exact: a class with released and withheld members.
  for (const auto& c : classes)
    if (c.released && c.other) emit(c, c, true, 1.0);

  // 3. Near duplicates: MinHash signatures, banded into buckets; only candidate pairs are compared.
  // (band hash, class) for every band of every class, sorted: runs of one hash are the buckets.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> banded;
  banded.reserve(classes.size() * kBands);
  std::array<std::uint64_t, kHashes> seeds{};
  for (std::size_t k = 0; k < kHashes; ++k) seeds[k] = mix(0xD1B54A32D192ED03ull * (k + 1));
  for (std::size_t ci = 0; ci < classes.size(); ++ci) {
    const auto& c = classes[ci];
    if (c.shingles.empty()) continue;
    std::array<std::uint64_t, kHashes> sig;
    sig.fill(~0ull);
    for (std::uint64_t sh : c.shingles)
      for (std::size_t k = 0; k < kHashes; ++k) sig[k] = std::min(sig[k], mix(sh ^ seeds[k]));
    for (std::size_t b = 0; b < kBands; ++b) {
      std::uint64_t h = mix(b + 1);
      for (std::size_t k = 0; k < kRows; ++k) h = mix(h ^ sig[b * kRows + k]);
      banded.emplace_back(h, static_cast<std::uint32_t>(ci));
    }
  }
  std::sort(banded.begin(), banded.end());
  std::unordered_set<std::uint64_t> checked;
  constexpr std::size_t kMaxBucket = 256;  // a bucket this large is boilerplate; comparing it is quadratic
  for (std::size_t lo = 0; lo < banded.size();) {
    std::size_t hi = lo + 1;
    while (hi < banded.size() && banded[hi].first == banded[lo].first) ++hi;
    const std::size_t n = hi - lo;
    if (n > kMaxBucket) {
      ++r.skipped_buckets;
      lo = hi;
      continue;
    }
    for (std::size_t i = lo; i < hi; ++i)
      for (std::size_t j = i + 1; j < hi; ++j) {
        std::uint32_t a = std::min(banded[i].second, banded[j].second), b = std::max(banded[i].second, banded[j].second);
        if (a == b) continue;
        const TextClass &ca = classes[a], &cb = classes[b];
        if (!((ca.released && cb.other) || (cb.released && ca.other))) continue;
        if (!checked.insert((static_cast<std::uint64_t>(a) << 32) | b).second) continue;
        ++r.candidate_pairs;
        double sim = jaccard(ca.shingles, cb.shingles);
        if (sim < o.threshold) continue;
        if (ca.released && cb.other) emit(ca, cb, false, sim);
        if (cb.released && ca.other) emit(cb, ca, false, sim);
      }
    lo = hi;
  }
  std::sort(r.pairs.begin(), r.pairs.end(), [](const ConsistencyPair& x, const ConsistencyPair& y) {
    if (x.withheld.case_id != y.withheld.case_id) return x.withheld.case_id < y.withheld.case_id;
    if (x.withheld.document_id.size() != y.withheld.document_id.size())
      return x.withheld.document_id.size() < y.withheld.document_id.size();
    if (x.withheld.document_id != y.withheld.document_id) return x.withheld.document_id < y.withheld.document_id;
    return x.withheld.paragraph < y.withheld.paragraph;
  });

  // 4. The same source bytes imported into more than one case.
  std::map<std::string, std::vector<const DocumentData*>> by_sha;
  for (const auto& d : snap.documents) by_sha[d.doc.source_sha256].push_back(&d);
  for (const auto& [sha, docs] : by_sha) {
    std::set<std::string> case_ids;
    for (const auto* d : docs) case_ids.insert(d->doc.case_id);
    if (case_ids.size() < 2) continue;
    if (!o.case_id.empty() && !case_ids.count(o.case_id)) continue;
    DuplicateDocument dup;
    dup.source_sha256 = sha;
    std::set<std::string> disps;
    for (const auto* d : docs) {
      std::string disp = stamp_disposition(d->effective);
      dup.copies.push_back({d->doc.id, d->doc.doc_no, d->doc.case_id, d->doc.status, disp});
      if (d->doc.status != "imported" && disp != "PENDING") disps.insert(disp);
    }
    dup.dispositions_differ = disps.size() > 1;
    r.duplicates.push_back(std::move(dup));
  }
  return r;
}

namespace {

Json side_json(const ConsistencySide& s) {
  return Json{{"document", s.document_id},
              {"doc_no", s.doc_no},
              {"case", s.case_id},
              {"status", s.status},
              {"paragraph", s.paragraph},
              {"paragraph_number", s.paragraph_number},
              {"action", s.action},
              {"codes", s.codes},
              {"decision", s.decision_id ? Json(s.decision_id) : Json(nullptr)},
              {"reviewer", s.reviewer.empty() ? Json(nullptr) : Json(s.reviewer)},
              {"decided_at", s.decided_at.empty() ? Json(nullptr) : Json(s.decided_at)},
              {"normalized_sha256", s.normalized_sha256}};
}

std::string side_text(const ConsistencySide& s) {
  std::string out = s.case_id + " " + s.document_id + " (" + s.doc_no + ") para " + std::to_string(s.paragraph) + ": " + s.action;
  if (!s.codes.empty()) {
    out += " ";
    for (std::size_t i = 0; i < s.codes.size(); ++i) out += (i ? " " : "") + s.codes[i];
  }
  out += s.decision_id ? " by " + s.reviewer + " " + s.decided_at.substr(0, 10) : " (by default: no decision)";
  return out;
}

std::string pct(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

Json to_json(const ConsistencyReport& r) {
  Json j;
  j["schema"] = "declass.report.consistency/1";
  j["generated_at"] = r.generated_at;
  j["options"] = {{"case", r.options.case_id.empty() ? Json(nullptr) : Json(r.options.case_id)},
                  {"threshold", r.options.threshold},
                  {"min_words", r.options.min_words}};
  std::int64_t exact = 0;
  for (const auto& p : r.pairs) exact += p.exact ? 1 : 0;
  j["summary"] = {{"paragraphs_considered", r.paragraphs_considered},
                  {"distinct_texts", r.distinct_texts},
                  {"candidate_pairs_compared", r.candidate_pairs},
                  {"skipped_buckets", r.skipped_buckets},
                  {"conflicts", r.pairs.size()},
                  {"exact", exact},
                  {"near", static_cast<std::int64_t>(r.pairs.size()) - exact},
                  {"duplicate_documents", r.duplicates.size()}};
  Json pairs = Json::array();
  for (const auto& p : r.pairs) {
    Json rel = side_json(p.released);
    rel["text"] = p.released_text;
    pairs.push_back({{"kind", p.kind}, {"exact", p.exact}, {"similarity", p.similarity}, {"released", std::move(rel)},
                     {"withheld", side_json(p.withheld)}});
  }
  j["pairs"] = std::move(pairs);
  Json dups = Json::array();
  for (const auto& d : r.duplicates) {
    Json copies = Json::array();
    for (const auto& c : d.copies)
      copies.push_back({{"document", c.document_id}, {"doc_no", c.doc_no}, {"case", c.case_id}, {"status", c.status},
                        {"disposition", c.disposition}});
    dups.push_back({{"source_sha256", d.source_sha256}, {"dispositions_differ", d.dispositions_differ}, {"copies", std::move(copies)}});
  }
  j["duplicate_documents"] = std::move(dups);
  return j;
}

ReportDoc to_doc(const ConsistencyReport& r) {
  ReportDoc d;
  d.schema = "declass.report.consistency/1";
  d.title = "Consistency across releases" + (r.options.case_id.empty() ? std::string() : " - case " + r.options.case_id);
  d.facts = {{"Paragraphs compared", std::to_string(r.paragraphs_considered)},
             {"Distinct texts", std::to_string(r.distinct_texts)},
             {"Conflicts", std::to_string(r.pairs.size())},
             {"Duplicate documents", std::to_string(r.duplicates.size())},
             {"Similarity threshold", pct(r.options.threshold)},
             {"Generated", r.generated_at}};
  d.notes = {"For internal auditors. A conflict is a paragraph released in one document whose text (after normalising "
             "case, spacing, line breaks, hyphenation and common OCR confusions) is identical or nearly identical to a "
             "paragraph withheld or redacted in another. Only the released text is shown; the withheld side is identified "
             "by document, paragraph and the SHA-256 of its normalised text."};
  if (r.skipped_buckets)
    d.notes.push_back(std::to_string(r.skipped_buckets) + " very large groups of near-identical boilerplate were not compared pairwise.");
  Section s;
  s.heading = "Released here, withheld there";
  Table t;
  t.columns = {"Match", "Released", "Withheld / redacted", "Withheld text hash", "Released text"};
  for (const auto& p : r.pairs)
    t.rows.push_back({p.exact ? "identical" : "similar " + pct(p.similarity), side_text(p.released), side_text(p.withheld),
                      p.withheld.normalized_sha256.substr(0, 16), p.released_text});
  s.tables.push_back(std::move(t));
  d.sections.push_back(std::move(s));
  Section ds;
  ds.heading = "Same source document in several cases";
  Table dt;
  dt.columns = {"Source SHA-256", "Copies", "Dispositions differ"};
  for (const auto& x : r.duplicates) {
    std::string copies;
    for (const auto& c : x.copies)
      copies += (copies.empty() ? "" : "\n") + c.case_id + " " + c.document_id + " (" + c.doc_no + "): " + c.status + ", " + c.disposition;
    dt.rows.push_back({x.source_sha256.substr(0, 16), copies, x.dispositions_differ ? "YES" : "no"});
  }
  ds.tables.push_back(std::move(dt));
  d.sections.push_back(std::move(ds));
  return d;
}

}  // namespace declass::report
