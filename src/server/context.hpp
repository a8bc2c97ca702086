// Internal to the server module: what a route handler sees (the request, its parameters, the
// authenticated user, the parsed JSON body, a per-request Workspace) and the ApiError it may throw.
// Handlers are registered per resource (handlers_*.cpp) through the Router of router.hpp.
#pragma once
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "app/workspace.hpp"
#include "core/json.hpp"
#include "server/server.hpp"
#include "store/records.hpp"

namespace declass::server {

// An HTTP error with its JSON code (docs/API.md "Errors"); message: what, where, how to fix.
struct ApiError : std::runtime_error {
  ApiError(int status_, std::string code_, const std::string& message_)
      : std::runtime_error(message_), status(status_), code(std::move(code_)) {}
  int status;
  std::string code;
};

// State shared by all requests of one server (read-only after start, except the mutex).
struct ServerState {
  ServerConfig config;
  const Clock* clock = nullptr;
  std::string release_dir;
  std::vector<std::string> own_origins;
  std::shared_ptr<spdlog::logger> log;  // access and error log (stderr in the CLI)
  // Releases, imports, previews, verification and reports run one at a time: they fork isolated
  // workers and pdftoppm and use PoDoFo/qpdf, which are not audited for concurrent use.
  std::mutex heavy;
};

struct Context {
  const httplib::Request& req;
  httplib::Response& res;
  ServerState& state;
  std::map<std::string, std::string> params;
  std::optional<store::UserRecord> user;
  Json body = Json::object();

  Context(const httplib::Request& r, httplib::Response& s, ServerState& st) : req(r), res(s), state(st) {}
  const Clock& clock() const { return *state.clock; }
  app::Workspace& ws();  // opened on first use, closed with the request
  const std::string& param(const std::string& name) const;
  const store::UserRecord& actor() const;
  void json(int status, const Json& j);
  // Typed body fields; ApiError 400 naming the field when missing or of the wrong type.
  std::string str(const char* field, bool required = true) const;
  std::optional<std::string> opt_str(const char* field) const;
  bool flag(const char* field, bool fallback) const;

 private:
  std::unique_ptr<app::Workspace> m_ws;
};

// 404 when the case/document does not exist (the library would call it a usage error).
store::CaseRecord require_case(Context& c, const std::string& id);
store::DocumentRecord require_document(Context& c, const std::string& key);

using Handler = std::function<void(Context&)>;

struct RouteSpec {
  const char* method;              // "GET" | "POST"
  const char* pattern;             // "/api/documents/{doc}/submit": {name} = one path segment
  std::vector<const char*> roles;  // empty = any authenticated user
  bool authenticated = true;       // false: GET /api/health only
};

class Router {
 public:
  Router(httplib::Server& http, ServerState& state) : m_http(http), m_state(state) {}
  void add(const RouteSpec& spec, Handler handler);

 private:
  httplib::Server& m_http;
  ServerState& m_state;
};

// Per-resource registrations (handlers_*.cpp) and the static web files (static_files.cpp).
void register_case_routes(Router& r);
void register_document_routes(Router& r);
void register_release_routes(Router& r);
void register_report_routes(Router& r);
void register_static_files(httplib::Server& http, ServerState& state);

// Access log (access_log.cpp): one line per request, no bodies, no query values, no document text.
void access_log_begin();                                              // pre-routing: start the clock
void access_log_note(const std::string& route, const std::string& user);  // set by the router
void access_log_write(spdlog::logger& log, const httplib::Request& req, const httplib::Response& res, bool json);

}  // namespace declass::server
