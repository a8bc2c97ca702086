// Routing (see context.hpp): "{name}" patterns → httplib regexes, and the checks every API request
// passes before its handler: Origin, bearer token, JSON content type and body, role. Errors of any
// kind become the JSON error body of docs/API.md; details that may quote document text stay out of the log.
#include <regex>

#include "app/api_tokens.hpp"
#include "server/context.hpp"
#include "server/errors.hpp"

namespace declass::server {

// ---- Context ----

app::Workspace& Context::ws() {
  if (!m_ws) m_ws = std::make_unique<app::Workspace>(state.config.db, *state.clock);
  return *m_ws;
}

const std::string& Context::param(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end()) throw ApiError(500, "internal", "route parameter " + name + " missing");
  return it->second;
}

const store::UserRecord& Context::actor() const {
  if (!user) throw ApiError(401, "unauthenticated", "this request needs 'Authorization: Bearer TOKEN'");
  return *user;
}

void Context::json(int status, const Json& j) {
  res.status = status;
  res.set_content(j.dump(), "application/json");
}

std::string Context::str(const char* field, bool required) const {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) throw ApiError(400, "bad_request", std::string("field '") + field + "' is missing from the JSON body; add it (a string)");
    return {};
  }
  if (!it->is_string()) throw ApiError(400, "bad_request", std::string("field '") + field + "' must be a string");
  return it->get<std::string>();
}

std::optional<std::string> Context::opt_str(const char* field) const {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ApiError(400, "bad_request", std::string("field '") + field + "' must be a string");
  return it->get<std::string>();
}

bool Context::flag(const char* field, bool fallback) const {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw ApiError(400, "bad_request", std::string("field '") + field + "' must be true or false");
  return it->get<bool>();
}

store::CaseRecord require_case(Context& c, const std::string& id) {
  auto rec = c.ws().store().find_case(id);
  if (!rec) throw ApiError(404, "not_found", "case " + id + " does not exist; list cases with GET /api/cases");
  return *rec;
}

store::DocumentRecord require_document(Context& c, const std::string& key) {
  auto rec = c.ws().store().find_document(key);
  if (!rec) throw ApiError(404, "not_found", "document " + key + " does not exist; see GET /api/cases/{case} for its documents");
  return *rec;
}

// ---- Router ----

namespace {

struct CompiledPattern {
  std::string regex;
  std::vector<std::string> names;
};

CompiledPattern compile(const std::string& pattern) {
  CompiledPattern out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    char ch = pattern[i];
    if (ch == '{') {
      std::size_t close = pattern.find('}', i);
      out.names.push_back(pattern.substr(i + 1, close - i - 1));
      out.regex += "([^/]+)";
      i = close + 1;
      continue;
    }
    if (std::string(".+*?()[]|^$\\").find(ch) != std::string::npos) out.regex += '\\';
    out.regex += ch;
    ++i;
  }
  return out;
}

bool is_json_content_type(const std::string& ct) {
  std::string base = ct.substr(0, ct.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (auto& ch : base) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return base == "application/json";
}

void fail(Context& c, int status, const std::string& code, const std::string& message) {
  c.res.status = status;
  c.res.set_content(error_body(code, message).dump(), "application/json");
}

void check_origin(Context& c) {
  if (!c.req.has_header("Origin")) return;
  std::string origin = c.req.get_header_value("Origin");
  for (const auto& o : c.state.own_origins)
    if (origin == o) return;
  throw ApiError(403, "bad_origin",
                 "requests from origin '" + origin.substr(0, 100) + "' are refused; use the web page served by this server (" +
                     (c.state.own_origins.empty() ? std::string("?") : c.state.own_origins.front()) +
                     ") or start it with --origin for another public address");
}

void authenticate(Context& c) {
  std::string h = c.req.get_header_value("Authorization");
  const std::string scheme = "Bearer ";
  if (h.empty())
    throw ApiError(401, "unauthenticated",
                   "no API token: send 'Authorization: Bearer TOKEN' (create one with 'declass user token NAME')");
  if (h.size() <= scheme.size() || h.compare(0, scheme.size(), scheme) != 0)
    throw ApiError(401, "unauthenticated", "the Authorization header must be 'Bearer TOKEN'");
  auto u = app::user_for_token(c.ws().store(), h.substr(scheme.size()));
  if (!u)
    throw ApiError(401, "unauthenticated",
                   "the API token is unknown, revoked or expired; ask an administrator for a new one ('declass user token NAME')");
  c.user = std::move(*u);
}

void parse_body(Context& c) {
  if (!is_json_content_type(c.req.get_header_value("Content-Type")))
    throw ApiError(415, "unsupported_media_type", "POST requests must send a JSON body with 'Content-Type: application/json'");
  if (c.req.body.empty()) return;  // {} — e.g. submit has no fields
  Json j = Json::parse(c.req.body, nullptr, false);
  if (j.is_discarded()) throw ApiError(400, "bad_request", "the request body is not valid JSON; send a JSON object");
  if (!j.is_object()) throw ApiError(400, "bad_request", "the request body must be a JSON object ({...})");
  c.body = std::move(j);
}

void check_role(Context& c, const RouteSpec& spec, const std::string& pattern) {
  if (spec.roles.empty()) return;
  for (const char* r : spec.roles)
    if (c.user->role == r) return;
  std::string allowed;
  for (const char* r : spec.roles) allowed += (allowed.empty() ? "" : " or ") + std::string(r);
  throw ApiError(403, "forbidden",
                 "user " + c.user->name + " has role " + c.user->role + "; " + spec.method + " " + pattern + " requires " + allowed);
}

}  // namespace

void Router::add(const RouteSpec& spec, Handler handler) {
  CompiledPattern cp = compile(spec.pattern);
  ServerState& state = m_state;
  std::string pattern = spec.pattern;
  RouteSpec s = spec;
  auto wrapped = [cp, pattern, s, handler = std::move(handler), &state](const httplib::Request& req, httplib::Response& res) {
    Context c(req, res, state);
    access_log_note(pattern, "");
    res.set_header("Cache-Control", "no-store");
    try {
      for (std::size_t i = 0; i < cp.names.size() && i + 1 < req.matches.size(); ++i) c.params[cp.names[i]] = req.matches[i + 1].str();
      check_origin(c);
      if (s.authenticated) {
        authenticate(c);
        access_log_note(pattern, c.user->name);
      }
      if (std::string(s.method) == "POST") parse_body(c);
      if (s.authenticated) check_role(c, s, pattern);
      handler(c);
    } catch (const ApiError& e) {
      fail(c, e.status, e.code, e.what());
    } catch (const Error& e) {
      HttpFailure f = map_error(e);
      if (f.message_loggable)
        state.log->warn("{} {}: {} error at {}: {}", s.method, pattern, to_string(e.category()), e.where(), e.message());
      else
        state.log->warn("{} {}: {} error at {} (message withheld from the log: it may quote document text)", s.method, pattern,
                        to_string(e.category()), e.where());
      fail(c, f.status, f.code, f.message);
    } catch (const std::exception& e) {
      state.log->error("{} {}: internal error: {}", s.method, pattern, e.what());
      fail(c, 500, "internal", "internal error; see the server log");
    }
  };
  if (std::string(spec.method) == "GET")
    m_http.Get(cp.regex, std::move(wrapped));
  else
    m_http.Post(cp.regex, std::move(wrapped));
}

}  // namespace declass::server
