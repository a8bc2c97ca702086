// Unit tests for the SQLite store: opening and schema checks (missing, not SQLite, foreign,
// newer schema, corrupt), transactions, and the audit chain with its canonical encoding and
// tamper detection (rows edited or deleted with the sqlite3 CLI after dropping the triggers).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/audit_chain.hpp"
#include "crypto/hash.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using declass::Error;
using declass::ErrorCategory;
using declass::FixedClock;
using namespace declass::store;

namespace {
std::string temp_db(const std::string& name) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("declass-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  return (dir / name).string();
}

int sqlite_cli(const std::string& db, const std::string& sql) {
  std::string cmd = "sqlite3 '" + db + "' \"" + sql + "\" >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

std::string error_text(const std::function<void()>& f, ErrorCategory* cat = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (cat) *cat = e.category();
    return e.what();
  }
  return "";
}

void add_events(Store& s, int n) {
  for (int i = 0; i < n; ++i)
    s.transaction([&] { s.append_event({"alice", "reviewer", "test.event", "F-1", "case:F-1", {{"i", i}}}); });
}
}  // namespace

TEST_CASE("canonical audit encoding is length-prefixed and fixed-order", "[store][audit]") {
  AuditEvent e;
  e.seq = 7;
  e.at = "2026-11-28T12:00:00Z";
  e.actor = "alice";
  e.role = "reviewer";
  e.action = "decision.record";
  e.case_id = "F-2017-13804";
  e.subject = "document:D1";
  e.payload = "{\"a\":1}";
  e.prev_hash = genesis_hash;
  std::string expected =
      "declass-audit/2\n"
      "seq=1:7\n"
      "at=20:2026-11-28T12:00:00Z\n"
      "actor=5:alice\n"
      "role=8:reviewer\n"
      "action=15:decision.record\n"
      "case=12:F-2017-13804\n"
      "subject=11:document:D1\n"
      "payload_sha256=64:" + declass::crypto::sha256_hex("{\"a\":1}") + "\n"
      "prev=64:0000000000000000000000000000000000000000000000000000000000000000\n";
  REQUIRE(canonical_event_bytes(e) == expected);
  // Moving a character between fields changes the encoding (length prefixes make it injective).
  AuditEvent f = e;
  f.actor = "alic";
  f.role = "ereviewer";
  REQUIRE(canonical_event_bytes(f) != canonical_event_bytes(e));
  REQUIRE(event_hash(f) != event_hash(e));
  REQUIRE(event_hash(e).size() == 64);
}

TEST_CASE("opening refuses missing, foreign, newer and non-SQLite files clearly", "[store][open]") {
  FixedClock clock(1'700'000'000);
  std::string db = temp_db("declass.db");
  ErrorCategory cat{};
  REQUIRE_THAT(error_text([&] { Store::open(db, clock); }, &cat), Catch::Contains("no declass store"));
  REQUIRE(cat == ErrorCategory::store);
  REQUIRE_FALSE(fs::exists(db));

  {
    auto s = Store::open(db, clock, {.create = true});
    REQUIRE(s->user_version() == schema_version);
  }
  REQUIRE_NOTHROW(Store::open(db, clock));  // reopen

  std::string text = temp_db("notes.txt");
  std::ofstream(text) << "this is a text file, not a database, but long enough to look like something............\n";
  REQUIRE_THAT(error_text([&] { Store::open(text, clock); }), Catch::Contains("not a declass store"));

  std::string foreign = temp_db("other.db");
  REQUIRE(sqlite_cli(foreign, "CREATE TABLE t(x); INSERT INTO t VALUES(1);") == 0);
  REQUIRE_THAT(error_text([&] { Store::open(foreign, clock); }), Catch::Contains("another application"));
  REQUIRE_THAT(error_text([&] { Store::open(foreign, clock, {.create = true}); }), Catch::Contains("not a declass store"));

  std::string newer = temp_db("newer.db");
  { Store::open(newer, clock, {.create = true}); }
  REQUIRE(sqlite_cli(newer, "PRAGMA user_version=99;") == 0);
  REQUIRE_THAT(error_text([&] { Store::open(newer, clock); }), Catch::Contains("newer than this declass supports"));

  std::string dir = temp_db("adir");
  fs::create_directories(dir);
  REQUIRE_THAT(error_text([&] { Store::open(dir, clock); }), Catch::Contains("is a directory"));
}

TEST_CASE("a corrupt store gives a clear error, not a crash", "[store][open]") {
  FixedClock clock(1'700'000'000);
  std::string db = temp_db("corrupt.db");
  {
    auto s = Store::open(db, clock, {.create = true});
    add_events(*s, 300);
  }  // closing the last connection checkpoints the WAL into the main file
  auto size = fs::file_size(db);
  REQUIRE(size > 8192);
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 + 100);  // inside page 2 onward, leaving the 100-byte header intact
    std::string junk(static_cast<std::size_t>(size) - 4096 - 200, '\xA5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  ErrorCategory cat{};
  std::string msg = error_text([&] {
    auto s = Store::open(db, clock);
    s->verify_chain();
    s->list_events();
  }, &cat);
  REQUIRE(cat == ErrorCategory::store);
  REQUIRE_THAT(msg, Catch::Contains("corrupt") || Catch::Contains("not a declass store"));

  // A truncated header: not a database at all.
  std::string trunc = temp_db("trunc.db");
  { std::ofstream(trunc, std::ios::binary) << std::string("SQLite format 3\0garbage", 23); }
  REQUIRE_FALSE(error_text([&] { Store::open(trunc, clock)->list_events(); }).empty());
}

TEST_CASE("transactions roll back on error and leave the chain intact", "[store][tx]") {
  FixedClock clock(1'700'000'000);
  auto s = Store::open(temp_db("tx.db"), clock, {.create = true});
  add_events(*s, 3);
  REQUIRE_THROWS(s->transaction([&] {
    s->append_event({"bob", "authority", "test.event", "", "x", {}});
    throw std::runtime_error("boom");
  }));
  REQUIRE(s->list_events().size() == 3);
  REQUIRE(s->verify_chain().ok);
  REQUIRE_THROWS_AS(s->append_event({"bob", "authority", "test.event", "", "x", {}}), Error);  // outside a transaction
  s->transaction([&] {
    UserRecord u{"alice", "reviewer", std::nullopt, std::nullopt, clock.now_iso()};
    s->insert_user(u);
  });
  REQUIRE(s->find_user("alice")->role == "reviewer");
  REQUIRE_THROWS(s->transaction([&] { s->insert_user({"eve", "superuser", {}, {}, "t"}); }));  // CHECK constraint
}

TEST_CASE("blobs are content-addressed and checked on read", "[store][blob]") {
  FixedClock clock(1'700'000'000);
  auto s = Store::open(temp_db("blob.db"), clock, {.create = true});
  std::string sha;
  s->transaction([&] { sha = s->put_blob(std::string("abc")); });
  REQUIRE(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2 "abc"
  REQUIRE(*s->get_blob(sha) == "abc");
  REQUIRE_FALSE(s->get_blob(std::string(64, '0')));
}

TEST_CASE("the audit chain verifies and its triggers refuse UPDATE and DELETE", "[store][audit]") {
  FixedClock clock(1'700'000'000);
  std::string db = temp_db("chain.db");
  {
    auto s = Store::open(db, clock, {.create = true});
    add_events(*s, 6);
    auto r = s->verify_chain();
    REQUIRE(r.ok);
    REQUIRE(r.events == 6);
    auto ev = s->list_events();
    REQUIRE(ev.front().prev_hash == genesis_hash);
    for (std::size_t i = 1; i < ev.size(); ++i) REQUIRE(ev[i].prev_hash == ev[i - 1].hash);
    REQUIRE(r.head_hash == ev.back().hash);
    REQUIRE(s->list_events("F-1").size() == 6);
    REQUIRE(s->list_events("F-2").empty());
  }
  REQUIRE(sqlite_cli(db, "UPDATE audit_events SET actor='mallory' WHERE seq=2;") != 0);
  REQUIRE(sqlite_cli(db, "DELETE FROM audit_events WHERE seq=2;") != 0);
  REQUIRE(Store::open(db, clock)->verify_chain().ok);
}

TEST_CASE("tampering with audit rows is detected at the right event", "[store][audit][tamper]") {
  FixedClock clock(1'700'000'000);
  auto fresh = [&](const std::string& name) {
    std::string db = temp_db(name);
    auto s = Store::open(db, clock, {.create = true});
    add_events(*s, 6);
    return db;
  };
  const std::string drop = "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; ";

  SECTION("edited payload") {
    std::string db = fresh("edit.db");
    REQUIRE(sqlite_cli(db, drop + "UPDATE audit_events SET payload='{\\\"i\\\":99}' WHERE seq=3;") == 0);
    auto r = Store::open(db, clock)->verify_chain();
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.broken_seq == 3);
    REQUIRE_THAT(r.problem, Catch::Contains("altered"));
  }
  SECTION("edited payload with the hash recomputed breaks the next link") {
    std::string db = fresh("rehash.db");
    REQUIRE(sqlite_cli(db, drop + "UPDATE audit_events SET hash='" + std::string(64, 'a') + "' WHERE seq=4;") == 0);
    auto r = Store::open(db, clock)->verify_chain();
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.broken_seq == 4);
  }
  SECTION("deleted middle row") {
    std::string db = fresh("delete.db");
    REQUIRE(sqlite_cli(db, drop + "DELETE FROM audit_events WHERE seq=2;") == 0);
    auto r = Store::open(db, clock)->verify_chain();
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.broken_seq == 2);
    REQUIRE_THAT(r.problem, Catch::Contains("missing"));
  }
  SECTION("deleted newest row") {
    std::string db = fresh("tail.db");
    REQUIRE(sqlite_cli(db, drop + "DELETE FROM audit_events WHERE seq=6;") == 0);
    auto r = Store::open(db, clock)->verify_chain();
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.broken_seq == 6);
  }
}

TEST_CASE("a schema 1 store migrates to schema 2 (api_tokens) and keeps its data", "[store][open][migrate]") {
  FixedClock clock(1'700'000'000);
  std::string db = temp_db("v1.db");
  {
    auto s = Store::open(db, clock, {.create = true});
    s->transaction([&] {
      s->insert_user({"alice", "reviewer", std::nullopt, std::nullopt, clock.now_iso()});
      s->append_event({"(local)", "operator", "user.add", "", "user:alice", {{"name", "alice"}}});
    });
  }
  // Turn it into exactly what migration 1 left behind.
  REQUIRE(sqlite_cli(db, "DROP INDEX api_tokens_user; DROP TABLE api_tokens; PRAGMA user_version=1;") == 0);
  {
    auto s = Store::open(db, clock);
    REQUIRE(s->user_version() == 2);
    REQUIRE(s->find_user("alice"));
    REQUIRE(s->verify_chain().ok);
    ApiTokenRecord t{0, "alice", std::string(64, 'a'), "laptop", clock.now_iso(), std::nullopt, std::nullopt};
    s->transaction([&] { t.id = s->insert_api_token(t); });
    REQUIRE(s->find_api_token_by_hash(std::string(64, 'a'))->user == "alice");
    REQUIRE(s->list_api_tokens("alice").size() == 1);
    bool revoked = false, again = true;
    s->transaction([&] {
      revoked = s->revoke_api_token(t.id, clock.now_iso());
      again = s->revoke_api_token(t.id, clock.now_iso());
    });
    REQUIRE(revoked);
    REQUIRE_FALSE(again);
    REQUIRE(s->find_api_token(t.id)->revoked_at);
    // A token must name an existing user (foreign key).
    ApiTokenRecord ghost{0, "nobody", std::string(64, 'b'), "", clock.now_iso(), std::nullopt, std::nullopt};
    REQUIRE_THROWS(s->transaction([&] { s->insert_api_token(ghost); }));
  }
}
