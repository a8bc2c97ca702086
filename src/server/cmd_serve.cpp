// `declass serve` (see cmd_serve.hpp): options, start-up checks, the listening line on stdout, and a
// graceful stop on SIGINT/SIGTERM (a dedicated thread waits for the signals; requests in flight finish).
#include "server/cmd_serve.hpp"

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <pthread.h>
#include <thread>

#include "core/exit_codes.hpp"
#include "server/server.hpp"

namespace declass::server {

void register_serve(CLI::App& root, app::Dispatch& d) {
  struct Opts {
    std::string listen = "127.0.0.1:8080";
    std::string web_root = "templates/web", release_dir, trust, tls_cert, tls_key;
    std::vector<std::string> signers, origins;
    std::size_t max_body = std::size_t{16} << 20;
    bool json_log = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand("serve", "Serve the JSON HTTP API (docs/API.md) and the reviewer web page");
  cmd->fallthrough();
  cmd->add_option("--listen", o->listen, "HOST:PORT to listen on; port 0 = any free port (printed on stdout)")->capture_default_str();
  cmd->add_option("--web-root", o->web_root, "Folder with index.html and the web page files")->capture_default_str();
  cmd->add_option("--release-dir", o->release_dir, "Where signed releases are written (default: <folder of the db>/releases)");
  cmd->add_option("--signer", o->signers,
                  "Signing key of a review authority: NAME=p12:FILE[:env:VAR|:file:PATH] or NAME=pem:KEY,CERT[,CHAIN][:env:VAR|:file:PATH] "
                  "(repeat for more authorities; the certificate must be the one registered for NAME)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--trust", o->trust, "PEM trust anchors for GET /api/documents/{doc}/verify (without it the chain check fails)");
  cmd->add_option("--tls-cert", o->tls_cert, "TLS certificate (PEM); required to listen on a non-loopback address");
  cmd->add_option("--tls-key", o->tls_key, "TLS private key (PEM, unencrypted)");
  cmd->add_option("--origin", o->origins, "Extra allowed Origin, e.g. https://declass.example.gov (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--max-body-bytes", o->max_body, "Largest accepted request body (bigger → 413)")->capture_default_str();
  cmd->add_flag("--json-log", o->json_log, "Access log lines as JSON");
  cmd->footer(
      "Every /api/ request except GET /api/health needs 'Authorization: Bearer TOKEN' (create tokens with\n"
      "'declass user token NAME'). POST bodies are JSON (Content-Type: application/json); a foreign Origin is refused.\n"
      "Listening on a non-loopback address requires --tls-cert/--tls-key. Logs go to stderr, one line per\n"
      "request (method, route pattern, status, user, bytes, ms) — never bodies, query values or document text.\n"
      "Prints 'declass serve: listening on URL' on stdout once ready. SIGINT/SIGTERM stop it gracefully.\n"
      "Exit codes: 0 stopped by a signal, 1 bad usage, 2 error (store, keys, address in use).");
  cmd->callback([o, &d] {
    d.action = [o, &d] {
      ServerConfig c;
      c.db = d.global.db;
      parse_listen(o->listen, c.listen_host, c.port);
      c.web_root = o->web_root;
      c.release_dir = o->release_dir;
      for (const auto& s : o->signers) c.signers.push_back(parse_signer(s));
      c.trust = o->trust;
      c.tls_cert = o->tls_cert;
      c.tls_key = o->tls_key;
      c.origins = o->origins;
      c.max_body_bytes = o->max_body;
      c.json_log = o->json_log;
      // The access log is the operator's view of the server: info level even under the default --log-level warn.
      auto log = spdlog::default_logger()->clone("declass.http");
      if (d.global.log_level == "warn") log->set_level(spdlog::level::info);
      c.log = log;

      // Block the stop signals in every thread; one thread waits for them.
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGINT);
      sigaddset(&set, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &set, nullptr);

      ApiServer server(std::move(c));
      server.bind();
      std::cout << "declass serve: listening on " << server.base_url() << std::endl;

      std::atomic<bool> done{false};
      std::thread waiter([&] {
        int sig = 0;
        sigwait(&set, &sig);
        if (done) return;
        log->info("serve: signal {} received, stopping", sig);
        while (!done) {  // listen may not have started yet when the signal came
          server.stop();
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      });
      server.run();
      done = true;
      pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped on its own
      waiter.join();
      log->info("serve: stopped");
      return exit_code::ok;
    };
  });
}

}  // namespace declass::server
