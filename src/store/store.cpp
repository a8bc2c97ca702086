// The declass store (see store.hpp): opening with schema checks, numbered migrations,
// repositories and the audit chain. The only place that runs SQL.
#include "store/store.hpp"

#include <filesystem>
#include <map>
#include <set>

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "store/audit_chain.hpp"
#include "store/decision_rows.hpp"
#include "store/sqlite_db.hpp"

namespace declass::store {

using detail::Connection;
using detail::Statement;

namespace {

// Numbered migrations: migrations[i] brings user_version i to i+1. Never edit a released one.
const char* const migrations[] = {
    // 1: initial schema
    R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users(
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK(role IN ('reviewer','authority','auditor','admin')),
  certificate_pem TEXT,
  certificate_sha256 TEXT,
  created_at TEXT NOT NULL);
CREATE TABLE blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BLOB NOT NULL);
CREATE TABLE cases(
  id TEXT PRIMARY KEY,
  requester TEXT NOT NULL,
  received TEXT NOT NULL,
  due TEXT NOT NULL,
  policy_path TEXT,
  policy_sha256 TEXT REFERENCES blobs(sha256),
  status TEXT NOT NULL CHECK(status IN ('open','closed')),
  created_at TEXT NOT NULL);
CREATE TABLE documents(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  case_id TEXT NOT NULL REFERENCES cases(id),
  doc_no TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  status TEXT NOT NULL CHECK(status IN ('imported','in_review','submitted','approved','returned','released')),
  inspect_json TEXT NOT NULL,
  recommend_json TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE(case_id, doc_no));
CREATE TABLE paragraphs(
  document_seq INTEGER NOT NULL REFERENCES documents(seq),
  idx INTEGER NOT NULL,
  number TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY(document_seq, idx));
CREATE TABLE audit_events(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  case_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE);
CREATE INDEX audit_events_case ON audit_events(case_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TABLE decisions(
  id INTEGER PRIMARY KEY,
  document_seq INTEGER NOT NULL REFERENCES documents(seq),
  paragraph INTEGER NOT NULL,
  span_begin INTEGER,
  span_end INTEGER,
  span_text TEXT,
  action TEXT NOT NULL CHECK(action IN ('release','redact','withhold','refer')),
  exemptions TEXT NOT NULL,
  justification TEXT NOT NULL,
  refer_to TEXT,
  reviewer TEXT NOT NULL REFERENCES users(name),
  decided_at TEXT NOT NULL,
  basis TEXT NOT NULL CHECK(basis IN ('manual','accepted')),
  follows_recommendation INTEGER NOT NULL,
  audit_seq INTEGER NOT NULL UNIQUE REFERENCES audit_events(seq));
CREATE INDEX decisions_document ON decisions(document_seq);
CREATE TABLE approvals(
  id INTEGER PRIMARY KEY,
  document_seq INTEGER NOT NULL REFERENCES documents(seq),
  authority TEXT NOT NULL REFERENCES users(name),
  outcome TEXT NOT NULL CHECK(outcome IN ('approve','return')),
  comment TEXT,
  decided_at TEXT NOT NULL,
  audit_seq INTEGER NOT NULL UNIQUE REFERENCES audit_events(seq));
CREATE TABLE releases(
  id INTEGER PRIMARY KEY,
  document_seq INTEGER NOT NULL REFERENCES documents(seq),
  output_sha256 TEXT NOT NULL,
  signer TEXT NOT NULL,
  released_by TEXT NOT NULL,
  output_name TEXT,
  released_at TEXT NOT NULL,
  audit_seq INTEGER NOT NULL UNIQUE REFERENCES audit_events(seq));
INSERT INTO meta(key, value) VALUES ('audit_head_seq', '0'), ('audit_head_hash', '0000000000000000000000000000000000000000000000000000000000000000');
)SQL",
    // 2: API tokens for `declass serve` (only the SHA-256 of a token is kept)
    R"SQL(
CREATE TABLE api_tokens(
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users(name),
  token_sha256 TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT);
CREATE INDEX api_tokens_user ON api_tokens(user);
)SQL",
};
constexpr int migration_count = static_cast<int>(sizeof(migrations) / sizeof(migrations[0]));
static_assert(migration_count == schema_version);

Error store_error(const std::string& where, const std::string& msg) { return Error(ErrorCategory::store, where, msg); }

std::int64_t pragma_int(Connection& c, const char* pragma) {
  Statement s(c, std::string("PRAGMA ") + pragma);
  return s.step() ? s.integer(0) : 0;
}

std::string exemptions_to_json(const std::vector<std::string>& v) { return Json(v).dump(); }
std::vector<std::string> exemptions_from_json(const std::string& s) {
  std::vector<std::string> out;
  Json j = Json::parse(s, nullptr, false);
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

}  // namespace

struct Store::Impl {
  std::unique_ptr<Connection> conn;
};

Store::Store(std::unique_ptr<Impl> impl, const Clock& clock) : m_impl(std::move(impl)), m_clock(clock) {}
Store::~Store() = default;

const std::string& Store::path() const { return m_impl->conn->path(); }

std::unique_ptr<Store> Store::open(const std::string& path, const Clock& clock, OpenOptions options) {
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (!exists && !options.create)
    throw store_error(path, "no declass store here; create one with 'declass init --db " + path +
                                "' or point --db / DECLASS_DB at an existing store");
  if (exists && std::filesystem::is_directory(path, ec))
    throw store_error(path, "is a directory, not a declass store; give a file path with --db");

  auto impl = std::make_unique<Impl>();
  impl->conn = std::make_unique<Connection>(path, options.create);
  Connection& c = *impl->conn;
  c.set_busy_timeout(options.busy_timeout_ms);

  std::int64_t app_id = pragma_int(c, "application_id");  // NOTADB surfaces here
  std::int64_t version = pragma_int(c, "user_version");
  std::int64_t tables = 0;
  {
    Statement s(c, "SELECT count(*) FROM sqlite_master");
    if (s.step()) tables = s.integer(0);
  }
  if (app_id != application_id) {
    if (app_id != 0 || version != 0 || tables != 0)
      throw store_error(path, "not a declass store (a SQLite database of another application); "
                              "check --db / DECLASS_DB, or create a new store with 'declass init --db NEWFILE'");
    if (!options.create)
      throw store_error(path, "empty database, not initialised; run 'declass init --db " + path + "'");
  }
  if (version > schema_version)
    throw store_error(path, "store schema version " + std::to_string(version) + " is newer than this declass supports (" +
                                std::to_string(schema_version) + "); upgrade declass to use it");

  c.exec("PRAGMA foreign_keys=ON");
  if (version < schema_version) {
    // WAL is persistent in the file; it cannot be switched inside a transaction.
    Statement wal(c, "PRAGMA journal_mode=WAL");
    if (!wal.step() || wal.text(0) != "wal") throw store_error(path, "cannot switch the store to WAL journal mode");
  }
  c.exec("PRAGMA synchronous=FULL");

  auto store = std::unique_ptr<Store>(new Store(std::move(impl), clock));
  if (version < schema_version) {
    store->transaction([&] {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      std::int64_t v = pragma_int(c, "user_version");
      for (std::int64_t i = v; i < schema_version; ++i) {
        c.exec(migrations[i]);
        c.exec("PRAGMA user_version=" + std::to_string(i + 1));
      }
      c.exec("PRAGMA application_id=" + std::to_string(application_id));
    });
  }
  return store;
}

int Store::user_version() { return static_cast<int>(pragma_int(*m_impl->conn, "user_version")); }

void Store::require_tx(const char* what) const {
  if (!m_in_tx) throw Error(ErrorCategory::internal, what, "store write outside a transaction");
}

void Store::transaction(const std::function<void()>& body) {
  if (m_in_tx) throw Error(ErrorCategory::internal, "store", "nested transaction");
  Connection& c = *m_impl->conn;
  c.exec("BEGIN IMMEDIATE");
  m_in_tx = true;
  try {
    body();
    c.exec("COMMIT");
    m_in_tx = false;
  } catch (...) {
    m_in_tx = false;
    try {
      c.exec("ROLLBACK");
    } catch (...) {
      // the transaction may already be rolled back by SQLite; the original error matters
    }
    throw;
  }
}

// ---- users ----

void Store::insert_user(const UserRecord& u) {
  require_tx("insert_user");
  Statement s(*m_impl->conn,
              "INSERT INTO users(name, role, certificate_pem, certificate_sha256, created_at) VALUES (?,?,?,?,?)");
  s.bind(1, u.name).bind(2, u.role).bind_opt(3, u.certificate_pem).bind_opt(4, u.certificate_sha256).bind(5, u.created_at);
  s.run();
}

static UserRecord read_user(const Statement& s) {
  return UserRecord{s.text(0), s.text(1), s.opt_text(2), s.opt_text(3), s.text(4)};
}

std::optional<UserRecord> Store::find_user(const std::string& name) {
  Statement s(*m_impl->conn, "SELECT name, role, certificate_pem, certificate_sha256, created_at FROM users WHERE name=?");
  s.bind(1, name);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::vector<UserRecord> Store::list_users() {
  Statement s(*m_impl->conn, "SELECT name, role, certificate_pem, certificate_sha256, created_at FROM users ORDER BY name");
  std::vector<UserRecord> out;
  while (s.step()) out.push_back(read_user(s));
  return out;
}

// ---- API tokens ----

std::int64_t Store::insert_api_token(const ApiTokenRecord& t) {
  require_tx("insert_api_token");
  Statement s(*m_impl->conn,
              "INSERT INTO api_tokens(user, token_sha256, label, created_at, expires_at, revoked_at) VALUES (?,?,?,?,?,?)");
  s.bind(1, t.user).bind(2, t.token_sha256).bind(3, t.label).bind(4, t.created_at).bind_opt(5, t.expires_at);
  s.bind_opt(6, t.revoked_at);
  s.run();
  return m_impl->conn->last_insert_rowid();
}

static const char* token_cols = "SELECT id, user, token_sha256, label, created_at, expires_at, revoked_at FROM api_tokens";

static ApiTokenRecord read_token(const Statement& s) {
  return ApiTokenRecord{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.opt_text(5), s.opt_text(6)};
}

std::optional<ApiTokenRecord> Store::find_api_token_by_hash(const std::string& token_sha256) {
  Statement s(*m_impl->conn, std::string(token_cols) + " WHERE token_sha256=?");
  s.bind(1, token_sha256);
  if (!s.step()) return std::nullopt;
  return read_token(s);
}

std::optional<ApiTokenRecord> Store::find_api_token(std::int64_t id) {
  Statement s(*m_impl->conn, std::string(token_cols) + " WHERE id=?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_token(s);
}

std::vector<ApiTokenRecord> Store::list_api_tokens(const std::string& user) {
  std::vector<ApiTokenRecord> out;
  if (user.empty()) {
    Statement s(*m_impl->conn, std::string(token_cols) + " ORDER BY id");
    while (s.step()) out.push_back(read_token(s));
  } else {
    Statement s(*m_impl->conn, std::string(token_cols) + " WHERE user=? ORDER BY id");
    s.bind(1, user);
    while (s.step()) out.push_back(read_token(s));
  }
  return out;
}

bool Store::revoke_api_token(std::int64_t id, const std::string& revoked_at) {
  require_tx("revoke_api_token");
  auto t = find_api_token(id);
  if (!t || t->revoked_at) return false;
  Statement s(*m_impl->conn, "UPDATE api_tokens SET revoked_at=? WHERE id=? AND revoked_at IS NULL");
  s.bind(1, revoked_at).bind(2, id);
  s.run();
  return true;
}

// ---- blobs ----

std::string Store::put_blob(const std::string& bytes) {
  require_tx("put_blob");
  std::string sha = crypto::sha256_hex(bytes);
  Statement s(*m_impl->conn, "INSERT OR IGNORE INTO blobs(sha256, size, bytes) VALUES (?,?,?)");
  s.bind(1, sha).bind(2, static_cast<std::int64_t>(bytes.size())).bind_blob(3, bytes);
  s.run();
  return sha;
}

std::optional<std::string> Store::get_blob(const std::string& sha256) {
  Statement s(*m_impl->conn, "SELECT bytes FROM blobs WHERE sha256=?");
  s.bind(1, sha256);
  if (!s.step()) return std::nullopt;
  std::string bytes = s.blob(0);
  if (crypto::sha256_hex(bytes) != sha256)
    throw store_error(path(), "stored bytes of blob " + sha256.substr(0, 12) + " no longer match their SHA-256; the store was altered");
  return bytes;
}

// ---- cases ----

void Store::insert_case(const CaseRecord& c) {
  require_tx("insert_case");
  Statement s(*m_impl->conn,
              "INSERT INTO cases(id, requester, received, due, policy_path, policy_sha256, status, created_at) "
              "VALUES (?,?,?,?,?,?,?,?)");
  s.bind(1, c.id).bind(2, c.requester).bind(3, c.received).bind(4, c.due).bind_opt(5, c.policy_path);
  s.bind_opt(6, c.policy_sha256).bind(7, c.status).bind(8, c.created_at);
  s.run();
}

static const char* case_cols = "SELECT id, requester, received, due, policy_path, policy_sha256, status, created_at FROM cases";

static CaseRecord read_case(const Statement& s) {
  return CaseRecord{s.text(0), s.text(1), s.text(2), s.text(3), s.opt_text(4), s.opt_text(5), s.text(6), s.text(7)};
}

std::optional<CaseRecord> Store::find_case(const std::string& id) {
  Statement s(*m_impl->conn, std::string(case_cols) + " WHERE id=?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_case(s);
}

std::vector<CaseRecord> Store::list_cases() {
  Statement s(*m_impl->conn, std::string(case_cols) + " ORDER BY id");
  std::vector<CaseRecord> out;
  while (s.step()) out.push_back(read_case(s));
  return out;
}

void Store::update_case_status(const std::string& id, const std::string& status) {
  require_tx("update_case_status");
  Statement s(*m_impl->conn, "UPDATE cases SET status=? WHERE id=?");
  s.bind(1, status).bind(2, id);
  s.run();
}

// ---- documents ----

static const char* doc_cols =
    "SELECT d.seq, d.id, d.case_id, d.doc_no, d.source_name, d.source_sha256, b.size, d.status, d.inspect_json, "
    "d.recommend_json, d.imported_at, d.imported_by FROM documents d JOIN blobs b ON b.sha256 = d.source_sha256";

static DocumentRecord read_doc(const Statement& s) {
  DocumentRecord d;
  d.seq = s.integer(0);
  d.id = s.text(1);
  d.case_id = s.text(2);
  d.doc_no = s.text(3);
  d.source_name = s.text(4);
  d.source_sha256 = s.text(5);
  d.source_size = s.integer(6);
  d.status = s.text(7);
  d.inspect_json = s.text(8);
  d.recommend_json = s.text(9);
  d.imported_at = s.text(10);
  d.imported_by = s.text(11);
  return d;
}

DocumentRecord Store::insert_document(DocumentRecord d, const std::vector<ParagraphRecord>& paragraphs) {
  require_tx("insert_document");
  Connection& c = *m_impl->conn;
  std::int64_t seq = 1;
  {
    Statement s(c, "SELECT coalesce(max(seq), 0) + 1 FROM documents");
    if (s.step()) seq = s.integer(0);
  }
  d.seq = seq;
  d.id = "D" + std::to_string(seq);
  Statement s(c,
              "INSERT INTO documents(seq, id, case_id, doc_no, source_name, source_sha256, status, inspect_json, "
              "recommend_json, imported_at, imported_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, d.seq).bind(2, d.id).bind(3, d.case_id).bind(4, d.doc_no).bind(5, d.source_name).bind(6, d.source_sha256);
  s.bind(7, d.status).bind(8, d.inspect_json).bind(9, d.recommend_json).bind(10, d.imported_at).bind(11, d.imported_by);
  s.run();
  Statement p(c, "INSERT INTO paragraphs(document_seq, idx, number, text) VALUES (?,?,?,?)");
  for (const auto& para : paragraphs) {
    p.reset();
    p.bind(1, d.seq).bind(2, static_cast<std::int64_t>(para.index)).bind(3, para.number).bind(4, para.text);
    p.run();
  }
  return d;
}

std::optional<DocumentRecord> Store::find_document(const std::string& key) {
  {
    Statement s(*m_impl->conn, std::string(doc_cols) + " WHERE d.id=?");
    s.bind(1, key);
    if (s.step()) return read_doc(s);
  }
  Statement s(*m_impl->conn, std::string(doc_cols) + " WHERE d.doc_no=? ORDER BY d.seq");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  DocumentRecord first = read_doc(s);
  if (s.step())
    throw Error(ErrorCategory::usage, key,
                "document number is used in several cases; name the document by its id (e.g. " + first.id + ")");
  return first;
}

std::optional<DocumentRecord> Store::find_document_seq(std::int64_t seq) {
  Statement s(*m_impl->conn, std::string(doc_cols) + " WHERE d.seq=?");
  s.bind(1, seq);
  if (!s.step()) return std::nullopt;
  return read_doc(s);
}

std::vector<DocumentRecord> Store::list_documents(const std::string& case_id) {
  Statement s(*m_impl->conn, std::string(doc_cols) + " WHERE d.case_id=? ORDER BY d.seq");
  s.bind(1, case_id);
  std::vector<DocumentRecord> out;
  while (s.step()) out.push_back(read_doc(s));
  return out;
}

void Store::update_document_status(std::int64_t seq, const std::string& status) {
  require_tx("update_document_status");
  Statement s(*m_impl->conn, "UPDATE documents SET status=? WHERE seq=?");
  s.bind(1, status).bind(2, seq);
  s.run();
}

std::vector<ParagraphRecord> Store::list_paragraphs(std::int64_t document_seq) {
  Statement s(*m_impl->conn, "SELECT idx, number, text FROM paragraphs WHERE document_seq=? ORDER BY idx");
  s.bind(1, document_seq);
  std::vector<ParagraphRecord> out;
  while (s.step()) out.push_back(ParagraphRecord{static_cast<int>(s.integer(0)), s.text(1), s.text(2)});
  return out;
}

// ---- decisions, approvals, releases ----

std::int64_t Store::insert_decision(const DecisionRecord& d) {
  require_tx("insert_decision");
  Statement s(*m_impl->conn,
              "INSERT INTO decisions(document_seq, paragraph, span_begin, span_end, span_text, action, exemptions, "
              "justification, refer_to, reviewer, decided_at, basis, follows_recommendation, audit_seq) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, d.document_seq).bind(2, static_cast<std::int64_t>(d.paragraph)).bind_opt(3, d.span_begin);
  s.bind_opt(4, d.span_end).bind_opt(5, d.span_text).bind(6, d.action).bind(7, exemptions_to_json(d.exemptions));
  s.bind(8, d.justification).bind_opt(9, d.refer_to).bind(10, d.reviewer).bind(11, d.decided_at).bind(12, d.basis);
  s.bind(13, static_cast<std::int64_t>(d.follows_recommendation ? 1 : 0)).bind(14, d.audit_seq);
  s.run();
  return m_impl->conn->last_insert_rowid();
}

const char* const decision_cols =
    "SELECT x.id, x.document_seq, x.paragraph, x.span_begin, x.span_end, x.span_text, x.action, x.exemptions, "
    "x.justification, x.refer_to, x.reviewer, x.decided_at, x.basis, x.follows_recommendation, x.audit_seq, "
    "coalesce(e.hash, '') FROM decisions x LEFT JOIN audit_events e ON e.seq = x.audit_seq";

DecisionRecord read_decision(const Statement& s) {
  DecisionRecord d;
  d.id = s.integer(0);
  d.document_seq = s.integer(1);
  d.paragraph = static_cast<int>(s.integer(2));
  d.span_begin = s.opt_integer(3);
  d.span_end = s.opt_integer(4);
  d.span_text = s.opt_text(5);
  d.action = s.text(6);
  d.exemptions = exemptions_from_json(s.text(7));
  d.justification = s.text(8);
  d.refer_to = s.opt_text(9);
  d.reviewer = s.text(10);
  d.decided_at = s.text(11);
  d.basis = s.text(12);
  d.follows_recommendation = s.integer(13) != 0;
  d.audit_seq = s.integer(14);
  d.audit_hash = s.text(15);
  return d;
}

std::vector<DecisionRecord> Store::list_decisions(std::int64_t document_seq) {
  Statement s(*m_impl->conn, std::string(decision_cols) + " WHERE x.document_seq=? ORDER BY x.id");
  s.bind(1, document_seq);
  std::vector<DecisionRecord> out;
  while (s.step()) out.push_back(read_decision(s));
  return out;
}

std::int64_t Store::count_decisions() {
  Statement s(*m_impl->conn, "SELECT count(*) FROM decisions");
  return s.step() ? s.integer(0) : 0;
}

std::int64_t Store::insert_approval(const ApprovalRecord& a) {
  require_tx("insert_approval");
  Statement s(*m_impl->conn,
              "INSERT INTO approvals(document_seq, authority, outcome, comment, decided_at, audit_seq) VALUES (?,?,?,?,?,?)");
  s.bind(1, a.document_seq).bind(2, a.authority).bind(3, a.outcome).bind_opt(4, a.comment).bind(5, a.decided_at);
  s.bind(6, a.audit_seq);
  s.run();
  return m_impl->conn->last_insert_rowid();
}

static const char* approval_cols =
    "SELECT x.id, x.document_seq, x.authority, x.outcome, x.comment, x.decided_at, x.audit_seq, coalesce(e.hash, '') "
    "FROM approvals x LEFT JOIN audit_events e ON e.seq = x.audit_seq";

static ApprovalRecord read_approval(const Statement& s) {
  return ApprovalRecord{s.integer(0), s.integer(1), s.text(2), s.text(3), s.opt_text(4), s.text(5), s.integer(6), s.text(7)};
}

std::vector<ApprovalRecord> Store::list_approvals(std::int64_t document_seq) {
  Statement s(*m_impl->conn, std::string(approval_cols) + " WHERE x.document_seq=? ORDER BY x.id");
  s.bind(1, document_seq);
  std::vector<ApprovalRecord> out;
  while (s.step()) out.push_back(read_approval(s));
  return out;
}

std::int64_t Store::insert_release(const ReleaseRecord& r) {
  require_tx("insert_release");
  Statement s(*m_impl->conn,
              "INSERT INTO releases(document_seq, output_sha256, signer, released_by, output_name, released_at, audit_seq) "
              "VALUES (?,?,?,?,?,?,?)");
  s.bind(1, r.document_seq).bind(2, r.output_sha256).bind(3, r.signer).bind(4, r.released_by).bind_opt(5, r.output_name);
  s.bind(6, r.released_at).bind(7, r.audit_seq);
  s.run();
  return m_impl->conn->last_insert_rowid();
}

static const char* release_cols =
    "SELECT x.id, x.document_seq, x.output_sha256, x.signer, x.released_by, x.output_name, x.released_at, x.audit_seq, "
    "coalesce(e.hash, '') FROM releases x LEFT JOIN audit_events e ON e.seq = x.audit_seq";

static ReleaseRecord read_release(const Statement& s) {
  return ReleaseRecord{s.integer(0), s.integer(1), s.text(2), s.text(3), s.text(4),
                       s.opt_text(5), s.text(6), s.integer(7), s.text(8)};
}

std::vector<ReleaseRecord> Store::list_releases(std::int64_t document_seq) {
  Statement s(*m_impl->conn, std::string(release_cols) + " WHERE x.document_seq=? ORDER BY x.id");
  s.bind(1, document_seq);
  std::vector<ReleaseRecord> out;
  while (s.step()) out.push_back(read_release(s));
  return out;
}

// ---- audit chain ----

AuditEvent Store::append_event(const NewEvent& n) {
  require_tx("append_event");
  Connection& c = *m_impl->conn;
  AuditEvent e;
  e.seq = 1;
  e.prev_hash = genesis_hash;
  {
    Statement s(c, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
    if (s.step()) {
      e.seq = s.integer(0) + 1;
      e.prev_hash = s.text(1);
    }
  }
  e.at = m_clock.now_iso();
  e.actor = n.actor;
  e.role = n.role;
  e.action = n.action;
  e.case_id = n.case_id;
  e.subject = n.subject;
  e.payload = n.payload.dump();
  e.hash = event_hash(e);
  Statement s(c,
              "INSERT INTO audit_events(seq, at, actor, role, action, case_id, subject, payload, prev_hash, hash) "
              "VALUES (?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, e.seq).bind(2, e.at).bind(3, e.actor).bind(4, e.role).bind(5, e.action).bind(6, e.case_id);
  s.bind(7, e.subject).bind(8, e.payload).bind(9, e.prev_hash).bind(10, e.hash);
  s.run();
  Statement m(c, "UPDATE meta SET value=? WHERE key=?");
  m.bind(1, std::to_string(e.seq)).bind(2, "audit_head_seq").run();
  m.reset();
  m.bind(1, e.hash).bind(2, "audit_head_hash").run();
  return e;
}

static const char* event_cols = "SELECT seq, at, actor, role, action, case_id, subject, payload, prev_hash, hash FROM audit_events";

static AuditEvent read_event(const Statement& s) {
  return AuditEvent{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4),
                    s.text(5),    s.text(6), s.text(7), s.text(8), s.text(9)};
}

std::vector<AuditEvent> Store::list_events(const std::string& case_id) {
  std::vector<AuditEvent> out;
  if (case_id.empty()) {
    Statement s(*m_impl->conn, std::string(event_cols) + " ORDER BY seq");
    while (s.step()) out.push_back(read_event(s));
  } else {
    Statement s(*m_impl->conn, std::string(event_cols) + " WHERE case_id=? ORDER BY seq");
    s.bind(1, case_id);
    while (s.step()) out.push_back(read_event(s));
  }
  return out;
}

std::optional<AuditEvent> Store::find_event(std::int64_t seq) {
  Statement s(*m_impl->conn, std::string(event_cols) + " WHERE seq=?");
  s.bind(1, seq);
  if (!s.step()) return std::nullopt;
  return read_event(s);
}

ChainReport Store::verify_chain() {
  Connection& c = *m_impl->conn;
  ChainReport r;
  r.head_hash = genesis_hash;
  // One read transaction so the chain and the rows are a consistent snapshot.
  c.exec("BEGIN");
  struct EndRead {
    Connection& c;
    ~EndRead() {
      try {
        c.exec("COMMIT");
      } catch (...) {
      }
    }
  } end_read{c};

  auto broken = [&r](std::int64_t seq, std::string problem) {
    if (!r.ok) return;
    r.ok = false;
    r.broken_seq = seq;
    r.problem = std::move(problem);
  };

  std::map<std::int64_t, std::string> payloads;  // seq → payload, for the row cross-checks
  {
    Statement s(c, std::string(event_cols) + " ORDER BY seq");
    std::int64_t expect_seq = 1;
    std::string prev = genesis_hash;
    while (s.step()) {
      AuditEvent e = read_event(s);
      ++r.events;
      if (e.seq != expect_seq) {
        broken(expect_seq, "event #" + std::to_string(expect_seq) + " is missing (next stored event is #" +
                               std::to_string(e.seq) + "): rows were deleted");
      } else if (e.prev_hash != prev) {
        broken(e.seq, "event #" + std::to_string(e.seq) + " does not link to the event before it (prev_hash " +
                          e.prev_hash.substr(0, 12) + "… expected " + prev.substr(0, 12) + "…)");
      } else if (event_hash(e) != e.hash) {
        broken(e.seq, "event #" + std::to_string(e.seq) + " was altered: its stored hash " + e.hash.substr(0, 12) +
                          "… does not match the recomputed hash " + event_hash(e).substr(0, 12) + "…");
      }
      payloads[e.seq] = e.payload;
      prev = e.hash;
      expect_seq = e.seq + 1;
    }
    r.head_hash = prev;
    // The head recorded in meta catches deletion of the newest events.
    Statement m(c, "SELECT (SELECT value FROM meta WHERE key='audit_head_seq'), (SELECT value FROM meta WHERE key='audit_head_hash')");
    if (m.step()) {
      std::string head_seq = m.text(0), head_hash = m.text(1);
      if (r.ok && (head_seq != std::to_string(expect_seq - 1) || head_hash != prev))
        broken(expect_seq, "the chain ends at event #" + std::to_string(expect_seq - 1) +
                               " but the store recorded head #" + head_seq + ": the newest events were deleted or altered");
    }
  }
  if (!r.ok) return r;

  // Rows that carry an audit event must still say what the event recorded.
  std::map<std::int64_t, std::string> doc_ids;
  {
    Statement s(c, "SELECT seq, id FROM documents");
    while (s.step()) doc_ids[s.integer(0)] = s.text(1);
  }
  auto check_row = [&](std::int64_t audit_seq, const Json& payload, const std::string& what) {
    auto it = payloads.find(audit_seq);
    if (it == payloads.end())
      broken(audit_seq, what + " refers to audit event #" + std::to_string(audit_seq) + ", which does not exist");
    else if (it->second != payload.dump())
      broken(audit_seq, what + " no longer matches audit event #" + std::to_string(audit_seq) + ": the row was altered");
  };
  {
    Statement s(c, std::string(decision_cols) + " ORDER BY x.audit_seq");
    while (s.step() && r.ok) {
      DecisionRecord d = read_decision(s);
      check_row(d.audit_seq, decision_payload(d, doc_ids[d.document_seq]), "decision " + std::to_string(d.id));
    }
  }
  {
    Statement s(c, std::string(approval_cols) + " ORDER BY x.audit_seq");
    while (s.step() && r.ok) {
      ApprovalRecord a = read_approval(s);
      check_row(a.audit_seq, approval_payload(a, doc_ids[a.document_seq]), "approval " + std::to_string(a.id));
    }
  }
  {
    Statement s(c, std::string(release_cols) + " ORDER BY x.audit_seq");
    while (s.step() && r.ok) {
      ReleaseRecord rel = read_release(s);
      check_row(rel.audit_seq, release_payload(rel, doc_ids[rel.document_seq]), "release " + std::to_string(rel.id));
    }
  }
  return r;
}

std::string Store::quick_check() {
  Statement s(*m_impl->conn, "PRAGMA quick_check(5)");
  std::string out;
  while (s.step()) {
    if (!out.empty()) out += "; ";
    out += s.text(0);
  }
  return out;
}

}  // namespace declass::store
