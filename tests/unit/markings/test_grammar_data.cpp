// Data-driven grammar tests: every tests/data/markings/*.tsv line is one case
// ("input<TAB>expected", '#' comments, "\n" "\t" "\\" escapes in fields). A regression is a new
// line, not new C++. Failures name the file and line. Formats are described at the top of each file.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "markings/grammar.hpp"

using namespace declass::markings;

namespace {

struct Case {
  int line = 0;
  std::vector<std::string> fields;
};

std::string unescape(const std::string& s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[i + 1];
      if (n == 'n') { o.push_back('\n'); ++i; continue; }
      if (n == 't') { o.push_back('\t'); ++i; continue; }
      if (n == '\\') { o.push_back('\\'); ++i; continue; }
      if (n == 'x' && i + 3 < s.size()) {
        o.push_back(static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16)));
        i += 3;
        continue;
      }
    }
    o.push_back(s[i]);
  }
  return o;
}

std::vector<Case> load(const std::string& name) {
  std::ifstream in(std::string(DECLASS_TEST_DATA) + "/markings/" + name);
  REQUIRE(in.good());
  std::vector<Case> out;
  std::string l;
  int n = 0;
  while (std::getline(in, l)) {
    ++n;
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (l.empty() || l[0] == '#') continue;
    Case c;
    c.line = n;
    std::size_t b = 0;
    for (;;) {
      std::size_t t = l.find('\t', b);
      c.fields.push_back(unescape(l.substr(b, t == std::string::npos ? std::string::npos : t - b)));
      if (t == std::string::npos) break;
      b = t + 1;
    }
    out.push_back(std::move(c));
  }
  REQUIRE(!out.empty());
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string o;
  for (std::size_t i = 0; i < v.size(); ++i) o += (i ? sep : "") + v[i];
  return o;
}

const char* pos_name(PortionPosition p) {
  switch (p) {
    case PortionPosition::start: return "start";
    case PortionPosition::end: return "end";
    case PortionPosition::subject: return "subject";
    case PortionPosition::entire_text: return "entire";
  }
  return "?";
}

std::string marking_result(const std::optional<Marking>& m) {
  if (!m) return "-";
  return m->canonical() + (m->low_confidence ? " [low]" : "");
}

bool enough(const Case& c, std::size_t n) {
  if (c.fields.size() >= n) return true;
  FAIL_CHECK("too few tab-separated fields");
  return false;
}

}  // namespace

TEST_CASE("portion tokens (portion.tsv)", "[markings][data]") {
  for (const auto& c : load("portion.tsv")) {
    INFO("portion.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    CHECK(marking_result(parse_portion_token(c.fields[0])) == c.fields[1]);
  }
}

TEST_CASE("portion marks in paragraphs (find_portion.tsv)", "[markings][data]") {
  for (const auto& c : load("find_portion.tsv")) {
    INFO("find_portion.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto h = find_portion_mark(c.fields[0]);
    std::string got = "-";
    if (h) {
      REQUIRE(h->begin <= h->end);
      REQUIRE(h->end <= c.fields[0].size());
      got = h->marking.canonical() + "|" + pos_name(h->position) + "|" + c.fields[0].substr(h->begin, h->end - h->begin) +
            (h->marking.low_confidence ? "|low" : "");
    }
    CHECK(got == c.fields[1]);
  }
}

TEST_CASE("banner lines (banner.tsv)", "[markings][data]") {
  for (const auto& c : load("banner.tsv")) {
    INFO("banner.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    CHECK(marking_result(parse_banner_line(c.fields[0])) == c.fields[1]);
  }
}

TEST_CASE("class lines (class_line.tsv)", "[markings][data]") {
  for (const auto& c : load("class_line.tsv")) {
    INFO("class_line.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto cl = parse_class_line(c.fields[0]);
    std::string got = cl ? cl->marking.canonical() + "|" + cl->originator + "|" + cl->number +
                               (cl->marking.low_confidence ? "|low" : "")
                         : "-";
    CHECK(got == c.fields[1]);
  }
}

TEST_CASE("caption lines (caption.tsv)", "[markings][data]") {
  for (const auto& c : load("caption.tsv")) {
    INFO("caption.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto v = parse_caption_line(c.fields[0]);
    CHECK((v.empty() ? std::string("-") : join(v, ",")) == c.fields[1]);
  }
}

TEST_CASE("letter spacing (despace.tsv)", "[markings][data]") {
  for (const auto& c : load("despace.tsv")) {
    INFO("despace.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    CHECK(despace_letters(c.fields[0]) == c.fields[1]);
  }
}

TEST_CASE("exemption codes (exemption.tsv)", "[markings][data]") {
  for (const auto& c : load("exemption.tsv")) {
    INFO("exemption.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto e = canonical_exemption(c.fields[0]);
    CHECK((e ? *e : std::string("-")) == c.fields[1]);
    if (e && c.fields.size() >= 3) CHECK(stamp_form(*e) == c.fields[2]);
    if (e) CHECK_FALSE(exemption_meaning(*e).empty());
  }
}

TEST_CASE("exemption codes in free text (find_codes.tsv)", "[markings][data]") {
  for (const auto& c : load("find_codes.tsv")) {
    INFO("find_codes.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    std::vector<std::string> got;
    for (const auto& h : find_exemption_codes(c.fields[0])) {
      REQUIRE(h.end <= c.fields[0].size());
      got.push_back(h.code + "@" + c.fields[0].substr(h.begin, h.end - h.begin));
    }
    CHECK((got.empty() ? std::string("-") : join(got, ";")) == c.fields[1]);
  }
}

TEST_CASE("stamp code lists (stamp_list.tsv)", "[markings][data]") {
  for (const auto& c : load("stamp_list.tsv")) {
    INFO("stamp_list.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    std::vector<std::string> codes;
    std::stringstream ss(c.fields[0]);
    std::string t;
    while (std::getline(ss, t, ';')) codes.push_back(t);
    CHECK(stamp_code_list(codes) == c.fields[1]);
  }
}

TEST_CASE("reason codes (reason.tsv)", "[markings][data]") {
  for (const auto& c : load("reason.tsv")) {
    INFO("reason.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto v = parse_reason_codes(c.fields[0]);
    CHECK((v.empty() ? std::string("-") : join(v, ",")) == c.fields[1]);
  }
}

TEST_CASE("marking dates (date.tsv)", "[markings][data]") {
  for (const auto& c : load("date.tsv")) {
    INFO("date.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto d = parse_marking_date(c.fields[0]);
    CHECK((d ? d->iso() : std::string("-")) == c.fields[1]);
  }
}

// authority.tsv: text<TAB>field=value|field=value (fields: order, by, derived, reasons, decl, date).
TEST_CASE("authority blocks (authority.tsv)", "[markings][data]") {
  for (const auto& c : load("authority.tsv")) {
    INFO("authority.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    Authority a;
    parse_authority_text(c.fields[0], a);
    std::stringstream ss(c.fields[1]);
    std::string kv;
    while (std::getline(ss, kv, '|')) {
      auto eq = kv.find('=');
      REQUIRE(eq != std::string::npos);
      std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
      INFO("field " << k);
      if (k == "order") CHECK(a.order == v);
      else if (k == "by") CHECK(a.classified_by == v);
      else if (k == "derived") CHECK(a.derived_from == v);
      else if (k == "reasons") CHECK(join(a.reasons, ",") == v);
      else if (k == "decl") CHECK(a.declassify_on == v);
      else if (k == "date") CHECK((a.declassify_on_date ? a.declassify_on_date->iso() : std::string("-")) == v);
      else FAIL_CHECK("unknown field " << k);
    }
  }
}

// release_stamp.tsv: text<TAB>STATUS|code;code  or "-".
TEST_CASE("release stamps (release_stamp.tsv)", "[markings][data]") {
  for (const auto& c : load("release_stamp.tsv")) {
    INFO("release_stamp.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto s = parse_release_stamp(c.fields[0]);
    CHECK((s ? s->status + "|" + join(s->exemptions, ";") : std::string("-")) == c.fields[1]);
  }
}

TEST_CASE("review authority (review_authority.tsv)", "[markings][data]") {
  for (const auto& c : load("review_authority.tsv")) {
    INFO("review_authority.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto s = parse_review_authority(c.fields[0]);
    CHECK((s ? *s : std::string("-")) == c.fields[1]);
  }
}

// footer.tsv: text<TAB>case|doc|date  or "-".
TEST_CASE("FOIA footers (footer.tsv)", "[markings][data]") {
  for (const auto& c : load("footer.tsv")) {
    INFO("footer.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    auto f = parse_foia_footer(c.fields[0]);
    CHECK((f ? f->case_number + "|" + f->doc_number + "|" + (f->date ? f->date->iso() : std::string("-"))
             : std::string("-")) == c.fields[1]);
  }
}

// rollup.tsv: portion tokens separated by ';'<TAB>canonical banner of roll_up().
TEST_CASE("banner roll-up (rollup.tsv)", "[markings][data]") {
  for (const auto& c : load("rollup.tsv")) {
    INFO("rollup.tsv:" << c.line << "  input: " << c.fields[0]);
    if (!enough(c, 2)) continue;
    std::vector<Marking> ps;
    std::stringstream ss(c.fields[0]);
    std::string t;
    while (std::getline(ss, t, ';')) {
      auto m = parse_portion_token(t);
      INFO("token " << t);
      REQUIRE(m);
      ps.push_back(*m);
    }
    CHECK(roll_up(ps).canonical() == c.fields[1]);
  }
}
