// ApiServer (see server.hpp): configuration checks, httplib setup (payload limit, security headers,
// JSON 404/413/500 bodies, access log), the routes of docs/API.md, binding (port 0) and graceful stop.
#include "server/server.hpp"

#include <filesystem>

#include "app/release_store.hpp"
#include "app/workspace.hpp"
#include "core/error.hpp"
#include "crypto/keys.hpp"
#include "crypto/hash.hpp"
#include "server/base64.hpp"
#include "server/context.hpp"
#include "server/errors.hpp"

namespace declass::server {

namespace fs = std::filesystem;

namespace {
Error usage(const std::string& where, const std::string& msg) { return Error(ErrorCategory::usage, where, msg); }
}  // namespace

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void parse_listen(const std::string& spec, std::string& host, int& port) {
  std::string h, p;
  if (!spec.empty() && spec.front() == '[') {
    auto close = spec.find("]:");
    if (close == std::string::npos) throw usage("--listen " + spec, "expected [IPV6]:PORT, e.g. [::1]:8080");
    h = spec.substr(1, close - 1);
    p = spec.substr(close + 2);
  } else {
    auto colon = spec.rfind(':');
    if (colon == std::string::npos) throw usage("--listen " + spec, "expected HOST:PORT, e.g. 127.0.0.1:8080 (port 0 = any free port)");
    h = spec.substr(0, colon);
    p = spec.substr(colon + 1);
  }
  if (h.empty()) h = "127.0.0.1";
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos || std::stoi(p) > 65535)
    throw usage("--listen " + spec, "the port must be a number 0..65535 (0 = any free port)");
  host = h;
  port = std::stoi(p);
}

SignerConfig parse_signer(const std::string& spec) {
  SignerConfig s;
  auto eq = spec.find('=');
  const std::string forms = "use NAME=p12:FILE[:env:VAR|:file:PATH] or NAME=pem:KEY,CERT[,CHAIN][:env:VAR|:file:PATH]";
  if (eq == std::string::npos || eq == 0) throw usage("--signer " + spec, forms);
  s.user = spec.substr(0, eq);
  std::string rest = spec.substr(eq + 1);
  std::string pass;
  for (const char* marker : {":env:", ":file:"}) {
    auto at = rest.find(marker);
    if (at != std::string::npos) {
      pass = rest.substr(at + 1);
      rest = rest.substr(0, at);
      break;
    }
  }
  s.signing.pass_spec = pass;
  if (rest.rfind("p12:", 0) == 0) {
    s.signing.p12 = rest.substr(4);
    if (s.signing.p12.empty()) throw usage("--signer " + spec, forms);
  } else if (rest.rfind("pem:", 0) == 0) {
    std::string files = rest.substr(4);
    auto c1 = files.find(',');
    if (c1 == std::string::npos) throw usage("--signer " + spec, forms);
    s.signing.key = files.substr(0, c1);
    std::string after = files.substr(c1 + 1);
    auto c2 = after.find(',');
    s.signing.cert = after.substr(0, c2);
    if (c2 != std::string::npos) s.signing.chain = after.substr(c2 + 1);
    if (s.signing.key.empty() || s.signing.cert.empty()) throw usage("--signer " + spec, forms);
  } else {
    throw usage("--signer " + spec, forms);
  }
  return s;
}

struct ApiServer::Impl {
  ServerState state;
  SystemClock system_clock;
  std::unique_ptr<httplib::Server> http;
  int port = 0;
  std::string scheme = "http";
};

static void check_signers(ServerState& st) {
  app::Workspace ws(st.config.db, *st.clock);
  for (const auto& s : st.config.signers) {
    auto u = ws.store().find_user(s.user);
    if (!u) throw usage("--signer " + s.user, "no such user in the store; add the authority with 'declass user add " + s.user + " --role authority --cert CERT.pem'");
    if (u->role != "authority") throw usage("--signer " + s.user, "user has role " + u->role + "; only a review authority signs releases");
    crypto::SigningIdentity id = app::load_signing_identity(s.signing);
    if (!u->certificate_pem)
      throw usage("--signer " + s.user, "the user has no registered certificate; releases must be signed with the certificate registered for the authority");
    auto der = pem_certificate_der(*u->certificate_pem);
    if (!der || crypto::sha256_hex(*der) != id.cert_sha256_hex())
      throw usage("--signer " + s.user, "the signing certificate (" + id.subject() +
                                            ") is not the one registered for the user; give the key of the registered certificate");
  }
}

ApiServer::ApiServer(ServerConfig config) : m(std::make_unique<Impl>()) {
  ServerState& st = m->state;
  st.config = std::move(config);
  st.clock = st.config.clock ? st.config.clock : &m->system_clock;
  st.log = st.config.log ? st.config.log : spdlog::default_logger();
  const auto& c = st.config;
  if (c.tls_cert.empty() != c.tls_key.empty())
    throw usage(c.tls_cert.empty() ? "--tls-key" : "--tls-cert", "give both --tls-cert and --tls-key (PEM files), or neither");
  bool tls = !c.tls_cert.empty();
  if (!tls && !is_loopback_host(c.listen_host))
    throw usage("--listen " + c.listen_host, "refusing to listen on a non-loopback address without TLS (tokens would travel in clear); "
                                             "add --tls-cert CERT.pem --tls-key KEY.pem, or listen on 127.0.0.1");
  if (c.max_body_bytes < 1024) throw usage("--max-body-bytes", "at least 1024 bytes");
  { app::Workspace ws(c.db, *st.clock); }  // the store opens (and migrates) now, not at the first request
  app::install_store_verify_hook();           // GET .../verify checks like `declass verify --db` (set before any thread reads it)
  check_signers(st);
  st.release_dir = c.release_dir.empty() ? (fs::absolute(c.db).parent_path() / "releases").string() : c.release_dir;
  std::error_code ec;
  fs::create_directories(st.release_dir, ec);
  if (ec || !fs::is_directory(st.release_dir))
    throw Error(ErrorCategory::input, st.release_dir, "cannot create the release directory: " + ec.message() + "; choose another --release-dir");
  if (!fs::is_regular_file(fs::path(c.web_root) / "index.html", ec))
    st.log->warn("serve: web root {} has no index.html; GET / will answer 404 (set --web-root)", c.web_root);

  if (tls) {
    for (const auto& f : {c.tls_cert, c.tls_key})
      if (!fs::is_regular_file(f, ec)) throw usage(f, "TLS file not found; give PEM files with --tls-cert/--tls-key");
    auto ssl = std::make_unique<httplib::SSLServer>(c.tls_cert.c_str(), c.tls_key.c_str());
    if (!ssl->is_valid())
      throw Error(ErrorCategory::crypto, c.tls_cert, "cannot load the TLS certificate/key (PEM, unencrypted key, matching pair)");
    m->http = std::move(ssl);
    m->scheme = "https";
  } else {
    m->http = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *m->http;
  http.set_payload_max_length(c.max_body_bytes);
  http.set_default_headers({{"Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'"},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"},
                            {"X-Frame-Options", "DENY"}});
  http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    access_log_begin();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler(httplib::Server::HandlerWithResponse([&st](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // a route's own JSON error
    std::string code = "internal", msg = "internal error; see the server log";
    if (res.status == 404) code = "not_found", msg = "no such route; see docs/API.md for the endpoints";
    else if (res.status == 413)
      code = "too_large", msg = "the request body is larger than " + std::to_string(st.config.max_body_bytes) +
                                " bytes (--max-body-bytes); send a smaller document";
    else if (res.status == 400) code = "bad_request", msg = "malformed HTTP request";
    else if (res.status == 405) code = "bad_request", msg = "method not allowed";
    res.set_header("Cache-Control", "no-store");
    res.set_content(error_body(code, msg).dump(), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([&st](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      st.log->error("serve: unhandled exception: {}", e.what());
    } catch (...) {
    }
    res.status = 500;
    res.set_content(error_body("internal", "internal error; see the server log").dump(), "application/json");
  });
  http.set_logger([&st](const httplib::Request& req, const httplib::Response& res) {
    access_log_write(*st.log, req, res, st.config.json_log);
  });

  Router router(http, st);
  register_case_routes(router);
  register_document_routes(router);
  register_release_routes(router);
  register_report_routes(router);
  register_static_files(http, st);
}

ApiServer::~ApiServer() {
  if (m && m->http) m->http->stop();
}

int ApiServer::bind() {
  auto& st = m->state;
  const auto& c = st.config;
  int port = c.port;
  if (port == 0) {
    port = m->http->bind_to_any_port(c.listen_host);
    if (port <= 0) port = -1;
  } else if (!m->http->bind_to_port(c.listen_host, port)) {
    port = -1;
  }
  if (port < 0)
    throw Error(ErrorCategory::usage, "--listen " + c.listen_host + ":" + std::to_string(c.port),
                "cannot listen there (address in use, not local, or not permitted); choose another --listen");
  m->port = port;
  std::string host = c.listen_host.find(':') != std::string::npos ? "[" + c.listen_host + "]" : c.listen_host;
  st.own_origins = {m->scheme + "://" + host + ":" + std::to_string(port)};
  if (is_loopback_host(c.listen_host))
    for (const char* h : {"localhost", "127.0.0.1", "[::1]"}) st.own_origins.push_back(m->scheme + "://" + h + ":" + std::to_string(port));
  for (const auto& o : c.origins) st.own_origins.push_back(o);
  return port;
}

void ApiServer::run() {
  if (m->port == 0) bind();
  m->http->listen_after_bind();
}

void ApiServer::stop() { m->http->stop(); }

std::string ApiServer::base_url() const { return m->state.own_origins.empty() ? "" : m->state.own_origins.front(); }

const ServerConfig& ApiServer::config() const { return m->state.config; }

}  // namespace declass::server
