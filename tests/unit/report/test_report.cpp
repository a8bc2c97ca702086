// Unit tests of the compliance reports on a fixture store built through the library (store + review
// workflow): three cases, four documents from tests/data/corpus, accepted recommendations, manual
// decisions and overrides, approvals, releases, a consistency conflict planted across two cases (the same
// cable with OCR variants) and a duplicate source across cases. Expected values are worked out by hand
// from the fixture below and the source texts; HTML is parsed (tag balance, table rows), not compared.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ingest/text_reader.hpp"
#include "report/document.hpp"
#include "report/exemption_meanings.hpp"
#include "report/reports.hpp"
#include "review/workflow.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using declass::Date;
using declass::FixedClock;
using declass::Json;
using namespace declass;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_db() {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("declass-report-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return (dir / "declass.db").string();
}

std::int64_t at(int y, int m, int d, int hour = 12) { return Date{y, m, d}.days() * 86400 + hour * 3600; }

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

int find_para(const std::vector<store::ParagraphRecord>& ps, const std::string& needle) {
  for (const auto& p : ps)
    if (p.text.find(needle) != std::string::npos) return p.index;
  FAIL("paragraph not found: " << needle);
  return 0;
}

review::DocumentInput input_for(const std::string& case_id, const std::string& doc_no, const std::string& bytes, Json recommend) {
  review::DocumentInput in;
  in.case_id = case_id;
  in.doc_no = doc_no;
  in.source_name = doc_no + ".txt";
  in.source_bytes = bytes;
  ingest::Document doc = ingest::parse_text(bytes, in.source_name);
  for (const auto& p : doc.paragraphs) in.paragraphs.push_back({p.index, p.number, p.text});
  in.inspect = {{"schema", "declass.inspect/1"}};
  in.recommend = std::move(recommend);
  return in;
}

const std::string seed_path = std::string(DECLASS_TEST_DATA) + "/corpus/state-1999-12-29-talbott-putin.txt";
const std::string frus_path = std::string(DECLASS_TEST_DATA) + "/corpus/frus_frus1981-88v05_d266.txt";
const std::string span_text = "NORTH AMERICAS DIRECTOR CHIKVISHVILI";

// The fixture (dates are the FixedClock at each step):
//  case A F-2020-00001 received 2020-01-02: A1 = seed cable (D1), A2 = FRUS d266 (D2)
//    A1: alice accepts (p4 "AS THE PRESS" withheld (b)(1) 1.4(d), p5 "PUTIN AGREED" withheld (b)(1) 1.4(d),
//        span in p2 redacted (b)(6)); then overrides p5 to (b)(1) only and withholds p3 "WITH MEDIA" (b)(5)
//        against a release recommendation. bob approves 2020-01-29, releases 2020-01-30.
//    A2: alice refers p "fast-track" to CIA (no code). bob approves and releases 2020-01-31.
//  case B F-2020-00002 received 2020-02-03: B1 (D3) = the seed cable with OCR variants in p4 ("0UT", "lT",
//        a hyphenated line break) and one word changed in p5; carol withholds p1 under B3 NATSECACT1947 and
//        (b)(7)(C); everything else released by default. dave approves, releases 2020-03-16.
//  case C F-2020-00003 received 2020-03-02: C1 (D4) = FRUS d266 again (same bytes as A2); carol releases the
//        "fast-track" paragraph explicitly; bob approves 2020-03-20; not released. Reports run 2020-04-01.
struct Fixture {
  FixedClock clock{at(2020, 1, 2)};
  std::string db = temp_db();
  std::unique_ptr<store::Store> st = store::Store::open(db, clock, {.create = true});
  review::Workflow wf{*st};
  std::vector<store::ParagraphRecord> a1, b1, a2;
  int p_span = 0, p_media = 0, p_press = 0, p_agreed = 0, p_classified = 0, p_fast = 0;
  std::string seed, frus, b1_bytes;

  review::DecisionInput dec(const std::string& doc, int para, const std::string& action, std::vector<std::string> codes,
                            const std::string& why, const std::string& actor) {
    review::DecisionInput in;
    in.document = doc;
    in.paragraph = para;
    in.action = action;
    in.exemptions = std::move(codes);
    in.justification = why;
    in.actor = actor;
    return in;
  }

  Fixture() {
    seed = read(seed_path);
    frus = read(frus_path);
    wf.add_user("root", "admin", std::nullopt, "");
    wf.add_user("alice", "reviewer", std::nullopt, "root");
    wf.add_user("carol", "reviewer", std::nullopt, "root");
    wf.add_user("bob", "authority", std::nullopt, "root");
    wf.add_user("dave", "authority", std::nullopt, "root");
    wf.create_case("F-2020-00001", "Requester A", Date{2020, 1, 2}, std::nullopt, std::string("[policy]\n"), "alice");
    wf.create_case("F-2020-00002", "Requester B", Date{2020, 2, 3}, std::nullopt, std::string("[policy]\n"), "alice");
    wf.create_case("F-2020-00003", "Requester C", Date{2020, 3, 2}, std::nullopt, std::string("[policy]\n"), "alice");

    // A1: recommendations for the span, p4 and p5; the import computes the paragraphs.
    auto a1_in = input_for("F-2020-00001", "C06551526", seed, Json::object());
    a1 = a1_in.paragraphs;
    p_span = find_para(a1, span_text);
    p_media = find_para(a1, "WITH MEDIA PRESENT AND CAMERAS ROLLING");
    p_press = find_para(a1, "AS THE PRESS WAS USHERED OUT");
    p_agreed = find_para(a1, "PUTIN AGREED 1999 HAD BEEN CHALLENGING");
    p_classified = find_para(a1, "CLASSIFIED BY D ACTING SECRETARY STROBE TALBOTT");
    const std::string& t2 = a1[static_cast<std::size_t>(p_span - 1)].text;
    std::size_t sb = t2.find(span_text);
    REQUIRE(sb != std::string::npos);
    a1_in.recommend = Json{
        {"schema", "declass.recommend/1"},
        {"paragraphs",
         Json::array({Json{{"index", p_span}, {"action", "redact_span"}, {"exemptions", {"(b)(6)"}}, {"rules_fired", {"names"}},
                           {"explanation", "name of a foreign official"},
                           {"spans", Json::array({Json{{"begin", sb}, {"end", sb + span_text.size()}, {"text", span_text},
                                                       {"exemptions", {"(b)(6)"}}, {"rule", "names"}}})}},
                      Json{{"index", p_press}, {"action", "redact_paragraph"}, {"exemptions", {"(b)(1)", "1.4(d)"}},
                           {"rules_fired", {"foreign-relations"}},
                           // quotes the withheld paragraph: the Vaughn index must mask it
                           {"explanation", "foreign relations: AS THE PRESS WAS USHERED OUT"}},
                      Json{{"index", p_agreed}, {"action", "redact_paragraph"}, {"exemptions", {"(b)(1)", "1.4(d)"}},
                           {"rules_fired", {"foreign-relations"}}, {"explanation", "foreign relations"}}})}};
    clock.set(at(2020, 1, 6));
    wf.import_document(a1_in, "alice");
    clock.set(at(2020, 1, 7));
    auto acc = wf.accept("D1", "alice");
    REQUIRE(acc.recorded.size() == 3);
    REQUIRE(acc.needs_decision.empty());
    clock.set(at(2020, 1, 8));
    wf.decide(dec("D1", p_agreed, "withhold", {"(b)(1)"}, "foreign relations; 1.4(d) does not apply", "alice"));
    wf.decide(dec("D1", p_media, "withhold", {"b5"}, "deliberative: WITH MEDIA PRESENT AND CAMERAS ROLLING is pre-decisional", "alice"));
    wf.submit("D1", "alice");
    // A2: a referral only.
    auto a2_in = input_for("F-2020-00001", "FRUS-266", frus, Json::object());
    a2 = a2_in.paragraphs;
    p_fast = find_para(a2, "fast-track");
    clock.set(at(2020, 1, 9));
    wf.import_document(a2_in, "alice");
    review::DecisionInput r = dec("D2", p_fast, "refer", {}, "CIA equity", "alice");
    r.refer_to = "CIA";
    wf.decide(r);
    wf.submit("D2", "alice");
    // (D1 is released after D2 is imported: releasing a case's last document closes the case)
    clock.set(at(2020, 1, 29));
    wf.approve("D1", "bob");

    clock.set(at(2020, 1, 30));
    wf.record_release("D1", std::string(64, 'a'), "CN=Bob", "bob", std::string("a1.pdf"));
    wf.approve("D2", "bob");
    clock.set(at(2020, 1, 31));
    wf.record_release("D2", std::string(64, 'b'), "CN=Bob", "bob", std::string("a2.pdf"));

    // B1: the same cable with OCR variants in p4 and one word changed in p5, released by default.
    b1_bytes = replace_once(seed, "USHERED OUT, TALBOTT SAID HE REMEMBERED IT WELL", "USHERED 0UT, TALBOTT SAID HE REMEMBERED lT WELL");
    b1_bytes = replace_once(b1_bytes, "AN ACKNOWLEDGMENT THAT", "AN ACKNOWL-\nEDGMENT THAT");
    b1_bytes = replace_once(b1_bytes, "WERE EXTREMELY IMPORTANT", "WERE VERY IMPORTANT");
    auto b1_in = input_for("F-2020-00002", "C06551526-B", b1_bytes, Json::object());
    b1 = b1_in.paragraphs;
    REQUIRE(b1.size() == a1.size());
    clock.set(at(2020, 2, 10));
    wf.import_document(b1_in, "carol");
    wf.decide(dec("D3", p_classified, "withhold", {"B3 NATSECACT1947", "(b)(7)(C)"}, "statute", "carol"));
    wf.submit("D3", "carol");
    clock.set(at(2020, 3, 13));
    wf.approve("D3", "dave");
    clock.set(at(2020, 3, 16));
    wf.record_release("D3", std::string(64, 'c'), "CN=Dave", "dave", std::string("b1.pdf"));

    // C1: FRUS d266 again, released in full, approved only.
    auto c1_in = input_for("F-2020-00003", "FRUS-266-C", frus, Json::object());
    clock.set(at(2020, 3, 5));
    wf.import_document(c1_in, "carol");
    wf.decide(dec("D4", p_fast, "release", {}, "", "carol"));
    wf.submit("D4", "carol");
    clock.set(at(2020, 3, 20));
    wf.approve("D4", "bob");
    clock.set(at(2020, 4, 1));
  }
};

// ---- a tiny HTML reader: tag balance and table cells ----
struct Html {
  bool balanced = true;
  std::string problem;
  std::vector<std::vector<std::vector<std::string>>> tables;  // tables → body rows → cell texts
  std::vector<std::vector<std::string>> headers;
  bool has_style_print = false, has_script = false, has_external = false;
};

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    auto semi = s.find(';', i);
    std::string ent = semi == std::string::npos ? "" : s.substr(i, semi - i + 1);
    if (ent == "&amp;") out += '&';
    else if (ent == "&lt;") out += '<';
    else if (ent == "&gt;") out += '>';
    else if (ent == "&quot;") out += '"';
    else if (ent == "&#39;") out += '\'';
    else {
      out += '&';
      continue;
    }
    i = semi;
  }
  return out;
}

Html parse_html(const std::string& h) {
  Html r;
  static const std::set<std::string> void_tags{"meta", "br", "hr", "img", "link", "input"};
  std::vector<std::string> stack;
  std::string text;
  bool in_tbody = false, in_thead = false, in_cell = false;
  std::size_t i = 0;
  if (h.rfind("<!DOCTYPE html>", 0) != 0) {
    r.balanced = false;
    r.problem = "no doctype";
  }
  while (i < h.size()) {
    if (h[i] != '<') {
      if (in_cell) text += h[i];
      ++i;
      continue;
    }
    auto e = h.find('>', i);
    if (e == std::string::npos) {
      r.balanced = false;
      r.problem = "unterminated tag";
      break;
    }
    std::string tag = h.substr(i + 1, e - i - 1);
    i = e + 1;
    if (!tag.empty() && tag[0] == '!') continue;
    bool closing = !tag.empty() && tag[0] == '/';
    std::string name;
    for (std::size_t k = closing ? 1 : 0; k < tag.size() && std::isalnum(static_cast<unsigned char>(tag[k])); ++k)
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(tag[k])));
    if (name == "script") r.has_script = true;
    if (tag.find("src=") != std::string::npos || (name == "link")) r.has_external = true;
    if (void_tags.count(name)) continue;
    if (!closing) {
      stack.push_back(name);
      if (name == "table") r.tables.emplace_back();
      if (name == "tbody") in_tbody = true;
      if (name == "thead") {
        in_thead = true;
        r.headers.emplace_back();
      }
      if (name == "tr" && in_tbody && !r.tables.empty()) r.tables.back().emplace_back();
      if (name == "td" || name == "th") {
        in_cell = true;
        text.clear();
      }
      if (name == "style") {
        auto end = h.find("</style>", i);
        if (h.substr(i, end - i).find("@media print") != std::string::npos) r.has_style_print = true;
      }
    } else {
      if (stack.empty() || stack.back() != name) {
        r.balanced = false;
        r.problem = "</" + name + "> closes <" + (stack.empty() ? std::string("nothing") : stack.back()) + ">";
        break;
      }
      stack.pop_back();
      if (name == "tbody") in_tbody = false;
      if (name == "thead") in_thead = false;
      if (name == "td" && in_tbody && !r.tables.empty() && !r.tables.back().empty()) r.tables.back().back().push_back(unescape(text));
      if (name == "th" && in_thead && !r.headers.empty()) r.headers.back().push_back(unescape(text));
      if (name == "td" || name == "th") in_cell = false;
    }
  }
  if (!stack.empty() && r.balanced) {
    r.balanced = false;
    r.problem = "unclosed <" + stack.back() + ">";
  }
  return r;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("exemption meanings cover FOIA, E.O. 13526, 25X and State spellings", "[report]") {
  for (const char* c : {"(b)(1)", "(b)(2)", "(b)(3)", "(b)(4)", "(b)(5)", "(b)(6)", "(b)(7)", "(b)(7)(A)", "(b)(7)(B)", "(b)(7)(C)",
                        "(b)(7)(D)", "(b)(7)(E)", "(b)(7)(F)", "(b)(8)", "(b)(9)", "1.4(a)", "1.4(b)", "1.4(c)", "1.4(d)", "1.4(e)",
                        "1.4(f)", "1.4(g)", "1.4(h)", "25X1", "25X2", "25X3", "25X4", "25X5", "25X6", "25X7", "25X8", "25X9"})
    CHECK_FALSE(report::exemption_meaning(c).empty());
  CHECK(report::canonical_code("B6") == "(b)(6)");
  CHECK(report::exemption_meaning("B6") == report::exemption_meaning("(b)(6)"));
  CHECK(contains(report::exemption_meaning("B1"), "classified"));
  CHECK(contains(report::exemption_meaning("B7(C)"), "privacy"));
  CHECK(contains(report::exemption_meaning("1.4(D)"), "foreign relations"));
  CHECK(report::statute_of("B3 NATSECACT1947") == "NATSECACT1947");
  CHECK(contains(report::exemption_meaning("B3 NATSECACT1947"), "NATSECACT1947"));
  CHECK(report::exemption_family("(b)(7)(C)") == "(b)(7)");
  CHECK(report::exemption_family("1.4(c)") == "E.O. 13526 1.4");
  CHECK(report::exemption_family("25X1") == "25X");
}

TEST_CASE("working days skip weekends and federal holidays", "[report]") {
  // 2020-01-02 (Thu) → 2020-01-31 (Fri): Jan 3, 6-10, 13-17, 21-24 (20th is MLK Day), 27-31 = 1+5+5+4+5.
  CHECK(report::working_days_between(Date{2020, 1, 2}, Date{2020, 1, 31}) == 20);
  // 2020-02-03 (Mon) → 2020-03-16 (Mon): Feb 4-7 (4), 10-14 (5), 18-21 (4, Presidents Day), 24-28 (5),
  // Mar 2-6 (5), 9-13 (5), 16 (1).
  CHECK(report::working_days_between(Date{2020, 2, 3}, Date{2020, 3, 16}) == 29);
  CHECK(report::working_days_between(Date{2020, 3, 16}, Date{2020, 3, 16}) == 0);
  CHECK(report::working_days_between(Date{2020, 3, 16}, Date{2020, 3, 1}) == 0);
}

TEST_CASE("normalisation merges OCR variants, case, hyphenated line ends", "[report]") {
  auto a = report::normalized_words("As the press was ushered OUT, Talbott said he remembered IT well, an acknowledgment.");
  auto b = report::normalized_words("AS THE PRESS WAS USHERED 0UT, TALBOTT SAID HE REMEMBERED lT WELL, AN ACKNOWL-\nEDGMENT.");
  auto c = report::normalized_words("AS THE PRESS WAS USHERED 0UT, TALBOTT SAID HE REMEMBERED lT WELL, AN ACKNOWL- EDGMENT.");
  CHECK(a == b);
  CHECK(a == c);
  CHECK(report::normalized_words("U.S. 5OVIET") == report::normalized_words("us soviet"));
  // The text reader joins a line-end hyphen without a space ("ACKNOWL-EDGMENT"): intra-word hyphens are dropped.
  CHECK(report::normalized_words("AN ACKNOWL-EDGMENT") == report::normalized_words("an acknowledgment"));
  CHECK(report::normalized_words("cold - war").size() == 2);  // a spaced dash separates words
}

TEST_CASE("withheld quotes in justifications are masked", "[report]") {
  std::vector<std::string> withheld{"THE AMBASSADOR MET THE MINISTER OF DEFENSE IN SECRET", "Smith"};
  std::string m = report::mask_withheld_quotes("Withheld: the ambassador met the minister, per SMITH's note (b)(1).", withheld);
  CHECK_FALSE(contains(m, "ambassador met the"));
  CHECK_FALSE(contains(m, "SMITH"));
  CHECK(contains(m, "[withheld]"));
  CHECK(contains(m, "Withheld:"));
  CHECK(contains(m, "(b)(1)"));
  CHECK(report::mask_withheld_quotes("foreign relations", withheld) == "foreign relations");
}

TEST_CASE("CSV quoting and formula neutralisation", "[report]") {
  report::Table t;
  t.columns = {"a", "b"};
  t.rows = {{"x,y", "say \"hi\""}, {"=cmd()", "line\nbreak"}};
  CHECK(report::render_csv(t) == "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n'=cmd(),\"line\nbreak\"\r\n");
}

TEST_CASE("Vaughn index: one entry per withholding, grouped by document, totals, no withheld text", "[report]") {
  Fixture f;
  auto v = report::build_vaughn(*f.st, "F-2020-00001", f.clock);
  REQUIRE(v.documents.size() == 2);
  REQUIRE(v.entries.size() == 5);  // A1: span, p3, p4, p5; A2: referral
  CHECK(v.documents_with_withholdings == 2);
  const auto& d1 = v.documents[0];
  CHECK(d1.id == "D1");
  CHECK(d1.disposition == "RELEASE IN PART");
  CHECK(d1.approving_authority == "bob");
  CHECK(d1.approved_at.rfind("2020-01-29", 0) == 0);
  CHECK(d1.released_at.rfind("2020-01-30", 0) == 0);
  CHECK(d1.source_mapped);
  REQUIRE(d1.entries.size() == 4);
  std::map<int, const report::VaughnEntry*> by_para;
  for (int i : d1.entries) by_para[v.entries[static_cast<std::size_t>(i)].paragraph] = &v.entries[static_cast<std::size_t>(i)];
  // Entries are in paragraph order and numbered 1..5 across the index.
  CHECK(v.entries[0].paragraph == f.p_span);
  CHECK(v.entries[4].number == 5);

  const auto& span = *by_para.at(f.p_span);
  CHECK(span.scope == "span");
  CHECK(span.codes == std::vector<std::string>{"(b)(6)"});
  CHECK(span.withheld_chars == static_cast<std::int64_t>(span_text.size()));
  CHECK(span.pages == std::vector<int>{2});  // the span is in paragraph 2, under "PAGE 02" of the cable
  CHECK(span.source_ranges.size() == 2);     // "NORTH" ends a source line; the span wraps onto the next
  {
    std::string covered;
    for (auto [b, e] : span.source_ranges) covered += f.seed.substr(b, e - b) + "|";
    CHECK(covered == "NORTH|AMERICAS DIRECTOR CHIKVISHVILI|");
  }
  CHECK(span.reviewer == "alice");
  CHECK(span.basis == "accepted");
  CHECK(span.approving_authority == "bob");

  const auto& press = *by_para.at(f.p_press);
  CHECK(press.scope == "paragraph");
  CHECK(press.action == "withhold");
  CHECK(press.codes == std::vector<std::string>{"(b)(1)", "1.4(d)"});
  CHECK(press.pages == std::vector<int>{3});  // paragraph 4 of the cable sits between "PAGE 03" and "PAGE 04"
  CHECK(contains(press.justification, "[withheld]"));
  CHECK_FALSE(contains(press.justification, "USHERED"));
  const auto& agreed = *by_para.at(f.p_agreed);
  CHECK(agreed.codes == std::vector<std::string>{"(b)(1)"});  // the override is the decision in effect
  CHECK(agreed.basis == "manual");
  CHECK(agreed.justification == "foreign relations; 1.4(d) does not apply");
  CHECK(agreed.pages == std::vector<int>{3, 4});  // starts on PAGE 03, continues after the PAGE 04 header
  const auto& media = *by_para.at(f.p_media);
  CHECK(media.codes == std::vector<std::string>{"(b)(5)"});
  CHECK(media.justification == "deliberative: [withheld] is pre-decisional");

  const auto& d2 = v.documents[1];
  REQUIRE(d2.entries.size() == 1);
  const auto& ref = v.entries[static_cast<std::size_t>(d2.entries[0])];
  CHECK(ref.action == "refer");
  CHECK(ref.refer_to == std::optional<std::string>("CIA"));
  CHECK(ref.codes.empty());

  CHECK(v.totals.at("(b)(1)") == 2);
  CHECK(v.totals.at("1.4(d)") == 1);
  CHECK(v.totals.at("(b)(5)") == 1);
  CHECK(v.totals.at("(b)(6)") == 1);
  CHECK(v.totals.at("(referral, no code)") == 1);
  CHECK(v.totals.size() == 5);

  // No withheld text in any form of the index.
  std::vector<std::string> forms{report::to_json(v).dump(), report::render_text(report::to_doc(v)),
                                 report::render_html(report::to_doc(v)), report::render_csv(report::vaughn_table(v))};
  for (const auto& out : forms) {
    CHECK_FALSE(contains(out, "CHIKVISHVILI"));
    CHECK_FALSE(contains(out, "USHERED OUT"));
    CHECK_FALSE(contains(out, "CAMERAS ROLLING"));
    CHECK_FALSE(contains(out, "PUTIN AGREED"));
    CHECK_FALSE(contains(out, "fast-track"));
  }
  Json j = report::to_json(v);
  CHECK(j["schema"] == "declass.report.vaughn/1");
  CHECK(j["documents"][0]["entries"].size() == 4);
  CHECK(j["summary"]["entries"] == 5);

  // HTML: balanced, self-contained, printable; one body row per entry in the document tables.
  Html h = parse_html(report::render_html(report::to_doc(v)));
  INFO(h.problem);
  CHECK(h.balanced);
  CHECK(h.has_style_print);
  CHECK_FALSE(h.has_script);
  CHECK_FALSE(h.has_external);
  REQUIRE(h.tables.size() == 3);  // D1, D2, totals
  CHECK(h.tables[0].size() == 4);
  CHECK(h.tables[1].size() == 1);
  CHECK(h.tables[2].size() == 5);
  CHECK(h.headers[0][4] == "Codes");
  CHECK(h.tables[0][1][4] == "(b)(5)");            // row 2 of D1 is paragraph "WITH MEDIA" (p3)
  CHECK(h.tables[0][2][4] == "(b)(1) 1.4(d)");
  CHECK(h.tables[1][0][3].find("referred to CIA") != std::string::npos);

  CHECK_THROWS_AS(report::build_vaughn(*f.st, "F-1999-99999", f.clock), declass::Error);
}

TEST_CASE("exemption statistics: documents, dispositions, reviewers, processing time", "[report]") {
  Fixture f;
  auto s = report::build_exemption_stats(*f.st, {}, f.clock);
  CHECK(s.documents_processed == 4);
  CHECK(s.documents_pending == 0);
  CHECK(s.withholdings == 6);  // A1: 4, A2: 1 referral, B1: 1
  CHECK(s.by_disposition.at("full") == 1);      // C1
  CHECK(s.by_disposition.at("part") == 2);      // A1, B1
  CHECK(s.by_disposition.at("denied") == 0);
  CHECK(s.by_disposition.at("referred") == 1);  // A2
  CHECK(s.by_exemption_documents.at("(b)(1)") == 1);
  CHECK(s.by_exemption_withholdings.at("(b)(1)") == 2);
  CHECK(s.by_exemption_withholdings.at("1.4(d)") == 1);
  CHECK(s.by_exemption_documents.at("(b)(3) NATSECACT1947") == 1);
  CHECK(s.b3_by_statute.at("NATSECACT1947") == 1);
  CHECK(s.b7_subparts.at("(b)(7)(C)") == 1);
  CHECK(s.by_family_documents.at("(b)(7)") == 1);
  CHECK(s.by_family_documents.at("E.O. 13526 1.4") == 1);
  CHECK(s.by_reviewer.at("alice").decisions == 6);  // accept 3, override, (b)(5), referral
  CHECK(s.by_reviewer.at("alice").overrides == 3);
  CHECK(s.by_reviewer.at("alice").documents == 2);
  CHECK(s.by_reviewer.at("carol").decisions == 2);
  CHECK(s.by_reviewer.at("carol").overrides == 1);
  CHECK(s.by_authority.at("bob").approvals == 3);
  CHECK(s.by_authority.at("bob").releases == 2);
  CHECK(s.by_authority.at("dave").approvals == 1);
  CHECK(s.cases_completed == 2);
  CHECK(s.cases_pending == 1);
  CHECK(s.median_working_days == Approx(24.5));   // cases A (20) and B (29)
  CHECK(s.average_working_days == Approx(24.5));
  CHECK(s.cases_over_limit == 2);                 // B (29), and C pending 2020-03-02 → 2020-04-01 = 22
  REQUIRE(s.cases.size() == 3);
  CHECK(s.cases[2].working_days == 22);

  // Period: only January 2020 → A1 and A2 processed, case A completed.
  report::StatsOptions jan;
  jan.from = Date{2020, 1, 1};
  jan.to = Date{2020, 1, 31};
  auto sj = report::build_exemption_stats(*f.st, jan, f.clock);
  CHECK(sj.documents_processed == 2);
  CHECK(sj.cases_completed == 1);
  CHECK(sj.median_working_days == Approx(20));
  CHECK(sj.by_disposition.at("full") == 0);
  Json j = report::to_json(s);
  CHECK(j["schema"] == "declass.report.exemptions/1");
  Html h = parse_html(report::render_html(report::to_doc(s)));
  CHECK(h.balanced);
}

TEST_CASE("consistency: conflicts across cases with both decisions, withheld side by hash only", "[report]") {
  Fixture f;
  auto r = report::build_consistency(*f.st, {}, f.clock);
  // Expected conflicts (withheld side → released side):
  //  A1 span paragraph (redacted) ↔ B1 same paragraph, identical          released_vs_redacted, exact
  //  A1 "WITH MEDIA" (b)(5) ↔ B1 identical                                released_vs_withheld, exact
  //  A1 "AS THE PRESS" ↔ B1 with 0UT / lT / hyphenated line break          exact after normalisation
  //  A1 "PUTIN AGREED" ↔ B1 with EXTREMELY → VERY                           near (one word in a long paragraph)
  //  B1 "CLASSIFIED BY" withheld ↔ A1 released by default                  exact
  //  A2 "fast-track" referred ↔ C1 released explicitly                       exact
  REQUIRE(r.pairs.size() == 6);
  std::map<std::pair<std::string, int>, const report::ConsistencyPair*> by;
  for (const auto& p : r.pairs) by[{p.withheld.document_id, p.withheld.paragraph}] = &p;
  REQUIRE(by.count({"D1", f.p_span}));
  CHECK(by.at({"D1", f.p_span})->kind == "released_vs_redacted");
  const auto& press = *by.at({"D1", f.p_press});
  CHECK(press.exact);
  CHECK(press.kind == "released_vs_withheld");
  CHECK(press.released.document_id == "D3");
  CHECK(press.released.case_id == "F-2020-00002");
  CHECK(press.released.decision_id == 0);  // released by default
  CHECK(press.withheld.reviewer == "alice");
  CHECK(press.withheld.codes == std::vector<std::string>{"(b)(1)", "1.4(d)"});
  CHECK(press.withheld.decided_at.rfind("2020-01-07", 0) == 0);
  CHECK(press.released.normalized_sha256 == press.withheld.normalized_sha256);
  const auto& agreed = *by.at({"D1", f.p_agreed});
  CHECK_FALSE(agreed.exact);
  CHECK(agreed.similarity >= 0.9);
  CHECK(agreed.similarity < 1.0);
  CHECK(agreed.released.document_id == "D3");
  CHECK(agreed.withheld.codes == std::vector<std::string>{"(b)(1)"});
  const auto& cls = *by.at({"D3", f.p_classified});
  CHECK(cls.released.document_id == "D1");
  CHECK(cls.withheld.reviewer == "carol");
  const auto& fast = *by.at({"D2", f.p_fast});
  CHECK(fast.withheld.action == "refer");
  CHECK(fast.released.document_id == "D4");
  CHECK(fast.released.reviewer == "carol");
  CHECK(fast.released.decision_id != 0);

  REQUIRE(r.duplicates.size() == 1);
  CHECK(r.duplicates[0].copies.size() == 2);
  CHECK(r.duplicates[0].dispositions_differ);  // D2 RELEASE IN PART (referral), D4 RELEASE IN FULL

  Json j = report::to_json(r);
  CHECK(j["schema"] == "declass.report.consistency/1");
  for (const auto& p : j["pairs"]) {
    CHECK(p["released"].contains("text"));
    CHECK_FALSE(p["withheld"].contains("text"));
  }
  // Filter by case: only pairs with a side in case C.
  report::ConsistencyOptions oc;
  oc.case_id = "F-2020-00003";
  auto rc = report::build_consistency(*f.st, oc, f.clock);
  CHECK(rc.pairs.size() == 1);
  CHECK(rc.duplicates.size() == 1);
  Html h = parse_html(report::render_html(report::to_doc(r)));
  CHECK(h.balanced);
  REQUIRE(h.tables.size() == 2);
  CHECK(h.tables[0].size() == 6);
}

TEST_CASE("overrides: by reviewer, by rule, stable sample", "[report]") {
  Fixture f;
  auto r = report::build_overrides(*f.st, {}, f.clock);
  CHECK(r.decisions == 8);
  CHECK(r.overrides == 4);  // p5 codes narrowed, p3 withheld, referral, B1 withholding
  CHECK(r.by_reviewer.at("alice") == std::make_pair<std::int64_t, std::int64_t>(3, 6));
  CHECK(r.by_reviewer.at("carol") == std::make_pair<std::int64_t, std::int64_t>(1, 2));
  CHECK(r.by_rule.at("foreign-relations") == 1);
  CHECK(r.by_rule.at("(default)") == 3);
  const report::OverrideEntry* p5 = nullptr;
  for (const auto& e : r.entries)
    if (e.document_id == "D1" && e.paragraph == f.p_agreed) p5 = &e;
  REQUIRE(p5);
  CHECK(p5->recommended_action == "withhold");
  CHECK(p5->recommended_codes == std::vector<std::string>{"(b)(1)", "1.4(d)"});
  CHECK(p5->codes == std::vector<std::string>{"(b)(1)"});
  for (const auto& e : r.entries) CHECK_FALSE(contains(e.justification, "CAMERAS ROLLING"));
  report::OverridesOptions o;
  o.sample = 2;
  auto s1 = report::build_overrides(*f.st, o, f.clock);
  auto s2 = report::build_overrides(*f.st, o, f.clock);
  REQUIRE(s1.entries.size() == 2);
  CHECK(s1.entries[0].decision_id == s2.entries[0].decision_id);
  CHECK(s1.entries[1].decision_id == s2.entries[1].decision_id);
  CHECK(report::to_json(r)["schema"] == "declass.report.overrides/1");
}

TEST_CASE("audit report: verification result and counts per actor and action", "[report]") {
  Fixture f;
  auto r = report::build_audit_report(*f.st, f.clock);
  CHECK(r.ok);
  CHECK(r.integrity == "ok");
  std::int64_t total = 0;
  for (const auto& [k, n] : r.by_actor) total += n;
  CHECK(total == r.chain.events);
  CHECK(r.by_action.at("decision.record") == 8);
  CHECK(r.by_action.at("approval.approve") == 4);
  CHECK(r.by_action.at("release.record") == 3);
  CHECK(r.by_action.at("user.add") == 5);
  CHECK(r.by_action.at("case.create") == 3);
  // dave: approval.approve, document.transition (→approved), release.record, document.transition (→released),
  // case.close (D3 was the only document of case B)
  CHECK(r.by_actor.at("dave") == 5);
  Json j = report::to_json(r);
  CHECK(j["schema"] == "declass.report.audit/1");
  CHECK(j["verification"]["ok"] == true);
}

TEST_CASE("PDF rendering produces a PDF with the report's pages", "[report]") {
  Fixture f;
  auto v = report::build_vaughn(*f.st, "F-2020-00001", f.clock);
  std::string pdf = report::render_pdf(report::to_doc(v), f.clock.now_unix());
  CHECK(pdf.rfind("%PDF-", 0) == 0);
  CHECK(pdf.size() > 1000);
  CHECK(report::render_pdf(report::to_doc(v), f.clock.now_unix()) == pdf);  // deterministic
}
