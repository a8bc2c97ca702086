// Library-level end-to-end tests of the review workflow through app::Workspace: import of real
// records (inspect + recommend with the default policy), accept/decide/submit/approve/release,
// two processes writing at once, and SIGKILL of a writer mid-transaction. The hidden [.bench]
// case measures decisions per second through the library (run by scripts/bench-store).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/hash.hpp"

namespace fs = std::filesystem;
using declass::Date;
using declass::Error;
using declass::FixedClock;
using declass::Json;
using declass::app::Workspace;

namespace {
std::string temp_db() {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("declass-wf-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  return (dir / "declass.db").string();
}
const std::string corpus = std::string(DECLASS_TEST_DATA) + "/corpus/";
const std::string policy = std::string(DECLASS_SOURCE_DIR) + "/policies/default.toml";
const Date review_date{2026, 11, 28};

void setup(Workspace& ws) {
  auto& wf = ws.workflow();
  wf.add_user("root", "admin", std::nullopt, "");
  wf.add_user("alice", "reviewer", std::nullopt, "root");
  wf.add_user("rita", "reviewer", std::nullopt, "root");
  wf.add_user("bob", "authority", std::nullopt, "root");
  wf.add_user("carol", "authority", std::nullopt, "root");
  ws.create_case("F-2014-20439", "requester", Date{2014, 9, 2}, policy, "alice");
}

declass::review::DecisionInput withhold(const std::string& doc, int para, const std::string& reason, const std::string& who) {
  declass::review::DecisionInput in;
  in.document = doc;
  in.paragraph = para;
  in.action = "withhold";
  in.exemptions = {"b1"};
  in.justification = reason;
  in.actor = who;
  return in;
}
}  // namespace

TEST_CASE("import, accept, decide, submit, approve and release a real record", "[workflow][e2e]") {
  FixedClock clock(1'764'331'200);
  std::string db = temp_db();
  Workspace ws(db, clock, true);
  setup(ws);
  auto doc = ws.import_file("F-2014-20439", corpus + "stateFOIA_F-2014-20439_C05764535_email.txt", "", "alice", review_date);
  REQUIRE(doc.id == "D1");
  REQUIRE(doc.doc_no == "stateFOIA_F-2014-20439_C05764535_email");
  REQUIRE(doc.status == "imported");
  auto& wf = ws.workflow();
  auto view = wf.view("D1");
  REQUIRE(declass::crypto::sha256_hex(view.source_bytes) == doc.source_sha256);
  REQUIRE(Json::parse(doc.inspect_json)["schema"] == "declass.inspect/1");
  Json rec = Json::parse(doc.recommend_json);
  REQUIRE(rec["schema"] == "declass.recommend/1");

  // Accept: the recommended span becomes a decision with the very text the policy quoted.
  auto accepted = wf.accept("D1", "alice");
  int spans = 0;
  for (const auto& p : rec["paragraphs"])
    if (p["action"] == "redact_span") spans += static_cast<int>(p["spans"].size());
  REQUIRE(spans >= 1);
  REQUIRE(static_cast<int>(accepted.recorded.size()) == spans);
  for (const auto& d : accepted.recorded) {
    REQUIRE(d.basis == "accepted");
    REQUIRE(d.follows_recommendation);
    bool quoted = false;
    for (const auto& p : rec["paragraphs"])
      for (const auto& s : p["spans"])
        if (p["index"] == d.paragraph && s["begin"] == *d.span_begin) quoted = s["text"] == *d.span_text;
    REQUIRE(quoted);
  }
  // Flagged paragraphs need a person; submit refuses until they are decided.
  REQUIRE_FALSE(accepted.needs_decision.empty());
  REQUIRE_THROWS_WITH(wf.submit("D1", "alice"), Catch::Contains("no decision yet"));
  for (int p : accepted.needs_decision) {
    declass::review::DecisionInput in;
    in.document = "D1";
    in.paragraph = p;
    in.action = "release";
    in.actor = "rita";
    REQUIRE_FALSE(wf.decide(in).follows_recommendation);  // a flag is not a release recommendation
  }
  wf.submit("D1", "alice");
  wf.approve("D1", "bob");
  auto out_sha = declass::crypto::sha256_hex("release pdf bytes");
  wf.record_release("D1", out_sha, "CN=Bob Authority,O=Example", "bob", std::string("D1-release.pdf"));
  REQUIRE(wf.require_document("D1").status == "released");
  Json excerpt = wf.audit_excerpt("D1");
  REQUIRE(excerpt["document"]["source_sha256"] == doc.source_sha256);
  REQUIRE(excerpt["decisions"].size() == accepted.recorded.size() + accepted.needs_decision.size());
  for (const auto& d : accepted.recorded) REQUIRE(excerpt.dump().find(*d.span_text) == std::string::npos);
  auto report = ws.store().verify_chain();
  REQUIRE(report.ok);
  Json review = ws.review_json("D1");
  REQUIRE(review["releases"][0]["output_sha256"] == out_sha);
}

TEST_CASE("paragraph withholding recommendations are accepted with their exemption codes", "[workflow][e2e]") {
  FixedClock clock(1'764'331'200);
  Workspace ws(temp_db(), clock, true);
  setup(ws);
  ws.import_file("F-2014-20439", corpus + "stateFOIA_F-2017-13804_C06698676.txt", "C06698676", "alice", review_date);
  Json rec = Json::parse(ws.workflow().require_document("C06698676").recommend_json);
  auto r = ws.workflow().accept("C06698676", "alice");
  int withheld = 0;
  for (const auto& p : rec["paragraphs"])
    if (p["action"] == "redact_paragraph") ++withheld;
  REQUIRE(withheld > 0);
  REQUIRE(static_cast<int>(r.recorded.size()) == withheld);
  for (const auto& d : r.recorded) {
    REQUIRE(d.action == "withhold");
    REQUIRE_FALSE(d.exemptions.empty());
  }
  ws.workflow().submit("C06698676", "alice");
  REQUIRE(ws.store().verify_chain().ok);
}

TEST_CASE("two processes deciding at once: all succeed or get a clear busy error", "[workflow][concurrency]") {
  FixedClock clock(1'764'331'200);
  std::string db = temp_db();
  {
    Workspace ws(db, clock, true);
    setup(ws);
    ws.import_file("F-2014-20439", corpus + "state-1999-12-29-talbott-putin.txt", "A", "alice", review_date);
  }
  const int per_child = 60;
  int pipes[2];
  REQUIRE(::pipe(pipes) == 0);
  std::vector<pid_t> kids;
  for (const char* who : {"alice", "rita"}) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(pipes[0]);
      int ok = 0, busy = 0, other = 0;
      try {
        FixedClock c(1'764'331'200);
        Workspace ws(db, c);
        for (int i = 0; i < per_child; ++i) {
          try {
            ws.workflow().decide(withhold("D1", 1 + i % 5, std::string(who) + "-" + std::to_string(i), who));
            ++ok;
          } catch (const Error& e) {
            (std::string(e.what()).find("database is busy") != std::string::npos ? busy : other)++;
          }
        }
      } catch (...) {
        other++;
      }
      char line[64];
      int n = std::snprintf(line, sizeof line, "%d %d %d\n", ok, busy, other);
      if (::write(pipes[1], line, static_cast<std::size_t>(n)) != n) ::_exit(3);
      ::_exit(0);
    }
    kids.push_back(pid);
  }
  ::close(pipes[1]);
  for (pid_t k : kids) {
    int status = 0;
    ::waitpid(k, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  std::string all;
  char buf[256];
  ssize_t n;
  while ((n = ::read(pipes[0], buf, sizeof buf)) > 0) all.append(buf, static_cast<std::size_t>(n));
  ::close(pipes[0]);
  int ok_total = 0, other_total = 0;
  for (int k = 0, ok = 0, busy = 0, other = 0; k < 2; ++k) {
    REQUIRE(std::sscanf(all.c_str() + (k == 0 ? 0 : all.find('\n') + 1), "%d %d %d", &ok, &busy, &other) == 3);
    ok_total += ok;
    other_total += other;
  }
  REQUIRE(other_total == 0);
  Workspace ws(db, clock);
  REQUIRE(ws.store().count_decisions() == ok_total);
  REQUIRE(ws.store().verify_chain().ok);
}

TEST_CASE("SIGKILL of a writer mid-transaction keeps every committed decision and a valid chain", "[workflow][crash]") {
  FixedClock clock(1'764'331'200);
  std::string db = temp_db();
  {
    Workspace ws(db, clock, true);
    setup(ws);
    ws.import_file("F-2014-20439", corpus + "state-1999-12-29-talbott-putin.txt", "A", "alice", review_date);
  }
  std::mt19937 rng(42);
  std::set<std::string> committed;
  for (int round = 0; round < 15; ++round) {
    int pipes[2];
    REQUIRE(::pipe(pipes) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(pipes[0]);
      FixedClock c(1'764'331'200);
      Workspace ws(db, c);
      for (int i = 0;; ++i) {
        std::string tag = "r" + std::to_string(round) + "-" + std::to_string(i);
        ws.workflow().decide(withhold("D1", 1 + i % 7, tag, "alice"));
        tag += "\n";
        if (::write(pipes[1], tag.data(), tag.size()) < 0) ::_exit(3);  // reported only after COMMIT
      }
    }
    ::close(pipes[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 120));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    std::string all;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(pipes[0], buf, sizeof buf)) > 0) all.append(buf, static_cast<std::size_t>(n));
    ::close(pipes[0]);
    std::size_t pos = 0, nl;
    while ((nl = all.find('\n', pos)) != std::string::npos) {
      committed.insert(all.substr(pos, nl - pos));
      pos = nl + 1;
    }
  }
  Workspace ws(db, clock);
  auto report = ws.store().verify_chain();
  REQUIRE(report.ok);
  std::set<std::string> present;
  for (const auto& d : ws.store().list_decisions(1)) present.insert(d.justification);
  REQUIRE(committed.size() > 15);
  for (const auto& tag : committed) REQUIRE(present.count(tag) == 1);
  REQUIRE(ws.store().quick_check() == "ok");
}

TEST_CASE("decisions per second through the library API", "[.bench]") {
  declass::SystemClock clock;
  Workspace ws(temp_db(), clock, true);
  setup(ws);
  ws.import_file("F-2014-20439", corpus + "state-1999-12-29-talbott-putin.txt", "A", "alice", review_date);
  const int n = 500;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) ws.workflow().decide(withhold("D1", 1 + i % 20, "bench " + std::to_string(i), "alice"));
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("library API: %d decisions in %.3f s = %.0f decisions/s (one BEGIN IMMEDIATE transaction each, synchronous=FULL)\n",
              n, s, n / s);
  REQUIRE(ws.store().verify_chain().ok);
}
