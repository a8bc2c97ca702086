// Unit tests for the review workflow on synthetic snapshots: every illegal transition, roles,
// separation of duties, decision validation (exemptions, justification, referral agency),
// recommendation following/overriding, effective decisions, release and the audit excerpt.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <unistd.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "review/workflow.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using declass::Date;
using declass::Error;
using declass::ErrorCategory;
using declass::FixedClock;
using declass::Json;
using namespace declass::review;

namespace {
std::string temp_db() {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("declass-review-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  return (dir / "declass.db").string();
}

std::string error_of(const std::function<void()>& f, ErrorCategory* cat = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (cat) *cat = e.category();
    return e.what();
  }
  return "";
}

// Paragraph 2 text: "(C) Ambassador Smith met the minister." — "Smith" is bytes [15, 20).
DocumentInput synthetic_doc(const std::string& doc_no) {
  DocumentInput in;
  in.case_id = "F-2017-13804";
  in.doc_no = doc_no;
  in.source_name = doc_no + ".txt";
  in.source_bytes = "SECRET\n1. (U) Greetings.\n2. (C) Ambassador Smith met the minister.\n3. (S) Sources and methods.\n4. (C) Other.\n";
  in.paragraphs = {{1, "1", "(U) Greetings."},
                   {2, "2", "(C) Ambassador Smith met the minister."},
                   {3, "3", "(S) Sources and methods."},
                   {4, "4", "(C) Other."}};
  in.inspect = {{"schema", "declass.inspect/1"}};
  in.recommend = Json::parse(R"J({"schema":"declass.recommend/1","disposition":"release_in_part","paragraphs":[
    {"index":1,"number":"1","action":"release","exemptions":[],"spans":[],"rules_fired":[],"explanation":""},
    {"index":2,"number":"2","action":"redact_span","exemptions":["(b)(6)"],
     "spans":[{"begin":15,"end":20,"text":"Smith","source":"list","exemptions":["(b)(6)"],"rule":"names"}],
     "rules_fired":["names"],"explanation":"private individual"},
    {"index":3,"number":"3","action":"redact_paragraph","exemptions":["(b)(1)","1.4(c)"],"spans":[],
     "rules_fired":["sources"],"explanation":"intelligence sources"},
    {"index":4,"number":"4","action":"flag","exemptions":[],"spans":[],"rules_fired":["odd"],"explanation":"check"}]})J");
  return in;
}

struct Fixture {
  FixedClock clock{1'700'000'000};
  std::unique_ptr<declass::store::Store> store = declass::store::Store::open(temp_db(), clock, {.create = true});
  Workflow wf{*store};
  Fixture() {
    wf.add_user("root", "admin", std::nullopt, "");
    wf.add_user("alice", "reviewer", std::nullopt, "root");
    wf.add_user("bob", "authority", std::nullopt, "root");
    wf.add_user("carol", "authority", std::nullopt, "root");
    wf.add_user("dave", "auditor", std::nullopt, "root");
    wf.create_case("F-2017-13804", "J. Doe", Date{2017, 5, 1}, std::nullopt, std::string("[policy]\n"), "alice");
    wf.import_document(synthetic_doc("C001"), "alice");
  }
  DecisionInput d(int para, std::string action) {
    DecisionInput in;
    in.document = "D1";
    in.paragraph = para;
    in.action = std::move(action);
    in.actor = "alice";
    return in;
  }
  std::string status() { return wf.require_document("D1").status; }
  std::string error_submit() { return error_of([&] { wf.submit("D1", "alice"); }); }
};
}  // namespace

TEST_CASE("case due date is 20 working days after receipt", "[review][case]") {
  Fixture f;
  auto c = f.store->find_case("F-2017-13804");
  REQUIRE(c);
  // 2017-05-01 (Mon) + 20 working days, skipping weekends and Memorial Day (May 29) → May 30.
  REQUIRE(c->due == "2017-05-30");
  REQUIRE(c->policy_sha256);
  REQUIRE(f.wf.require_document("C001").id == "D1");
  REQUIRE(f.status() == "imported");
}

TEST_CASE("roles: only admins add users, auditors only read, only authorities approve", "[review][roles]") {
  Fixture f;
  REQUIRE_THAT(error_of([&] { f.wf.add_user("eve", "admin", std::nullopt, "alice"); }), Catch::Contains("cannot add users"));
  REQUIRE_THAT(error_of([&] { f.wf.add_user("eve", "king", std::nullopt, "root"); }), Catch::Contains("unknown role"));
  REQUIRE_THAT(error_of([&] { f.wf.add_user("alice", "reviewer", std::nullopt, "root"); }), Catch::Contains("already exists"));
  auto in = f.d(1, "release");
  in.actor = "dave";
  ErrorCategory cat{};
  REQUIRE_THAT(error_of([&] { f.wf.decide(in); }, &cat), Catch::Contains("role auditor cannot record decisions"));
  REQUIRE(cat == ErrorCategory::workflow);
  REQUIRE_THAT(error_of([&] { f.wf.accept("D1", "dave"); }), Catch::Contains("auditor"));
  REQUIRE_THAT(error_of([&] { f.wf.import_document(synthetic_doc("C002"), "dave"); }), Catch::Contains("auditor"));
  f.wf.accept("D1", "alice");
  f.wf.decide([&] { auto x = f.d(4, "release"); return x; }());
  REQUIRE_THAT(error_of([&] { f.wf.submit("D1", "dave"); }), Catch::Contains("auditor"));
  f.wf.submit("D1", "alice");
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "alice"); }), Catch::Contains("requires authority"));
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "dave"); }), Catch::Contains("requires authority"));
  REQUIRE_THAT(error_of([&] { f.wf.return_document("D1", "alice", "no"); }), Catch::Contains("requires authority"));
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "nobody"); }), Catch::Contains("unknown user"));
  REQUIRE(f.status() == "submitted");
}

TEST_CASE("every illegal transition is refused with a clear message", "[review][transitions]") {
  // The full table: only these pairs are legal.
  std::vector<std::pair<DocStatus, DocStatus>> legal = {
      {DocStatus::imported, DocStatus::in_review},  {DocStatus::in_review, DocStatus::submitted},
      {DocStatus::submitted, DocStatus::approved},  {DocStatus::submitted, DocStatus::returned},
      {DocStatus::returned, DocStatus::in_review},  {DocStatus::returned, DocStatus::submitted},
      {DocStatus::approved, DocStatus::released}};
  int allowed = 0;
  for (int a = 0; a < 6; ++a)
    for (int b = 0; b < 6; ++b) {
      auto from = static_cast<DocStatus>(a), to = static_cast<DocStatus>(b);
      bool expect = std::find(legal.begin(), legal.end(), std::make_pair(from, to)) != legal.end();
      CHECK(transition_allowed(from, to) == expect);
      allowed += transition_allowed(from, to);
    }
  REQUIRE(allowed == 7);

  Fixture f;
  auto sha = std::string(64, 'a');
  // imported: cannot submit, approve, return, release
  REQUIRE_THAT(error_of([&] { f.wf.submit("D1", "alice"); }), Catch::Contains("cannot submit: it is imported"));
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "bob"); }), Catch::Contains("cannot approve: it is imported"));
  REQUIRE_THAT(error_of([&] { f.wf.return_document("D1", "bob", "x"); }), Catch::Contains("cannot return: it is imported"));
  REQUIRE_THAT(error_of([&] { f.wf.record_release("D1", sha, "CN=Bob", "bob"); }), Catch::Contains("cannot release: it is imported"));
  // in_review: cannot approve, return, release
  f.wf.accept("D1", "alice");
  REQUIRE(f.status() == "in_review");
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "bob"); }), Catch::Contains("cannot approve: it is in_review"));
  REQUIRE_THAT(error_of([&] { f.wf.return_document("D1", "bob", "x"); }), Catch::Contains("cannot return: it is in_review"));
  REQUIRE_THAT(error_of([&] { f.wf.record_release("D1", sha, "CN=Bob", "bob"); }), Catch::Contains("cannot release: it is in_review"));
  f.wf.decide(f.d(4, "release"));
  f.wf.submit("D1", "alice");
  // submitted: cannot decide, accept, submit again, release
  REQUIRE_THAT(error_of([&] { f.wf.decide(f.d(1, "release")); }), Catch::Contains("it is submitted"));
  REQUIRE_THAT(error_of([&] { f.wf.accept("D1", "alice"); }), Catch::Contains("it is submitted"));
  REQUIRE_THAT(error_of([&] { f.wf.submit("D1", "alice"); }), Catch::Contains("cannot submit: it is submitted"));
  REQUIRE_THAT(error_of([&] { f.wf.record_release("D1", sha, "CN=Bob", "bob"); }), Catch::Contains("cannot release: it is submitted"));
  // returned: cannot approve, return, release; can resubmit or decide again
  f.wf.return_document("D1", "bob", "check paragraph 3");
  REQUIRE(f.status() == "returned");
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "carol"); }), Catch::Contains("cannot approve: it is returned"));
  REQUIRE_THAT(error_of([&] { f.wf.return_document("D1", "carol", "x"); }), Catch::Contains("cannot return: it is returned"));
  REQUIRE_THAT(error_of([&] { f.wf.record_release("D1", sha, "CN=Bob", "bob"); }), Catch::Contains("cannot release: it is returned"));
  f.wf.decide(f.d(1, "release"));
  REQUIRE(f.status() == "in_review");
  f.wf.submit("D1", "alice");
  f.wf.return_document("D1", "bob", "again");
  f.wf.submit("D1", "alice");  // returned → submitted directly
  f.wf.approve("D1", "carol");
  // approved: cannot decide, submit, approve, return
  REQUIRE_THAT(error_of([&] { f.wf.decide(f.d(1, "release")); }), Catch::Contains("it is approved"));
  REQUIRE_THAT(error_of([&] { f.wf.submit("D1", "alice"); }), Catch::Contains("cannot submit: it is approved"));
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "carol"); }), Catch::Contains("already approved"));
  REQUIRE_THAT(error_of([&] { f.wf.return_document("D1", "carol", "x"); }), Catch::Contains("already approved"));
  // released: nothing more
  f.wf.record_release("D1", sha, "CN=Carol", "carol", std::string("D1.pdf"));
  REQUIRE(f.status() == "released");
  REQUIRE_THAT(error_of([&] { f.wf.decide(f.d(1, "release")); }), Catch::Contains("released"));
  REQUIRE_THAT(error_of([&] { f.wf.submit("D1", "alice"); }), Catch::Contains("cannot submit: it is released"));
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "carol"); }), Catch::Contains("already released"));
  REQUIRE_THAT(error_of([&] { f.wf.return_document("D1", "carol", "x"); }), Catch::Contains("already released"));
  REQUIRE_THAT(error_of([&] { f.wf.record_release("D1", sha, "CN=Carol", "carol"); }), Catch::Contains("cannot release: it is released"));
  // The only document of the case is released: the case closes, and refuses more imports.
  REQUIRE(f.store->find_case("F-2017-13804")->status == "closed");
  REQUIRE_THAT(error_of([&] { f.wf.import_document(synthetic_doc("C009"), "alice"); }), Catch::Contains("closed"));
  REQUIRE(f.store->verify_chain().ok);
}

TEST_CASE("separation of duties: an authority who decided cannot approve", "[review][sod]") {
  Fixture f;
  f.wf.accept("D1", "alice");
  auto in = f.d(4, "withhold");
  in.actor = "bob";  // authorities may decide too
  in.exemptions = {"b1"};
  in.justification = "foreign government information";
  f.wf.decide(in);
  f.wf.submit("D1", "alice");
  ErrorCategory cat{};
  REQUIRE_THAT(error_of([&] { f.wf.approve("D1", "bob"); }, &cat), Catch::Contains("separation of duties"));
  REQUIRE(cat == ErrorCategory::workflow);
  REQUIRE(f.status() == "submitted");
  REQUIRE(f.store->list_approvals(1).empty());
  f.wf.approve("D1", "carol");
  REQUIRE(f.status() == "approved");
  auto approvals = f.store->list_approvals(1);
  REQUIRE(approvals.size() == 1);
  REQUIRE(approvals[0].authority == "carol");
}

TEST_CASE("withholding needs exemption codes and a justification; a referral names the agency", "[review][validate]") {
  Fixture f;
  auto events_before = f.store->list_events().size();
  auto w = f.d(3, "withhold");
  w.justification = "sources";
  REQUIRE_THAT(error_of([&] { f.wf.decide(w); }), Catch::Contains("at least one exemption code"));
  w.exemptions = {"b1"};
  w.justification = "   ";
  REQUIRE_THAT(error_of([&] { f.wf.decide(w); }), Catch::Contains("justification"));
  auto r = f.d(2, "redact");
  r.span_text = "Smith";
  r.justification = "privacy";
  REQUIRE_THAT(error_of([&] { f.wf.decide(r); }), Catch::Contains("at least one exemption code"));
  r.exemptions = {"(b)(99)"};
  ErrorCategory cat{};
  REQUIRE_THAT(error_of([&] { f.wf.decide(r); }, &cat), Catch::Contains("unknown exemption code"));
  REQUIRE(cat == ErrorCategory::usage);
  auto ref = f.d(3, "refer");
  REQUIRE_THAT(error_of([&] { f.wf.decide(ref); }), Catch::Contains("must name the agency"));
  auto rel = f.d(1, "release");
  rel.exemptions = {"b6"};
  REQUIRE_THAT(error_of([&] { f.wf.decide(rel); }), Catch::Contains("takes no exemption codes"));
  auto para_redact = f.d(2, "redact");
  para_redact.exemptions = {"b6"};
  para_redact.justification = "x";
  REQUIRE_THAT(error_of([&] { f.wf.decide(para_redact); }), Catch::Contains("add --span"));
  auto bad_para = f.d(9, "release");
  REQUIRE_THAT(error_of([&] { f.wf.decide(bad_para); }), Catch::Contains("has paragraphs 1..4"));
  r.exemptions = {"b6"};
  r.span_text = "Jones";
  REQUIRE_THAT(error_of([&] { f.wf.decide(r); }), Catch::Contains("not found"));
  r.span_text = "t";  // occurs several times
  REQUIRE_THAT(error_of([&] { f.wf.decide(r); }), Catch::Contains("more than once"));
  r.span_text.reset();
  r.range = {{30, 99}};
  REQUIRE_THAT(error_of([&] { f.wf.decide(r); }), Catch::Contains("outside paragraph"));
  // Nothing was written by any refused decision: no events, status unchanged.
  REQUIRE(f.store->list_events().size() == events_before);
  REQUIRE(f.status() == "imported");

  ref.refer_to = "CIA";
  auto rec = f.wf.decide(ref);
  REQUIRE(rec.refer_to == "CIA");
  w.justification = "sources and methods";
  w.exemptions = {"B1", "1.4(C)", "b1"};
  rec = f.wf.decide(w);
  REQUIRE(rec.exemptions == std::vector<std::string>{"(b)(1)", "1.4(c)"});  // canonical, de-duplicated
}

TEST_CASE("accept records recommendations as followed; decide overrides are marked", "[review][recommend]") {
  Fixture f;
  auto result = f.wf.accept("D1", "alice");
  // Paragraph 1 release → nothing to record; 2 → one span; 3 → paragraph withheld; 4 (flag) needs a person.
  REQUIRE(result.recorded.size() == 2);
  REQUIRE(result.needs_decision == std::vector<int>{4});
  const auto& span = result.recorded[0];
  REQUIRE(span.paragraph == 2);
  REQUIRE(span.span_begin == 15);
  REQUIRE(span.span_end == 20);
  REQUIRE(span.span_text == "Smith");
  REQUIRE(span.basis == "accepted");
  REQUIRE(span.follows_recommendation);
  REQUIRE(result.recorded[1].action == "withhold");
  REQUIRE(result.recorded[1].exemptions == std::vector<std::string>{"(b)(1)", "1.4(c)"});
  REQUIRE_THAT(f.error_submit(), Catch::Contains("paragraphs 4"));

  // Same span and codes by hand: follows. Different codes: overrides.
  auto same = f.d(2, "redact");
  same.range = {{15, 20}};
  same.exemptions = {"b6"};
  same.justification = "privacy";
  REQUIRE(f.wf.decide(same).follows_recommendation);
  same.exemptions = {"b6", "b7(c)"};
  REQUIRE_FALSE(f.wf.decide(same).follows_recommendation);
  auto release3 = f.d(3, "release");
  auto over = f.wf.decide(release3);
  REQUIRE_FALSE(over.follows_recommendation);
  REQUIRE(over.basis == "manual");
  auto rel1 = f.d(1, "release");
  REQUIRE(f.wf.decide(rel1).follows_recommendation);

  auto v = f.wf.view("D1");
  REQUIRE(v.source_bytes.find("Ambassador Smith") != std::string::npos);
  REQUIRE(v.effective.size() == 4);
  REQUIRE(v.effective[0].action == "release");
  REQUIRE(v.effective[1].action == "redact");
  REQUIRE(v.effective[1].spans.size() == 1);  // same range replaced, not duplicated
  REQUIRE(v.effective[1].spans[0].exemptions == std::vector<std::string>{"(b)(6)", "(b)(7)(C)"});
  REQUIRE(v.effective[2].action == "release");  // overridden
  REQUIRE(v.effective[3].action == "undecided");
}

TEST_CASE("effective decisions: paragraph decisions reset, span release removes", "[review][effective]") {
  using declass::store::DecisionRecord;
  std::vector<declass::store::ParagraphRecord> paras = {{1, "1", "abcdefghij"}, {2, "2", "klm"}};
  std::vector<ParagraphRecommendation> recs(1);
  recs[0].index = 2;
  recs[0].action = "withhold";
  DecisionRecord s1;
  s1.id = 1, s1.paragraph = 1, s1.span_begin = 0, s1.span_end = 2, s1.action = "redact", s1.exemptions = {"(b)(6)"};
  DecisionRecord s2 = s1;
  s2.id = 2, s2.span_begin = 5, s2.span_end = 7, s2.exemptions = {"(b)(3)"};
  DecisionRecord undo = s1;
  undo.id = 3, undo.action = "release", undo.exemptions = {};
  auto eff = effective_decisions(paras, recs, {s1, s2});
  REQUIRE(eff[0].action == "redact");
  REQUIRE(eff[0].spans.size() == 2);
  REQUIRE(eff[0].exemptions == std::vector<std::string>{"(b)(6)", "(b)(3)"});
  REQUIRE(eff[1].action == "undecided");
  eff = effective_decisions(paras, recs, {s1, s2, undo});
  REQUIRE(eff[0].spans.size() == 1);
  REQUIRE(eff[0].spans[0].begin == 5);
  DecisionRecord whole;
  whole.id = 4, whole.paragraph = 1, whole.action = "withhold", whole.exemptions = {"(b)(1)"};
  eff = effective_decisions(paras, recs, {s1, s2, whole});
  REQUIRE(eff[0].action == "withhold");
  REQUIRE(eff[0].spans.empty());
  REQUIRE(eff[0].decision_ids == std::vector<std::int64_t>{1, 2, 4});
  eff = effective_decisions(paras, {}, {});
  REQUIRE(eff[0].action == "release");
  REQUIRE(eff[0].implicit);
}

TEST_CASE("release and the audit excerpt", "[review][release]") {
  Fixture f;
  f.wf.accept("D1", "alice");
  auto four = f.d(4, "release");
  f.wf.decide(four);
  f.wf.submit("D1", "alice");
  f.wf.approve("D1", "bob");
  REQUIRE_THAT(error_of([&] { f.wf.record_release("D1", "XYZ", "CN=Bob", "bob"); }), Catch::Contains("64 lowercase hex"));
  REQUIRE_THAT(error_of([&] { f.wf.record_release("D1", std::string(64, 'b'), "CN=Al", "alice"); }), Catch::Contains("requires authority"));
  auto rel = f.wf.record_release("D1", std::string(64, 'b'), "CN=Bob Authority", "bob", std::string("out.pdf"));
  REQUIRE(rel.audit_hash.size() == 64);
  Json x = f.wf.audit_excerpt("D1");
  REQUIRE(x["schema"] == "declass.release-audit/1");
  REQUIRE(x["document"]["source_sha256"] == f.wf.require_document("D1").source_sha256);
  REQUIRE(x["decisions"].size() == 3);
  REQUIRE(x["approvals"].size() == 1);
  REQUIRE(x["approvals"][0]["authority"] == "bob");
  for (const auto& d : x["decisions"]) {
    auto ev = f.store->find_event(d["audit_seq"].get<std::int64_t>());
    REQUIRE(ev);
    REQUIRE(ev->hash == d["audit_hash"]);
  }
  // No document text in the excerpt: the redacted name must not appear.
  REQUIRE(x.dump().find("Smith") == std::string::npos);
  REQUIRE(x["decisions"][0].contains("justification_sha256"));
  REQUIRE(f.wf.check_excerpt(x).empty());
  Json forged = x;
  forged["decisions"][1]["audit_hash"] = std::string(64, 'e');
  auto problems = f.wf.check_excerpt(forged);
  REQUIRE(problems.size() == 1);
  REQUIRE_THAT(problems[0], Catch::Contains("has hash"));
  forged = x;
  forged["decisions"].erase(0);
  REQUIRE_THAT(f.wf.check_excerpt(forged).at(0), Catch::Contains("the store holds 3 decisions"));
  forged = x;
  forged["document"]["source_sha256"] = std::string(64, '1');
  REQUIRE_THAT(f.wf.check_excerpt(forged).at(0), Catch::Contains("source SHA-256 differs"));
  REQUIRE(f.store->verify_chain().ok);
}
