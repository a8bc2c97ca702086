// Access log (see context.hpp): one spdlog line per request with method, route pattern, status, user,
// response bytes and milliseconds. The route pattern is logged, never the path or query, so no
// document number, search text or token ever reaches the log; bodies are never logged.
#include <chrono>
#include <spdlog/spdlog.h>

#include "server/context.hpp"

namespace declass::server {

namespace {
// httplib serves a connection's requests on one worker thread: pre-routing → handler → logger.
struct RequestLog {
  std::chrono::steady_clock::time_point start;
  std::string route = "(no route)";
  std::string user = "-";
};
thread_local RequestLog current;
}  // namespace

void access_log_begin() {
  current = RequestLog{};
  current.start = std::chrono::steady_clock::now();
}

void access_log_note(const std::string& route, const std::string& user) {
  current.route = route;
  current.user = user.empty() ? "-" : user;
}

void access_log_write(spdlog::logger& log, const httplib::Request& req, const httplib::Response& res, bool json) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - current.start).count();
  // Only known method names are echoed.
  std::string method = req.method == "GET" || req.method == "POST" || req.method == "HEAD" || req.method == "PUT" ||
                               req.method == "DELETE" || req.method == "OPTIONS" || req.method == "PATCH"
                           ? req.method
                           : "OTHER";
  if (json) {
    Json j{{"event", "http"},   {"method", method},          {"route", current.route}, {"status", res.status},
           {"user", current.user}, {"bytes", res.body.size()}, {"ms", ms}};
    log.info("{}", j.dump());
  } else {
    log.info("http {} {} {} user={} bytes={} ms={}", method, current.route, res.status, current.user, res.body.size(), ms);
  }
}

}  // namespace declass::server
