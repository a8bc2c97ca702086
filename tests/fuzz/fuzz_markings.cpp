// libFuzzer target for the markings grammar: feeds arbitrary bytes through every token parser,
// checks offset invariants of portion/exemption hits, then validates a small document built from
// what was parsed (banner, per-line portions and codes, authority, release stamp).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "markings/grammar.hpp"
#include "markings/validate.hpp"

using namespace declass::markings;

namespace {
void require(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string_view s(input);

  (void)despace_letters(s);
  DocumentMarkings doc;
  doc.banner = parse_banner_line(s);
  if (doc.banner) (void)doc.banner->canonical();
  if (auto cl = parse_class_line(s)) (void)cl->marking.canonical();
  doc.captions = parse_caption_line(s);
  if (auto t = parse_portion_token(s)) (void)t->canonical();
  parse_authority_text(s, doc.authority);
  for (const auto& r : parse_reason_codes(s)) require(r.size() >= 6);
  if (auto d = parse_marking_date(s)) require(declass::Date::valid(d->year, d->month, d->day));
  if (auto c = canonical_exemption(s)) {
    (void)stamp_form(*c);
    (void)exemption_meaning(*c);
    // Canonical forms are fixed points.
    auto again = canonical_exemption(*c);
    require(!again || *again == *c);
  }
  doc.release = parse_release_stamp(s);
  if (doc.release) (void)stamp_code_list(doc.release->exemptions);
  if (auto ra = parse_review_authority(s)) require(!ra->empty());
  if (auto f = parse_foia_footer(s)) require(f->doc_number.size() == 9);

  // Per-line paragraphs.
  std::vector<ParagraphMarks> paras;
  std::vector<Marking> portions;
  std::size_t b = 0;
  int index = 0;
  while (b <= s.size() && index < 256) {
    std::size_t e = s.find('\n', b);
    if (e == std::string_view::npos) e = s.size();
    std::string_view line = s.substr(b, e - b);
    ParagraphMarks pm;
    pm.index = ++index;
    pm.line = index;
    if (auto h = find_portion_mark(line)) {
      require(h->begin <= h->end && h->end <= line.size());
      pm.portion = h->marking;
      portions.push_back(h->marking);
    }
    for (const auto& x : find_exemption_codes(line)) {
      require(x.begin < x.end && x.end <= line.size());
      pm.exemptions.push_back(x.code);
    }
    paras.push_back(std::move(pm));
    if (e == s.size()) break;
    b = e + 1;
  }
  Marking r = roll_up(portions);
  (void)r.canonical();
  auto findings = validate(doc, paras, declass::Date{2026, 1, 1});
  for (const auto& f : findings) require(!f.code.empty() && !f.severity.empty());
  return 0;
}
