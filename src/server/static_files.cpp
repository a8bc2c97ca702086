// The reviewer web page: GET / serves index.html and GET /web/<file> the other files of --web-root.
// Only plain relative names ([A-Za-z0-9._-] segments, no "." or ".." segments) that resolve to a regular
// file inside the root are served; no directory listings. Security headers come from the server defaults.
#include <filesystem>

#include "core/io.hpp"
#include "server/context.hpp"
#include "server/errors.hpp"

namespace declass::server {

namespace fs = std::filesystem;

namespace {

bool safe_relative(const std::string& rel) {
  if (rel.empty() || rel.size() > 255 || rel.front() == '/') return false;
  std::size_t start = 0;
  while (start <= rel.size()) {
    std::size_t slash = rel.find('/', start);
    std::string seg = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char ch : seg) {
      bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
      if (!ok) return false;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

const char* mime_for(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

void not_found(httplib::Response& res) {
  res.status = 404;
  res.set_content(error_body("not_found", "no such file in the web root").dump(), "application/json");
}

void serve_file(ServerState& state, const std::string& rel, httplib::Response& res) {
  if (!safe_relative(rel)) return not_found(res);
  std::error_code ec;
  fs::path root = fs::canonical(state.config.web_root, ec);
  if (ec) return not_found(res);
  fs::path p = fs::weakly_canonical(root / rel, ec);
  if (ec) return not_found(res);
  std::string rs = root.string() + "/", ps = p.string();
  if (ps.compare(0, rs.size(), rs) != 0 || !fs::is_regular_file(p, ec)) return not_found(res);
  res.status = 200;
  res.set_content(io::read_file(ps, std::size_t{16} << 20), mime_for(p.extension().string()));
}

}  // namespace

void register_static_files(httplib::Server& http, ServerState& state) {
  http.Get("/", [&state](const httplib::Request&, httplib::Response& res) {
    access_log_note("/", "");
    serve_file(state, "index.html", res);
  });
  http.Get("/web/(.*)", [&state](const httplib::Request& req, httplib::Response& res) {
    access_log_note("/web/*", "");
    try {
      serve_file(state, req.matches[1].str(), res);
    } catch (const std::exception&) {
      not_found(res);
    }
  });
}

}  // namespace declass::server
