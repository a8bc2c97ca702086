// Thin RAII wrapper over one SQLite connection and its prepared statements, used only inside
// src/store (the one module allowed to see sqlite3.h; this header only forward-declares its types).
// Every SQLite failure becomes a declass::Error(store) with a one-line explanation and a fix.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace declass::store::detail {

class Statement;

class Connection {
 public:
  // flags: read/write, create when `create` is true. Throws Error(store) when it cannot open.
  Connection(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const std::string& sql);  // one or more statements, no results
  void set_busy_timeout(int ms);
  std::int64_t last_insert_rowid() const;
  const std::string& path() const { return m_path; }
  sqlite3* handle() const { return m_db; }
  // Throws Error(store) describing SQLite result `rc` during `what`.
  [[noreturn]] void fail(int rc, const std::string& what) const;

 private:
  sqlite3* m_db = nullptr;
  std::string m_path;
};

class Statement {
 public:
  Statement(Connection& c, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::string_view text);
  Statement& bind(int i, std::int64_t v);
  Statement& bind_null(int i);
  Statement& bind_blob(int i, std::string_view bytes);
  Statement& bind_opt(int i, const std::optional<std::string>& v);
  Statement& bind_opt(int i, const std::optional<std::int64_t>& v);
  bool step();  // true: a row is available; false: done
  void run();   // step until done
  void reset();

  std::string text(int col) const;  // NULL → ""
  std::optional<std::string> opt_text(int col) const;
  std::int64_t integer(int col) const;
  std::optional<std::int64_t> opt_integer(int col) const;
  std::string blob(int col) const;
  bool is_null(int col) const;

 private:
  Connection& m_conn;
  sqlite3_stmt* m_stmt = nullptr;
  std::string m_sql;
};

}  // namespace declass::store::detail
