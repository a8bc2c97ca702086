// Tests of `declass serve` in-process: the server runs on 127.0.0.1, port 0, in a thread, and
// httplib::Client calls every endpoint — successes, authentication (none, bad, revoked), roles,
// separation of duties, illegal transitions, 413/415/403-origin, static-file traversal — and the full
// flow import → decide (b)(6) by range → submit → approve → release (test PKI) → download → verify → PNG preview.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <spdlog/sinks/ostream_sink.h>
#include <thread>
#include <unistd.h>

#include "app/api_tokens.hpp"
#include "app/release_store.hpp"
#include "app/workspace.hpp"
#include "core/date.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"
#include "server/server.hpp"
#include <httplib.h>

namespace fs = std::filesystem;
using declass::Json;
using declass::SystemClock;
using declass::server::ApiServer;
using declass::server::ServerConfig;

namespace {

std::string temp_dir() {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("declass-server-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::string shared_tools() {
  for (std::string d : {std::string(DECLASS_SOURCE_DIR) + "/../shared/tools", std::string("/work/shared/tools")})
    if (fs::exists(d + "/make_test_pki.sh")) return d;
  return "";
}

// The test PKI (generated once per run): bob's signing key and certificate, chained to ca.pem.
const std::string& pki() {
  static std::string dir;
  if (dir.empty()) {
    dir = temp_dir() + "/pki";
    std::system((shared_tools() + "/make_test_pki.sh " + dir + " >/dev/null 2>&1").c_str());
  }
  return dir;
}

std::string base64(const std::string& in) {
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    for (int s : {18, 12, 6, 0}) out += abc[(v >> s) & 63];
  }
  if (in.size() - i == 1) {
    unsigned v = (unsigned char)in[i] << 16;
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    out += "==";
  } else if (in.size() - i == 2) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    out += abc[(v >> 6) & 63];
    out += "=";
  }
  return out;
}

const std::string cable = std::string(DECLASS_SOURCE_DIR) + "/examples/state-1999-12-29-talbott-putin.txt";
const std::string policy = std::string(DECLASS_SOURCE_DIR) + "/policies/default.toml";

struct Fixture {
  std::string dir = temp_dir();
  std::string db = dir + "/declass.db";
  SystemClock clock;
  std::map<std::string, std::string> tokens;  // user → token
  std::ostringstream log_text;
  std::unique_ptr<ApiServer> server;
  std::thread thread;
  int port = 0;

  Fixture() {
    declass::app::Workspace ws(db, clock, true);
    auto& wf = ws.workflow();
    wf.add_user("root", "admin", std::nullopt, "");
    wf.add_user("alice", "reviewer", std::nullopt, "root");
    wf.add_user("dave", "auditor", std::nullopt, "root");
    wf.add_user("carol", "authority", std::nullopt, "root");
    std::string cert = fs::exists(pki() + "/signer.pem") ? declass::io::read_file(pki() + "/signer.pem", 1 << 20) : "";
    wf.add_user("bob", "authority", cert.empty() ? std::nullopt : std::optional<std::string>(cert), "root");
    for (const char* u : {"root", "alice", "dave", "carol", "bob"})
      tokens[u] = declass::app::create_api_token(ws.store(), u, "test", std::nullopt, "").token;
    ws.create_case("F-2017-13804", "Wilson Center", declass::Date{2017, 5, 1}, policy, "alice");
    fs::create_directories(dir + "/web/js");
    std::ofstream(dir + "/web/index.html") << "<!doctype html><title>declass</title>";
    std::ofstream(dir + "/web/js/app.js") << "console.log('ok');";
    std::ofstream(dir + "/secret.txt") << "outside the web root";
  }

  void start(std::size_t max_body = std::size_t{16} << 20) {
    ServerConfig c;
    c.db = db;
    c.listen_host = "127.0.0.1";
    c.port = 0;
    c.web_root = dir + "/web";
    c.trust = pki() + "/ca.pem";
    c.max_body_bytes = max_body;
    declass::server::SignerConfig s;
    s.user = "bob";
    s.signing.key = pki() + "/signer.key";
    s.signing.cert = pki() + "/signer.pem";
    c.signers.push_back(s);
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text);
    c.log = std::make_shared<spdlog::logger>("test.http", sink);
    c.log->set_level(spdlog::level::info);
    server = std::make_unique<ApiServer>(c);
    port = server->bind();
    thread = std::thread([this] { server->run(); });
    for (int i = 0; i < 200; ++i) {
      if (auto r = client().Get("/api/health"); r && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("server did not start");
  }
  ~Fixture() {
    if (server) {
      server->stop();
      thread.join();
    }
  }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(120, 0);
    return c;
  }
  httplib::Result get(const std::string& path, const std::string& user) {
    return client().Get(path.c_str(), {{"Authorization", "Bearer " + tokens[user]}});
  }
  httplib::Result post(const std::string& path, const std::string& user, const Json& body) {
    return client().Post(path.c_str(), {{"Authorization", "Bearer " + tokens[user]}}, body.dump(), "application/json");
  }
  std::string import_cable() {
    Json body{{"name", "state-cable.txt"}, {"content_base64", base64(declass::io::read_file(cable, 1 << 24))}, {"doc_no", "C06551526"}};
    auto r = post("/api/cases/F-2017-13804/documents", "alice", body);
    REQUIRE(r);
    REQUIRE(r->status == 201);
    return Json::parse(r->body)["id"].get<std::string>();
  }
};

std::string error_code(const httplib::Result& r) { return Json::parse(r->body)["error"]["code"].get<std::string>(); }

}  // namespace

TEST_CASE("the full flow over HTTP: import, decide by range, submit, approve, release, download, verify, preview", "[server][e2e]") {
  if (shared_tools().empty() || !fs::exists(pki() + "/signer.pem")) {
    WARN("test PKI unavailable (shared/tools/make_test_pki.sh): skipped");
    return;
  }
  Fixture f;
  f.start();
  std::string doc = f.import_cable();
  REQUIRE(doc == "D1");

  auto view = f.get("/api/documents/D1", "alice");
  REQUIRE(view->status == 200);
  Json v = Json::parse(view->body);
  // Decide every paragraph the policy did not simply release, then redact the name by range.
  auto acc = f.post("/api/documents/D1/accept", "alice", Json::object());
  REQUIRE(acc->status == 200);
  Json needs = Json::parse(acc->body)["needs_decision"];  // named: a range-for over a temporary's member dangles
  for (const auto& p : needs) {
    auto r = f.post("/api/documents/D1/decisions", "alice", {{"paragraph", p}, {"action", "release"}});
    REQUIRE(r->status == 200);
  }
  int para = 0;
  std::size_t at = std::string::npos;
  for (const auto& p : v["paragraphs"]) {
    std::string t = p["text"];
    if (t.find("TALBOTT MET") != std::string::npos) {
      para = p["index"];
      at = t.find("TALBOTT");
    }
  }
  REQUIRE(para > 0);
  auto dec = f.post("/api/documents/D1/decisions", "carol",
                    {{"paragraph", para}, {"action", "redact"}, {"range", {at, at + 7}}, {"exemptions", {"(b)(6)"}},
                     {"justification", "personal privacy"}});
  REQUIRE(dec->status == 200);
  Json d = Json::parse(dec->body);
  REQUIRE(d["action"] == "redact");
  REQUIRE(d["span"]["text"] == "TALBOTT");

  // Illegal transition: approve before submit → 409.
  auto early = f.post("/api/documents/D1/approve", "bob", Json::object());
  REQUIRE(early->status == 409);
  REQUIRE(error_code(early) == "conflict");

  auto sub = f.post("/api/documents/D1/submit", "alice", Json::object());
  REQUIRE(sub->status == 200);
  REQUIRE(Json::parse(sub->body)["status"] == "submitted");

  // Separation of duties: carol decided, so carol cannot approve.
  auto sod = f.post("/api/documents/D1/approve", "carol", Json::object());
  REQUIRE(sod->status == 403);
  REQUIRE_THAT(Json::parse(sod->body)["error"]["message"].get<std::string>(), Catch::Contains("separation of duties"));
  // Wrong role: a reviewer approving, an auditor deciding.
  REQUIRE(f.post("/api/documents/D1/approve", "alice", Json::object())->status == 403);
  REQUIRE(f.post("/api/documents/D1/decisions", "dave", {{"paragraph", 1}, {"action", "release"}})->status == 403);

  auto app = f.post("/api/documents/D1/approve", "bob", Json::object());
  REQUIRE(app->status == 200);
  REQUIRE(Json::parse(app->body)["status"] == "approved");

  // carol has no signer configured → 409 no_signer; bob releases.
  auto nos = f.post("/api/documents/D1/release", "carol", Json::object());
  REQUIRE(nos->status == 409);
  REQUIRE(error_code(nos) == "no_signer");
  auto rel = f.post("/api/documents/D1/release", "bob", {{"authority_title", "Senior Reviewer"}});
  INFO(rel->body);
  REQUIRE(rel->status == 200);
  Json rj = Json::parse(rel->body);
  REQUIRE(rj["download"] == "/api/documents/D1/release.pdf");
  REQUIRE(rj["pages"].get<int>() >= 1);
  REQUIRE(rj["disposition"] == "RELEASE IN PART");
  // Released is final: a second release is a conflict.
  REQUIRE(f.post("/api/documents/D1/release", "bob", Json::object())->status == 409);

  auto pdf = f.get("/api/documents/D1/release.pdf", "dave");
  REQUIRE(pdf->status == 200);
  REQUIRE(pdf->get_header_value("Content-Type") == "application/pdf");
  REQUIRE_THAT(pdf->get_header_value("Content-Disposition"), Catch::StartsWith("attachment"));
  REQUIRE(pdf->body.compare(0, 5, "%PDF-") == 0);
  REQUIRE(pdf->body.find("TALBOTT MET") == std::string::npos);

  auto ver = f.get("/api/documents/D1/verify", "alice");
  REQUIRE(ver->status == 200);
  Json vj = Json::parse(ver->body);
  INFO(ver->body);
  REQUIRE(vj["schema"] == "declass.verify/1");
  REQUIRE(vj["valid"] == true);
  REQUIRE_THAT(ver->body, Catch::Contains("matches the store's audit chain"));  // the `verify --db` check ran

  auto png = f.get("/api/documents/D1/release/pages/1.png", "alice");
  REQUIRE(png->status == 200);
  REQUIRE(png->get_header_value("Content-Type") == "image/png");
  REQUIRE(png->body.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  REQUIRE(f.get("/api/documents/D1/release/pages/999.png", "alice")->status == 404);
  REQUIRE(f.get("/api/documents/D1/release/pages/x.png", "alice")->status == 400);

  // The log names routes and users, never the withheld name or paragraph text.
  std::string log = f.log_text.str();
  REQUIRE_THAT(log, Catch::Contains("POST /api/documents/{doc}/release 200 user=bob"));
  REQUIRE(log.find("TALBOTT") == std::string::npos);
  REQUIRE(log.find("PUTIN") == std::string::npos);
  for (const auto& [u, t] : f.tokens) REQUIRE(log.find(t) == std::string::npos);
}

TEST_CASE("every read endpoint answers its success case", "[server]") {
  Fixture f;
  f.start();
  f.import_cable();
  auto health = f.client().Get("/api/health");
  REQUIRE(health->status == 200);
  REQUIRE(Json::parse(health->body)["ok"] == true);
  REQUIRE(health->get_header_value("X-Content-Type-Options") == "nosniff");
  REQUIRE_THAT(health->get_header_value("Content-Security-Policy"), Catch::Contains("frame-ancestors 'none'"));
  auto me = f.get("/api/me", "dave");
  REQUIRE(Json::parse(me->body) == Json{{"name", "dave"}, {"role", "auditor"}});
  REQUIRE(me->get_header_value("Cache-Control") == "no-store");

  auto created = f.post("/api/cases", "root", {{"id", "F-2014-20439"}, {"requester", "X"}, {"received", "2014-09-02"}, {"policy", policy}});
  REQUIRE(created->status == 201);
  REQUIRE(Json::parse(created->body)["due"] == "2014-09-30");
  REQUIRE(f.post("/api/cases", "alice", {{"id", "F-1"}, {"requester", "X"}, {"received", "2014-09-02"}, {"policy", policy}})->status == 403);
  REQUIRE(f.post("/api/cases", "root", {{"id", "F-2"}, {"requester", "X"}, {"received", "2014-13-02"}, {"policy", policy}})->status == 400);
  REQUIRE(f.post("/api/cases", "root", {{"id", "F-2014-20439"}, {"requester", "X"}, {"received", "2014-09-02"}, {"policy", policy}})->status == 409);
  auto bad_field = f.post("/api/cases", "root", {{"requester", "X"}});
  REQUIRE(bad_field->status == 400);
  REQUIRE_THAT(Json::parse(bad_field->body)["error"]["message"].get<std::string>(), Catch::Contains("'id'"));

  auto cases = f.get("/api/cases", "alice");
  Json cj = Json::parse(cases->body)["cases"];
  REQUIRE(cj.size() == 2);
  REQUIRE(cj[0]["due"] <= cj[1]["due"]);  // sorted by due date
  REQUIRE(cj[1]["documents"] == 1);

  auto show = f.get("/api/cases/F-2017-13804", "alice");
  REQUIRE(show->status == 200);
  REQUIRE(Json::parse(show->body)["documents"][0]["id"] == "D1");
  REQUIRE(f.get("/api/cases/NOPE", "alice")->status == 404);
  REQUIRE(f.get("/api/documents/D99", "alice")->status == 404);

  auto audit = f.get("/api/cases/F-2017-13804/audit", "dave");
  REQUIRE(audit->status == 200);
  REQUIRE(Json::parse(audit->body)["events"].size() >= 2);
  auto chain = f.get("/api/audit/verify", "dave");
  REQUIRE(chain->status == 200);
  REQUIRE(Json::parse(chain->body)["ok"] == true);
  REQUIRE(f.get("/api/audit/verify", "alice")->status == 403);

  auto rep = f.get("/api/reports/exemptions?format=json", "dave");
  INFO(rep->body);
  REQUIRE(rep->status == 200);
  REQUIRE(Json::parse(rep->body)["schema"] == "declass.report.exemptions/1");
  auto html = f.get("/api/reports/audit?format=html", "root");
  REQUIRE(html->status == 200);
  REQUIRE_THAT(html->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
  REQUIRE(f.get("/api/reports/exemptions", "alice")->status == 403);
  REQUIRE(f.get("/api/reports/nonsense", "dave")->status == 404);

  // Return: submit a document and send it back.
  auto acc = f.post("/api/documents/D1/accept", "alice", Json::object());
  Json needs = Json::parse(acc->body)["needs_decision"];
  for (const auto& p : needs)
    REQUIRE(f.post("/api/documents/D1/decisions", "alice", {{"paragraph", p}, {"action", "release"}})->status == 200);
  REQUIRE(f.post("/api/documents/D1/submit", "alice", Json::object())->status == 200);
  REQUIRE(f.post("/api/documents/D1/return", "bob", Json::object())->status == 400);  // comment required
  auto ret = f.post("/api/documents/D1/return", "bob", {{"comment", "check paragraph 3"}});
  REQUIRE(ret->status == 200);
  REQUIRE(Json::parse(ret->body)["status"] == "returned");
  // Not released: no download, no preview, no verify.
  REQUIRE(f.get("/api/documents/D1/release.pdf", "alice")->status == 404);
  REQUIRE(f.get("/api/documents/D1/verify", "alice")->status == 404);
  // A decision with invalid fields names the field.
  auto bad = f.post("/api/documents/D1/decisions", "alice", {{"paragraph", "two"}, {"action", "release"}});
  REQUIRE(bad->status == 400);
  REQUIRE_THAT(Json::parse(bad->body)["error"]["message"].get<std::string>(), Catch::Contains("paragraph"));
  auto nocode = f.post("/api/documents/D1/decisions", "alice", {{"paragraph", 1}, {"action", "withhold"}, {"justification", "x"}});
  REQUIRE(nocode->status == 400);
}

TEST_CASE("authentication: no token, bad token, revoked and expired tokens are 401", "[server][auth]") {
  Fixture f;
  f.start();
  REQUIRE(f.client().Get("/api/me")->status == 401);
  auto bad = f.client().Get("/api/me", {{"Authorization", "Bearer dcl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
  REQUIRE(bad->status == 401);
  REQUIRE(error_code(bad) == "unauthenticated");
  REQUIRE(f.client().Get("/api/me", {{"Authorization", "Basic abc"}})->status == 401);
  REQUIRE(f.client().Post("/api/cases", "{}", "application/json")->status == 401);
  REQUIRE(f.get("/api/me", "alice")->status == 200);
  {
    declass::app::Workspace ws(f.db, f.clock);
    auto toks = ws.store().list_api_tokens("alice");
    REQUIRE(toks.size() == 1);
    declass::app::revoke_api_token(ws.store(), "alice", toks[0].id, "");
    REQUIRE_THROWS(declass::app::revoke_api_token(ws.store(), "alice", toks[0].id, ""));  // already revoked
    // An expired token: created with 1 day, checked 2 days later.
    declass::FixedClock later(f.clock.now_unix() + 2 * 86400);
    auto t = declass::app::create_api_token(ws.store(), "dave", "short", 1, "root");
    auto store_later = declass::store::Store::open(f.db, later);
    REQUIRE_FALSE(declass::app::user_for_token(*store_later, t.token));
    REQUIRE(declass::app::user_for_token(ws.store(), t.token)->name == "dave");
    // Only the hash is stored; the audit event has no token.
    for (const auto& e : ws.store().list_events()) REQUIRE(e.payload.find(t.token) == std::string::npos);
    REQUIRE(ws.store().find_api_token_by_hash(declass::crypto::sha256_hex(t.token)));
    REQUIRE_THROWS(declass::app::create_api_token(ws.store(), "dave", "", std::nullopt, "alice"));  // not an admin
  }
  REQUIRE(f.get("/api/me", "alice")->status == 401);
}

TEST_CASE("transport rules: 415, 403 origin, 413, 404 JSON, static files without traversal", "[server][security]") {
  Fixture f;
  f.start(4096);
  auto form = f.client().Post("/api/cases", {{"Authorization", "Bearer " + f.tokens["root"]}}, "id=x", "application/x-www-form-urlencoded");
  REQUIRE(form->status == 415);
  REQUIRE(error_code(form) == "unsupported_media_type");
  auto notjson = f.client().Post("/api/cases", {{"Authorization", "Bearer " + f.tokens["root"]}}, "{nope", "application/json");
  REQUIRE(notjson->status == 400);

  auto origin = f.client().Get("/api/me", {{"Authorization", "Bearer " + f.tokens["alice"]}, {"Origin", "http://evil.example"}});
  REQUIRE(origin->status == 403);
  REQUIRE(error_code(origin) == "bad_origin");
  auto own = f.client().Get("/api/me", {{"Authorization", "Bearer " + f.tokens["alice"]},
                                        {"Origin", "http://127.0.0.1:" + std::to_string(f.port)}});
  REQUIRE(own->status == 200);

  auto big = f.post("/api/cases/F-2017-13804/documents", "alice", {{"name", "x.txt"}, {"content_base64", std::string(8000, 'A')}});
  REQUIRE(big);
  REQUIRE(big->status == 413);
  REQUIRE(error_code(big) == "too_large");
  // The connection stays usable after a refused body.
  REQUIRE(f.get("/api/me", "alice")->status == 200);

  auto none = f.get("/api/no/such/route", "alice");
  REQUIRE(none->status == 404);
  REQUIRE(error_code(none) == "not_found");

  auto index = f.client().Get("/");
  REQUIRE(index->status == 200);
  REQUIRE_THAT(index->body, Catch::Contains("<title>declass</title>"));
  auto js = f.client().Get("/web/js/app.js");
  REQUIRE(js->status == 200);
  REQUIRE_THAT(js->get_header_value("Content-Type"), Catch::StartsWith("text/javascript"));
  for (const char* evil : {"/web/../secret.txt", "/web/..%2Fsecret.txt", "/web/js/..%2F..%2Fsecret.txt", "/web/%2E%2E/secret.txt",
                           "/web//etc/passwd", "/web/js", "/web/"}) {
    auto r = f.client().Get(evil);
    INFO(evil);
    REQUIRE(r);
    REQUIRE(r->status == 404);
    REQUIRE(r->body.find("outside the web root") == std::string::npos);
  }
}

TEST_CASE("configuration is checked at start", "[server][config]") {
  Fixture f;
  ServerConfig c;
  c.db = f.db;
  c.listen_host = "0.0.0.0";
  REQUIRE_THROWS_WITH(ApiServer(c), Catch::Contains("without TLS"));
  c.listen_host = "127.0.0.1";
  declass::server::SignerConfig s;
  s.user = "carol";  // has no registered certificate
  s.signing.key = pki() + "/signer.key";
  s.signing.cert = pki() + "/signer.pem";
  c.signers = {s};
  REQUIRE_THROWS_WITH(ApiServer(c), Catch::Contains("no registered certificate"));
  c.signers = {declass::server::parse_signer("alice=p12:/x.p12:env:PASS")};
  REQUIRE(c.signers[0].signing.p12 == "/x.p12");
  REQUIRE(c.signers[0].signing.pass_spec == "env:PASS");
  REQUIRE_THROWS_WITH(ApiServer(c), Catch::Contains("only a review authority"));
  std::string host;
  int port = -1;
  declass::server::parse_listen("127.0.0.1:0", host, port);
  REQUIRE((host == "127.0.0.1" && port == 0));
  declass::server::parse_listen("[::1]:8080", host, port);
  REQUIRE((host == "::1" && port == 8080));
  REQUIRE_THROWS(declass::server::parse_listen("127.0.0.1:99999", host, port));
}
