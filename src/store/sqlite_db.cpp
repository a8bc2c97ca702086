// SQLite connection and statement wrappers (see sqlite_db.hpp). Maps SQLite result codes to
// declass::Error(store) messages that say what failed, on which file, and how to fix it.
#include "store/sqlite_db.hpp"

#include <sqlite3.h>

#include <climits>

#include "core/error.hpp"

namespace declass::store::detail {

namespace {
std::string describe(int rc, sqlite3* db, const std::string& path, const std::string& what) {
  int primary = rc & 0xff;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "database is busy: another declass process held the write lock too long during " + what +
             "; retry the command (or raise DECLASS_BUSY_TIMEOUT_MS)";
    case SQLITE_NOTADB:
      return "not a declass store: the file is not a SQLite database (" + detail +
             "); check --db / DECLASS_DB, or create a store with 'declass init'";
    case SQLITE_CORRUPT:
      return "the database file is corrupt (" + detail + ") during " + what +
             "; restore it from a backup and check that with 'declass audit verify'";
    case SQLITE_CANTOPEN:
      return "cannot open the database file (" + detail + "); check the path and directory permissions";
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return "the database is read-only (" + detail + "); check file permissions";
    case SQLITE_FULL:
      return "disk full while " + what + "; free space and retry";
    case SQLITE_IOERR:
      return "I/O error while " + what + " (" + detail + ")";
    default:
      return "SQLite error during " + what + ": " + detail;
  }
  (void)path;
}
}  // namespace

Connection::Connection(const std::string& path, bool create) : m_path(path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = describe(rc, m_db, path, "opening");
    sqlite3_close(m_db);
    m_db = nullptr;
    throw Error(ErrorCategory::store, path, msg);
  }
  sqlite3_extended_result_codes(m_db, 1);
}

Connection::~Connection() {
  if (m_db) sqlite3_close_v2(m_db);
}

void Connection::fail(int rc, const std::string& what) const {
  throw Error(ErrorCategory::store, m_path, describe(rc, m_db, m_path, what));
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, "'" + sql.substr(0, 40) + "'");
}

void Connection::set_busy_timeout(int ms) { sqlite3_busy_timeout(m_db, ms); }

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

Statement::Statement(Connection& c, std::string_view sql) : m_conn(c), m_sql(sql) {
  int rc = sqlite3_prepare_v2(c.handle(), m_sql.c_str(), static_cast<int>(m_sql.size()), &m_stmt, nullptr);
  if (rc != SQLITE_OK) c.fail(rc, "preparing a query");
}

Statement::~Statement() {
  if (m_stmt) sqlite3_finalize(m_stmt);
}

static int checked_size(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX)) throw Error(ErrorCategory::store, "", "value too large for the store");
  return static_cast<int>(n);
}

Statement& Statement::bind(int i, std::string_view text) {
  int rc = sqlite3_bind_text(m_stmt, i, text.data(), checked_size(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) m_conn.fail(rc, "binding a value");
  return *this;
}
Statement& Statement::bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(m_stmt, i, v);
  if (rc != SQLITE_OK) m_conn.fail(rc, "binding a value");
  return *this;
}
Statement& Statement::bind_null(int i) {
  int rc = sqlite3_bind_null(m_stmt, i);
  if (rc != SQLITE_OK) m_conn.fail(rc, "binding a value");
  return *this;
}
Statement& Statement::bind_blob(int i, std::string_view bytes) {
  int rc = sqlite3_bind_blob(m_stmt, i, bytes.data(), checked_size(bytes.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) m_conn.fail(rc, "binding a value");
  return *this;
}
Statement& Statement::bind_opt(int i, const std::optional<std::string>& v) { return v ? bind(i, *v) : bind_null(i); }
Statement& Statement::bind_opt(int i, const std::optional<std::int64_t>& v) { return v ? bind(i, *v) : bind_null(i); }

bool Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string what = "running '" + m_sql.substr(0, 48) + "'";
  sqlite3_reset(m_stmt);
  m_conn.fail(rc, what);
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int col) const {
  const unsigned char* p = sqlite3_column_text(m_stmt, col);
  int n = sqlite3_column_bytes(m_stmt, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}
std::optional<std::string> Statement::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
std::int64_t Statement::integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
std::optional<std::int64_t> Statement::opt_integer(int col) const {
  if (is_null(col)) return std::nullopt;
  return integer(col);
}
std::string Statement::blob(int col) const {
  const void* p = sqlite3_column_blob(m_stmt, col);
  int n = sqlite3_column_bytes(m_stmt, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}
bool Statement::is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

}  // namespace declass::store::detail
