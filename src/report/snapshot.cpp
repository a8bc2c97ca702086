// Shared report plumbing (see reports.hpp): the store snapshot with effective decisions per document,
// dispositions, federal working days, and masking of withheld quotes in justifications.
#include <algorithm>
#include <map>
#include <unordered_set>

#include "report/reports.hpp"

namespace declass::report {

Snapshot load_snapshot(store::ReportReader& reader, const std::string& case_id) {
  Snapshot s;
  s.cases = reader.cases(case_id);
  std::map<std::int64_t, std::size_t> at;
  for (auto& d : reader.documents(case_id)) {
    at[d.seq] = s.documents.size();
    DocumentData dd;
    dd.doc = std::move(d);
    s.documents.push_back(std::move(dd));
  }
  auto find = [&](std::int64_t seq) -> DocumentData* {
    auto it = at.find(seq);
    return it == at.end() ? nullptr : &s.documents[it->second];
  };
  for (auto& p : reader.paragraphs(case_id))
    if (auto* d = find(p.document_seq)) d->paragraphs.push_back(std::move(p.paragraph));
  for (auto& x : reader.decisions(case_id))
    if (auto* d = find(x.document_seq)) d->decisions.push_back(std::move(x));
  for (auto& x : reader.approvals(case_id))
    if (auto* d = find(x.document_seq)) d->approvals.push_back(std::move(x));
  for (auto& x : reader.releases(case_id))
    if (auto* d = find(x.document_seq)) d->releases.push_back(std::move(x));
  for (auto& d : s.documents) {
    d.recommendations = review::parse_recommendations(Json::parse(d.doc.recommend_json, nullptr, false));
    d.doc.recommend_json.clear();
    d.doc.recommend_json.shrink_to_fit();
    d.effective = review::effective_decisions(d.paragraphs, d.recommendations, d.decisions);
  }
  return s;
}

std::string stamp_disposition(const std::vector<review::EffectiveParagraph>& effective) {
  std::size_t withheld_paragraphs = 0;
  bool any_withheld = false;
  for (const auto& e : effective) {
    if (e.action == "undecided") return "PENDING";
    if (e.action == "withhold" || e.action == "refer") {
      ++withheld_paragraphs;
      any_withheld = true;
    } else if (e.action == "redact" && !e.spans.empty()) {
      any_withheld = true;
    }
  }
  if (!any_withheld) return "RELEASE IN FULL";
  return withheld_paragraphs == effective.size() ? "DENIED IN FULL" : "RELEASE IN PART";
}

std::string statistics_disposition(const std::vector<review::EffectiveParagraph>& effective) {
  std::string stamp = stamp_disposition(effective);
  if (stamp == "PENDING") return "pending";
  if (stamp == "RELEASE IN FULL") return "full";
  bool referred = false, own = false;
  for (const auto& e : effective) {
    if (e.action == "refer") referred = true;
    if (e.action == "withhold" || (e.action == "redact" && !e.spans.empty())) own = true;
  }
  if (referred && !own) return "referred";
  return stamp == "DENIED IN FULL" ? "denied" : "part";
}

int working_days_between(const Date& from, const Date& to) {
  if (to <= from) return 0;
  int n = 0;
  for (std::int64_t d = from.days() + 1; d <= to.days(); ++d) {
    Date x = Date::from_days(d);
    int wd = x.weekday();
    if (wd != 0 && wd != 6 && !is_us_federal_holiday(x)) ++n;
  }
  return n;
}

namespace {

struct Word {
  std::size_t begin, end;
  std::string norm;
};

std::vector<Word> words_of(const std::string& s) {
  std::vector<Word> out;
  std::size_t i = 0;
  auto is_word = [](unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; };
  while (i < s.size()) {
    while (i < s.size() && !is_word(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t b = i;
    std::string n;
    while (i < s.size() && is_word(static_cast<unsigned char>(s[i]))) {
      char c = s[i];
      n += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      ++i;
    }
    if (i > b) out.push_back(Word{b, i, std::move(n)});
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

std::string mask_withheld_quotes(const std::string& text, const std::vector<std::string>& withheld_texts) {
  if (text.empty() || withheld_texts.empty()) return text;
  std::vector<Word> words = words_of(text);
  std::vector<bool> masked(words.size(), false);
  std::unordered_set<std::string> trigrams;
  std::vector<std::string> short_pieces;
  for (const auto& w : withheld_texts) {
    auto ws = words_of(w);
    if (ws.size() < 3) {
      std::string t = lower(w);
      if (t.size() >= 3) short_pieces.push_back(t);
      continue;
    }
    for (std::size_t i = 0; i + 2 < ws.size(); ++i) trigrams.insert(ws[i].norm + ' ' + ws[i + 1].norm + ' ' + ws[i + 2].norm);
  }
  for (std::size_t i = 0; i + 2 < words.size(); ++i)
    if (trigrams.count(words[i].norm + ' ' + words[i + 1].norm + ' ' + words[i + 2].norm))
      masked[i] = masked[i + 1] = masked[i + 2] = true;
  // Spans shorter than three words (a name): every case-insensitive occurrence.
  std::string low = lower(text);
  std::vector<std::pair<std::size_t, std::size_t>> cut;  // byte ranges to mask
  for (const auto& piece : short_pieces)
    for (std::size_t p = low.find(piece); p != std::string::npos; p = low.find(piece, p + 1)) cut.emplace_back(p, p + piece.size());
  for (std::size_t i = 0; i < words.size(); ++i)
    for (const auto& [b, e] : cut)
      if (words[i].begin < e && words[i].end > b) masked[i] = true;
  std::string out;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < words.size();) {
    if (!masked[i]) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < words.size() && masked[j + 1]) ++j;
    std::size_t b = words[i].begin, e = words[j].end;
    for (const auto& [cb, ce] : cut)  // a masked piece may extend over punctuation next to a word
      if (cb < e && ce > b) {
        b = std::min(b, cb);
        e = std::max(e, ce);
      }
    if (b < pos) b = pos;
    out += text.substr(pos, b - pos) + "[withheld]";
    pos = std::max(pos, e);
    i = j + 1;
  }
  out += text.substr(std::min(pos, text.size()));
  return out;
}

}  // namespace declass::report
