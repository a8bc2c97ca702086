// Batch pipeline as a library call (`declass batch`, later the server): N worker threads inspect and
// recommend, one writer stores in input order (same store for any N); with an authority's key, what the
// policy resolves fully is accepted by the pipeline reviewer, approved by another user, released, verified.
// Resumable by source SHA-256 within the case; one bad record never stops the batch.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "app/release.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/json.hpp"

namespace declass::app {

struct BatchOptions {
  std::string db_path;
  std::string policy_path;
  std::string in_dir;    // a folder (recursive; hidden files and the --out folder are skipped) ...
  std::string manifest;  // ... or a manifest: one path per line (relative to the manifest), '#' comments
  std::string out_dir;   // release PDFs: <out>/<doc_no>.pdf
  std::string case_id;   // "" → "BATCH-<name of the folder or manifest>"
  std::string requester = "batch pipeline";  // for a case the batch creates
  std::optional<Date> received;              // for a case the batch creates (default: today)
  Date review_date;
  int jobs = 1;          // parse/recommend threads; release worker processes
  std::string reviewer = "pipeline";  // the pipeline's reviewer identity (role reviewer; must exist)
  bool auto_release = false;
  std::string authority;              // approving and releasing authority (role authority, not the reviewer)
  std::string authority_title = "Senior Reviewer";
  std::string template_path;
  std::string trust_path;             // verify released files against this anchor ("" = chain not checked)
  SigningOptions signing;
};

struct BatchRecord {
  std::string path;
  std::string sha256;         // "" when the file could not be read
  std::string status;         // released | queued | skipped | error
  std::string reason;         // why (never document text)
  std::string document;       // "D12" when the record is (now) in the store
  std::string doc_no;
  std::string state;          // the document's status in the store when reported
  std::string output;         // released file
  std::string output_sha256;
};

struct BatchSummary {
  std::string case_id;
  std::size_t records = 0, released = 0, queued = 0, skipped = 0, errors = 0;
  std::size_t imported = 0;        // documents imported by this run
  std::size_t pending_review = 0;  // records whose document is in the store and not released
  double seconds = 0;
  bool chain_ok = true;
  std::string chain_problem;
  int exit_code = 0;  // 2 errors, else 3 pending review, else 0
};

// Called on the thread that called run_batch.
struct BatchObserver {
  std::function<void(const Json& started)> on_started;
  std::function<void(const BatchRecord&)> on_record;
  std::function<void(std::size_t done, std::size_t total, const BatchSummary& so_far)> on_progress;
};

// Events of schema declass.batch-event/1.
Json batch_record_json(const BatchRecord& r);
Json batch_summary_json(const BatchSummary& s);

// Refuses (throws Error) before any work on bad options, a missing/invalid policy, unknown users, a
// reviewer who is not a reviewer, an authority who is not an authority or is the reviewer, an unloadable
// key, or a case whose policy differs. Afterwards per-record problems are reported, never thrown.
BatchSummary run_batch(const BatchOptions& o, const Clock& clock, const BatchObserver& obs = {});

}  // namespace declass::app
