// `declass batch --policy P (--in DIR | --manifest FILE) --out DIR [--case C] [--jobs N] [--reviewer R]
// [--auto-release --as AUTHORITY (--key K --cert C [--chain CH] | --p12 F --pass env:V) [--trust CA]] [--json]`:
// the batch pipeline (batch.hpp). Progress bar on a terminal; JSON Lines events (declass.batch-event/1)
// with --json or when stderr is not a terminal. Exit 0 all released, 3 some queued for review, 2 errors.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "app/batch.hpp"
#include "app/cli.hpp"
#include "app/options.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"

namespace declass::app {

namespace {

void draw_bar(std::size_t done, std::size_t total, const BatchSummary& s) {
  const int width = 30;
  int fill = total ? static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width) : width;
  std::string bar(static_cast<std::size_t>(fill), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r[%s] %zu/%zu  released %zu  queued %zu  skipped %zu  errors %zu ", bar.c_str(), done, total,
               s.released, s.queued, s.skipped, s.errors);
  std::fflush(stderr);
}

}  // namespace

void register_batch(CLI::App& root, Dispatch& d) {
  struct Opts {
    BatchOptions b;
    std::string received, review_date;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand(
      "batch", "Import a folder of records into a case, apply the policy, and auto-release what it resolves fully");
  cmd->fallthrough();
  cmd->add_option("--policy", o->b.policy_path, "Policy (TOML) applied to every record; must be the case's policy")->required();
  auto* in = cmd->add_option("--in", o->b.in_dir, "Folder of records (recursive; hidden files and --out are skipped)");
  auto* man = cmd->add_option("--manifest", o->b.manifest, "Manifest: one record path per line (relative to the manifest), '#' comments");
  in->excludes(man);
  man->excludes(in);
  cmd->add_option("--out", o->b.out_dir, "Folder for the signed release files (<doc_no>.pdf); created when missing")->required();
  cmd->add_option("--case", o->b.case_id, "Case request number (created when missing); default BATCH-<folder or manifest name>");
  cmd->add_option("--requester", o->b.requester, "Requester of a case the batch creates")->capture_default_str();
  cmd->add_option("--received", o->received, "Received date (YYYY-MM-DD) of a case the batch creates (default: today)");
  cmd->add_option("--review-date", o->review_date, "Date of review, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)");
  cmd->add_option("--jobs,-j", o->b.jobs, "Parallel workers: parse/recommend threads and release processes (1-64)")
      ->capture_default_str();
  cmd->add_option("--reviewer", o->b.reviewer,
                  "The pipeline's own reviewer user (role reviewer) that imports and accepts the policy's decisions")
      ->capture_default_str();
  cmd->add_flag("--auto-release", o->b.auto_release,
                "Release documents the policy resolves fully (no flag, no refer): accept as --reviewer, approve and sign as --as");
  cmd->add_option("--as", o->b.authority, "The approving and releasing authority (role authority; not the --reviewer)");
  cmd->add_option("--key", o->b.signing.key, "Authority private key (PEM)");
  cmd->add_option("--cert", o->b.signing.cert, "Authority certificate (PEM)");
  cmd->add_option("--chain", o->b.signing.chain, "Intermediate/root certificates to embed (PEM bundle)");
  cmd->add_option("--p12", o->b.signing.p12, "PKCS#12 file with key, certificate and chain (instead of --key/--cert)");
  cmd->add_option("--pass", o->b.signing.pass_spec, "Passphrase source for --p12 or an encrypted key: env:VAR or file:PATH");
  cmd->add_option("--trust", o->b.trust_path, "Verify each released file's chain against this CA (PEM); default: chain not checked");
  cmd->add_option("--authority-title", o->b.authority_title, "Title after the authority's name in the stamp")->capture_default_str();
  cmd->add_option("--template", o->b.template_path, "Stamp template (TOML), default: the built-in State template");
  cmd->add_flag("--json", o->json, "JSON Lines events on stdout (schema declass.batch-event/1), also on a terminal");
  cmd->footer(
      "Every record is imported into the case as the pipeline reviewer (create it once:\n"
      "  declass user add pipeline --role reviewer --as ADMIN). With --auto-release and a key, a document\n"
      "whose every paragraph the policy decides (no flag, no refer) is accepted by the pipeline reviewer,\n"
      "approved by --as (a different user: separation of duties), released to --out and verified; everything\n"
      "else stays in the store for human review ('declass case show CASE'). Re-running skips records already\n"
      "in the case (same SHA-256) and finishes releases an earlier run left half-way. A bad record (unreadable,\n"
      "empty, binary, malformed) is reported and the rest continue.\n"
      "Output: a progress bar on a terminal; JSON Lines (started, record {path, sha256, status released|queued|\n"
      "skipped|error, reason}, summary) with --json or when stderr is not a terminal.\n"
      "Exit codes: 0 all released, 3 some records await human review, 2 some records failed (wins over 3),\n"
      "1 bad usage.");
  cmd->callback([o, &d] {
    d.action = [o, &d] {
      bool key_given = !o->b.signing.key.empty() || !o->b.signing.cert.empty() || !o->b.signing.p12.empty();
      if (!o->b.auto_release && (key_given || !o->b.authority.empty()))
        throw Error(ErrorCategory::usage, "--as/--key/--p12", "signing options only apply with --auto-release");
      if (o->b.in_dir.empty() && o->b.manifest.empty())
        throw Error(ErrorCategory::usage, "batch", "give the records with --in DIR or --manifest FILE");
      SystemClock clock;
      o->b.db_path = d.global.db;
      o->b.review_date = parse_review_date(o->review_date, clock);
      if (!o->received.empty()) o->b.received = parse_review_date(o->received, clock, "--received");
      const bool tty = ::isatty(STDERR_FILENO) != 0;
      const bool events = o->json || !tty;
      std::vector<BatchRecord> attention;
      auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
      bool drawn = false;
      BatchObserver obs;
      obs.on_started = [&](const Json& j) {
        if (events) std::cout << j.dump() << std::endl;
      };
      obs.on_record = [&](const BatchRecord& r) {
        if (events) std::cout << batch_record_json(r).dump() << std::endl;
        else if (r.status == "error" || r.status == "queued") attention.push_back(r);
      };
      obs.on_progress = [&](std::size_t done, std::size_t total, const BatchSummary& s) {
        if (!tty) return;
        auto now = std::chrono::steady_clock::now();
        if (done < total && now - last < std::chrono::milliseconds(100)) return;
        last = now;
        drawn = true;
        draw_bar(done, total, s);
      };
      BatchSummary s = run_batch(o->b, clock, obs);
      if (drawn) std::fputs("\n", stderr);
      if (events) {
        std::cout << batch_summary_json(s).dump() << std::endl;
      } else {
        std::size_t queued_shown = 0;
        for (const auto& r : attention) {
          if (r.status == "queued" && ++queued_shown > 20) continue;
          std::string why = r.reason.rfind(r.path + ": ", 0) == 0 ? r.reason.substr(r.path.size() + 2) : r.reason;
          std::cout << (r.status == "error" ? "error   " : "queued  ") << r.path << ": " << why << "\n";
        }
        if (queued_shown > 20) std::cout << "... and " << queued_shown - 20 << " more queued ('declass case show " << s.case_id << "')\n";
        char rate[64];
        std::snprintf(rate, sizeof rate, "%.1f", s.seconds > 0 ? static_cast<double>(s.records) / s.seconds : 0.0);
        std::cout << "case " << s.case_id << ": " << s.records << " records: " << s.released << " released, " << s.queued
                  << " queued for review, " << s.skipped << " skipped, " << s.errors << " errors (" << s.imported
                  << " imported; " << s.pending_review << " awaiting review in the store); audit chain "
                  << (s.chain_ok ? "ok" : "BROKEN: " + s.chain_problem) << "; " << rate << " records/s\n";
      }
      return s.exit_code;
    };
  });
}

}  // namespace declass::app
