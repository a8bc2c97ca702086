// `declass serve` as a library: the JSON HTTP API of docs/API.md over app::Workspace, review::Workflow,
// app::release_document, verify and reports. One ApiServer per listening socket; each request opens its
// own Workspace (SQLite WAL). The CLI (cmd_serve.cpp) and the tests (tests/unit/server) drive this.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "app/release.hpp"
#include "core/clock.hpp"

namespace declass::server {

// The signing key of one review authority: a release requested by `user` is signed with it.
struct SignerConfig {
  std::string user;
  app::SigningOptions signing;
};

struct ServerConfig {
  std::string db = "declass.db";
  std::string listen_host = "127.0.0.1";
  int port = 8080;                        // 0 = any free port (see ApiServer::bind)
  std::string web_root = "templates/web";
  std::string release_dir;                // "" = <directory of db>/releases
  std::vector<SignerConfig> signers;
  std::string trust;                      // PEM trust anchors for GET .../verify ("" = chain not checked → invalid)
  std::string tls_cert, tls_key;          // both or neither
  std::size_t max_body_bytes = std::size_t{16} << 20;
  bool json_log = false;
  std::vector<std::string> origins;       // extra allowed Origin values (e.g. https://declass.example.gov)
  const Clock* clock = nullptr;           // nullptr = SystemClock (SOURCE_DATE_EPOCH honoured)
  std::shared_ptr<spdlog::logger> log;    // access/error log; nullptr = spdlog's default logger
};

// Parses "HOST:PORT", "[V6]:PORT" or ":PORT" (host 127.0.0.1). Error(usage) naming --listen.
void parse_listen(const std::string& spec, std::string& host, int& port);
// Parses "NAME=p12:FILE[:env:VAR|:file:PATH]" or "NAME=pem:KEY,CERT[,CHAIN][:env:VAR|:file:PATH]". Error(usage).
SignerConfig parse_signer(const std::string& spec);
bool is_loopback_host(const std::string& host);

class ApiServer {
 public:
  // Checks the configuration (store opens, TLS files, loopback rule, signers load and belong to
  // authorities whose registered certificate they carry). Throws Error with what/where/how to fix.
  explicit ApiServer(ServerConfig config);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  int bind();          // binds the socket; returns the port (the chosen one for port 0)
  void run();          // serves until stop(); returns after the last request finished
  void stop();         // thread-safe, idempotent
  std::string base_url() const;  // e.g. http://127.0.0.1:41234 (after bind)
  const ServerConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

}  // namespace declass::server
