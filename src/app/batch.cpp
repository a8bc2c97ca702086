// Batch pipeline (see batch.hpp): record discovery, parse/recommend in worker threads with one in-order
// store writer, the pipeline's accept → submit → approve, releases in worker processes (each with its
// own store connection), resume by content hash, and the summary with the exit code.
#include "app/batch.hpp"

#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <spdlog/spdlog.h>
#include <thread>
#include <vector>

#include "app/recommend.hpp"
#include "app/release_store.hpp"
#include "app/workspace.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"
#include "ingest/pdf_reader.hpp"
#include "review/workflow.hpp"

namespace fs = std::filesystem;

namespace declass::app {

namespace {

Json str_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// Runs a store step again when another process held the write lock past the busy timeout. Each
// workflow step is one transaction that rolls back on failure, so a retry never doubles anything.
template <class F>
auto with_busy_retry(F&& f) -> decltype(f()) {
  for (int attempt = 0;; ++attempt) {
    try {
      return f();
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::store || e.message().find("database is busy") == std::string::npos || attempt >= 5)
        throw;
      int ms = 200 << attempt;
      spdlog::warn("batch: store busy, retry {} in {} ms", attempt + 1, ms);
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
  }
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

std::string list_indexes(const std::vector<int>& v) {
  std::string out;
  std::size_t shown = std::min<std::size_t>(v.size(), 12);
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + std::to_string(v[i]);
  if (v.size() > shown) out += " and " + std::to_string(v.size() - shown) + " more";
  return out;
}

// Records of a folder (sorted, recursive, hidden entries and the output folder skipped) or a manifest.
std::vector<std::string> discover(const BatchOptions& o) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!o.in_dir.empty()) {
    if (!fs::is_directory(o.in_dir, ec))
      throw Error(ErrorCategory::usage, "--in " + o.in_dir, "not a folder; give a folder of records (or --manifest FILE)");
    fs::path out_canon = fs::weakly_canonical(o.out_dir, ec);
    if (out_canon == fs::weakly_canonical(o.in_dir, ec))
      throw Error(ErrorCategory::usage, "--out " + o.out_dir,
                  "is the --in folder; release files would be read back as records next time — use another folder");
    fs::recursive_directory_iterator it(o.in_dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw Error(ErrorCategory::input, o.in_dir, "cannot list the folder: " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) throw Error(ErrorCategory::input, o.in_dir, "cannot list the folder: " + ec.message());
      const fs::path p = it->path();
      std::string name = p.filename().string();
      bool dir = it->is_directory(ec);
      if (dir) {
        std::error_code ec2;
        if ((!name.empty() && name[0] == '.') || fs::weakly_canonical(p, ec2) == out_canon) it.disable_recursion_pending();
        continue;
      }
      if (name.empty() || name[0] == '.') continue;
      if (name.size() > 16 && name.compare(name.size() - 16, 16, ".declass-partial") == 0) continue;
      if (!it->is_regular_file(ec)) continue;
      out.push_back(p.string());
    }
    std::sort(out.begin(), out.end());
  } else {
    std::string text = io::read_file(o.manifest, 64u << 20);
    fs::path base = fs::path(o.manifest).parent_path();
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      std::string line = trim(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      start = nl == std::string::npos ? text.size() : nl + 1;
      if (line.empty() || line[0] == '#') continue;
      fs::path p(line);
      if (p.is_relative() && !base.empty()) p = base / p;
      out.push_back(p.string());
    }
  }
  return out;
}

std::string default_case_id(const BatchOptions& o) {
  fs::path p = fs::path(o.in_dir.empty() ? o.manifest : o.in_dir).lexically_normal();
  std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..") name = fs::absolute(p).lexically_normal().parent_path().filename().string();
  std::string id = "BATCH-" + doc_no_from_path(o.in_dir.empty() ? name : name + ".dir");
  return id.substr(0, 64);
}

// Does the policy decide every paragraph? (no flag, no refer, a recommendation for each paragraph)
struct Resolution {
  bool resolved = false;
  std::string reason;  // why not
};

Resolution resolve(const Json& recommend, std::size_t paragraphs) {
  Resolution r;
  if (paragraphs == 0) {
    r.reason = "no paragraphs were recognised in the record; a person must look at it";
    return r;
  }
  auto recs = review::parse_recommendations(recommend);
  std::map<int, const review::ParagraphRecommendation*> by_index;
  for (const auto& x : recs) by_index[x.index] = &x;
  std::vector<int> flagged, missing;
  std::string refers;
  for (int i = 1; i <= static_cast<int>(paragraphs); ++i) {
    auto it = by_index.find(i);
    if (it == by_index.end()) {
      missing.push_back(i);
      continue;
    }
    const auto& rec = *it->second;
    if (rec.policy_action == "flag" || rec.action == "review")
      flagged.push_back(i);
    else if (rec.action == "refer")
      refers += (refers.empty() ? "" : ", ") + std::to_string(i) + (rec.refer_to.empty() ? "" : " to " + rec.refer_to);
  }
  std::string why;
  auto add = [&](const std::string& s) { why += (why.empty() ? "" : "; ") + s; };
  if (!flagged.empty()) add("the policy flags paragraph(s) " + list_indexes(flagged) + " for human review");
  if (!refers.empty()) add("the policy refers paragraph(s) " + refers);
  if (!missing.empty()) add("no recommendation for paragraph(s) " + list_indexes(missing));
  if (why.empty() && recommend.is_object()) {
    auto nr = recommend.find("needs_review");
    if (nr != recommend.end() && nr->is_boolean() && nr->get<bool>()) add("the policy marks the record as needing review");
  }
  r.resolved = why.empty();
  r.reason = why;
  return r;
}

// Parse/recommend result of one record, filled by a worker thread.
struct Slot {
  bool ready = false;
  std::string sha;
  std::string error;
  bool known = false;  // content already in the case when the run started
  std::optional<review::DocumentInput> input;
  Resolution res;
};

struct ReleaseJob {
  std::size_t index = 0;  // record index
  std::string id, doc_no;
  bool resumed = false;   // in the case before this run (an earlier run stopped half-way, or had no key)
};

struct ReleaseDone {
  bool ok = false;
  std::string output, sha256, reason;
};

// Moves an approved document through release_document into <out>/<doc_no>.pdf, then verifies the
// file as written (signature, lint checklist, withheld terms, audit excerpt against this store, and
// the chain to --trust when given).
ReleaseDone release_one(Workspace& ws, const BatchOptions& o, const ReleaseJob& job, const Clock& clock) {
  fs::path out = fs::path(o.out_dir) / (job.doc_no + ".pdf");
  std::error_code ec;
  if (fs::exists(out, ec))
    throw Error(ErrorCategory::input, out.string(),
                "already exists but " + job.id + " is not released yet; move the file away (or choose another --out) and re-run");
  StoreReleaseOptions so;
  so.document = job.id;
  so.actor = o.authority;
  so.authority_title = o.authority_title;
  so.template_path = o.template_path;
  so.signing = o.signing;
  StoreReleaseResult r = with_busy_retry([&] { return release_document(ws, so, out.string(), clock); });
  VerifyInput vin;
  vin.pdf_path = out.string();
  vin.trust_path = o.trust_path;
  vin.withheld_terms = r.output.result.withheld_terms;
  vin.store_check = [&ws](const std::string& audit) {
    Json j = Json::parse(audit, nullptr, false);
    if (j.is_discarded()) return std::vector<std::string>{"release-audit.json is not valid JSON"};
    return ws.workflow().check_excerpt(j);
  };
  sign::VerifyReport rep = verify_release_file(vin);
  std::string bad;
  for (const auto& f : rep.failures) {
    if (o.trust_path.empty() && f.rfind("certificate chains to the trust anchor", 0) == 0) continue;
    bad += (bad.empty() ? "" : "; ") + f;
  }
  if (!bad.empty()) {
    for (const auto& t : vin.withheld_terms)
      if (!t.empty())
        for (auto p = bad.find(t); p != std::string::npos; p = bad.find(t)) bad.replace(p, t.size(), "<withheld>");
    throw Error(ErrorCategory::verification, out.string(), "released and recorded, but the written file failed verification: " + bad);
  }
  ReleaseDone d;
  d.ok = true;
  d.output = out.string();
  d.sha256 = r.output_sha256;
  d.reason = r.disposition + (r.stamp_codes.empty() ? "" : " " + r.stamp_codes);
  return d;
}

ReleaseDone release_guarded(Workspace* ws, const BatchOptions& o, const ReleaseJob& job, const Clock& clock) {
  ReleaseDone d;
  try {
    if (!ws) throw Error(ErrorCategory::store, o.db_path, "release worker could not open the store");
    return release_one(*ws, o, job, clock);
  } catch (const Error& e) {
    d.reason = e.what();
  } catch (const std::exception& e) {
    d.reason = std::string("internal error: ") + e.what();
  }
  return d;
}

bool write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Child process: its own store connection, its share of the releases, one JSON line per release.
[[noreturn]] void release_child(int fd, const BatchOptions& o, const std::vector<ReleaseJob>& jobs, const Clock& clock) {
  std::unique_ptr<Workspace> ws;
  std::string open_error;
  try {
    ws = std::make_unique<Workspace>(o.db_path, clock);
  } catch (const std::exception& e) {
    open_error = e.what();
  }
  for (const auto& j : jobs) {
    ReleaseDone d;
    if (ws) {
      d = release_guarded(ws.get(), o, j, clock);
    } else {
      d.reason = "release worker could not open the store: " + open_error;
    }
    Json line{{"i", j.index}, {"ok", d.ok}, {"output", d.output}, {"sha256", d.sha256}, {"reason", d.reason}};
    if (!write_all(fd, line.dump() + "\n")) break;
  }
  ws.reset();
  ::close(fd);
  ::_exit(0);
}

}  // namespace

Json batch_record_json(const BatchRecord& r) {
  return Json{{"schema", "declass.batch-event/1"}, {"event", "record"},     {"path", r.path},
              {"sha256", str_or_null(r.sha256)},   {"status", r.status},      {"reason", str_or_null(r.reason)},
              {"document", str_or_null(r.document)}, {"doc_no", str_or_null(r.doc_no)}, {"state", str_or_null(r.state)},
              {"output", str_or_null(r.output)},   {"output_sha256", str_or_null(r.output_sha256)}};
}

Json batch_summary_json(const BatchSummary& s) {
  double rate = s.seconds > 0 ? static_cast<double>(s.records) / s.seconds : 0.0;
  return Json{{"schema", "declass.batch-event/1"},
              {"event", "summary"},
              {"case", s.case_id},
              {"records", s.records},
              {"released", s.released},
              {"queued", s.queued},
              {"skipped", s.skipped},
              {"errors", s.errors},
              {"imported", s.imported},
              {"pending_review", s.pending_review},
              {"audit_chain", s.chain_ok ? Json("ok") : Json(s.chain_problem)},
              {"seconds", s.seconds},
              {"records_per_second", rate},
              {"exit_code", s.exit_code}};
}

BatchSummary run_batch(const BatchOptions& o, const Clock& clock, const BatchObserver& obs) {
  auto t0 = std::chrono::steady_clock::now();
  // ---- refuse bad setups before any work ----
  if (o.in_dir.empty() == o.manifest.empty())
    throw Error(ErrorCategory::usage, "--in/--manifest", "give exactly one of --in DIR or --manifest FILE");
  if (o.out_dir.empty()) throw Error(ErrorCategory::usage, "--out", "name the folder for release files (--out DIR)");
  if (o.jobs < 1 || o.jobs > 64) throw Error(ErrorCategory::usage, "--jobs " + std::to_string(o.jobs), "use 1 to 64 workers");
  std::string policy_text = io::read_file(o.policy_path, 4u * 1024u * 1024u);
  load_policy_checked(o.policy_path);
  auto ws = std::make_unique<Workspace>(o.db_path, clock);
  auto reviewer = ws->store().find_user(o.reviewer);
  if (!reviewer)
    throw Error(ErrorCategory::workflow, "--reviewer " + o.reviewer,
                "no such user; create the pipeline's reviewer identity once with 'declass user add " + o.reviewer +
                    " --role reviewer --as ADMIN' (a user of its own, never a person's or the authority's)");
  if (reviewer->role != "reviewer")
    throw Error(ErrorCategory::workflow, "--reviewer " + o.reviewer,
                "the pipeline reviewer must have role reviewer (it has " + reviewer->role + "); add a dedicated reviewer user");
  if (o.auto_release) {
    if (o.authority.empty())
      throw Error(ErrorCategory::usage, "--auto-release", "name the approving authority with --as AUTHORITY (and its key)");
    if (o.authority == o.reviewer)
      throw Error(ErrorCategory::workflow, "--as " + o.authority,
                  "separation of duties: the authority cannot be the pipeline reviewer " + o.reviewer + "; use another user");
    auto a = ws->store().find_user(o.authority);
    if (!a)
      throw Error(ErrorCategory::workflow, "--as " + o.authority,
                  "unknown user; add it first with 'declass user add " + o.authority + " --role authority --as ADMIN'");
    if (a->role != "authority")
      throw Error(ErrorCategory::workflow, "--as " + o.authority,
                  "a user with role " + a->role + " cannot approve or release (requires authority)");
    load_signing_identity(o.signing);  // a wrong key or passphrase fails here, before any import
    if (!o.trust_path.empty()) io::read_file(o.trust_path, 4u << 20);
  }
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec || !fs::is_directory(o.out_dir, ec))
    throw Error(ErrorCategory::input, "--out " + o.out_dir, "cannot create the output folder; check the path and permissions");

  std::vector<std::string> paths = discover(o);

  BatchSummary sum;
  sum.case_id = o.case_id.empty() ? default_case_id(o) : o.case_id;
  if (auto c = ws->store().find_case(sum.case_id)) {
    if (!c->policy_sha256 || *c->policy_sha256 != crypto::sha256_hex(policy_text))
      throw Error(ErrorCategory::usage, "--policy " + o.policy_path,
                  "case " + sum.case_id + " was created with another policy (" + c->policy_path.value_or("none") +
                      "); give that policy, or another --case");
  } else {
    with_busy_retry([&] {
      return ws->create_case(sum.case_id, o.requester, o.received.value_or(clock.today()), o.policy_path, o.reviewer);
    });
  }
  const std::size_t n = paths.size();
  sum.records = n;

  // What the case already holds: content hash → document, and the document numbers in use.
  std::map<std::string, store::DocumentRecord> stored;
  std::set<std::string> used_doc_nos;
  for (const auto& d : ws->store().list_documents(sum.case_id)) {
    stored.emplace(d.source_sha256, d);
    used_doc_nos.insert(d.doc_no);
  }
  std::set<std::string> known_shas;
  for (const auto& [sha, d] : stored) known_shas.insert(sha);

  if (obs.on_started)
    obs.on_started(Json{{"schema", "declass.batch-event/1"},
                        {"event", "started"},
                        {"case", sum.case_id},
                        {"records", n},
                        {"jobs", o.jobs},
                        {"policy", o.policy_path},
                        {"out", o.out_dir},
                        {"reviewer", o.reviewer},
                        {"auto_release", o.auto_release},
                        {"authority", str_or_null(o.auto_release ? o.authority : "")}});
  spdlog::info("batch: case {}, {} records, {} jobs, auto-release {}", sum.case_id, n, o.jobs, o.auto_release);

  std::vector<BatchRecord> records(n);
  std::size_t done = 0;
  auto emit = [&](BatchRecord& r) {
    if (r.status == "released") ++sum.released;
    else if (r.status == "queued") ++sum.queued;
    else if (r.status == "skipped") ++sum.skipped;
    else ++sum.errors;
    ++done;
    if (obs.on_record) obs.on_record(r);
    if (obs.on_progress) obs.on_progress(done, n, sum);
  };

  // ---- phase 1: parse + recommend in workers, store in input order by this thread ----
  std::vector<Slot> slots(n);
  std::mutex mu;
  std::condition_variable cv_ready, cv_space;
  std::size_t next = 0, committed = 0;
  bool stop = false;
  const std::size_t window = 8 + 4 * static_cast<std::size_t>(o.jobs);
  const std::string case_id = sum.case_id;
  auto worker = [&] {
    std::optional<rules::Policy> policy;
    for (;;) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lk(mu);
        cv_space.wait(lk, [&] { return stop || next >= n || next < committed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      Slot s;
      try {
        std::string bytes = io::read_file(paths[i], ingest::max_document_bytes);  // the limit of import_file
        s.sha = crypto::sha256_hex(bytes);
        if (known_shas.count(s.sha)) {
          s.known = true;
        } else {
          if (!policy) policy = load_policy_checked(o.policy_path);
          s.input = prepare_import(case_id, paths[i], std::move(bytes), "", *policy, o.review_date);
          s.res = resolve(s.input->recommend, s.input->paragraphs.size());
        }
      } catch (const Error& e) {
        s.error = e.what();
      } catch (const std::bad_alloc&) {
        s.error = paths[i] + ": out of memory while reading the record";
      } catch (const std::exception& e) {
        s.error = paths[i] + ": internal error: " + e.what();
      }
      {
        std::lock_guard<std::mutex> lk(mu);
        slots[i] = std::move(s);
        slots[i].ready = true;
      }
      cv_ready.notify_all();
    }
  };
  std::vector<std::thread> threads;
  struct Joiner {
    std::vector<std::thread>& t;
    std::mutex& m;
    bool& stop;
    std::condition_variable& cv;
    ~Joiner() {
      {
        std::lock_guard<std::mutex> lk(m);
        stop = true;
      }
      cv.notify_all();
      for (auto& th : t)
        if (th.joinable()) th.join();
    }
  } joiner{threads, mu, stop, cv_space};
  for (int k = 0; k < o.jobs; ++k) threads.emplace_back(worker);

  std::map<std::string, std::size_t> seen_this_run;  // sha → first record index
  std::vector<ReleaseJob> candidates;
  std::string not_requested = "auto-release not requested (--auto-release --as AUTHORITY with its key); queued for human review";
  for (std::size_t i = 0; i < n; ++i) {
    Slot s;
    {
      std::unique_lock<std::mutex> lk(mu);
      cv_ready.wait(lk, [&] { return slots[i].ready; });
      s = std::move(slots[i]);
      slots[i] = Slot{};
      committed = i + 1;
    }
    cv_space.notify_all();
    BatchRecord& r = records[i];
    r.path = paths[i];
    r.sha256 = s.sha;
    if (!s.error.empty()) {
      r.status = "error";
      r.reason = s.error;
      emit(r);
      continue;
    }
    if (auto seen = seen_this_run.find(s.sha); seen != seen_this_run.end()) {
      const BatchRecord& first = records[seen->second];
      r.document = first.document;
      r.doc_no = first.doc_no;
      r.status = "skipped";
      r.reason = "same content as " + first.path + (first.document.empty() ? "" : " (" + first.document + ")");
      if (!r.document.empty())
        if (auto d = ws->store().find_document(r.document)) r.state = d->status;
      emit(r);
      continue;
    }
    seen_this_run.emplace(s.sha, i);
    if (s.known) {
      const auto& d = stored.at(s.sha);
      r.document = d.id;
      r.doc_no = d.doc_no;
      r.state = d.status;
      if (o.auto_release && d.status != "released") {
        candidates.push_back(ReleaseJob{i, d.id, d.doc_no, true});  // an earlier run may have stopped half-way
        continue;
      }
      r.status = "skipped";
      r.reason = "already imported as " + d.id + " (" + d.status + ")";
      emit(r);
      continue;
    }
    review::DocumentInput& in = *s.input;
    if (used_doc_nos.count(in.doc_no)) {
      std::string base = in.doc_no.substr(0, 55) + "-" + s.sha.substr(0, 8);
      in.doc_no = base;
      for (int k = 2; used_doc_nos.count(in.doc_no); ++k) in.doc_no = base + "-" + std::to_string(k);
    }
    try {
      store::DocumentRecord d = with_busy_retry([&] { return ws->workflow().import_document(in, o.reviewer); });
      ++sum.imported;
      used_doc_nos.insert(d.doc_no);
      r.document = d.id;
      r.doc_no = d.doc_no;
      r.state = d.status;
    } catch (const Error& e) {
      r.status = "error";
      r.reason = e.what();
      emit(r);
      continue;
    }
    if (!o.auto_release) {
      r.status = "queued";
      r.reason = not_requested;
    } else if (!s.res.resolved) {
      r.status = "queued";
      r.reason = s.res.reason;
    } else {
      candidates.push_back(ReleaseJob{i, r.document, r.doc_no, false});
      continue;
    }
    emit(r);
  }
  {
    std::lock_guard<std::mutex> lk(mu);
    stop = true;
  }
  cv_space.notify_all();
  for (auto& th : threads) th.join();
  threads.clear();

  auto since = [&t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  spdlog::info("batch: import phase done at {:.2f} s ({} imported)", since(), sum.imported);
  // ---- phase 1b: the pipeline reviewer accepts and submits, the authority approves (in order) ----
  std::vector<ReleaseJob> jobs;
  for (const auto& c : candidates) {
    BatchRecord& r = records[c.index];
    try {
      review::DocumentView v = ws->workflow().view(c.id);
      std::string why;
      for (const auto& dec : v.decisions)
        if (dec.reviewer != o.reviewer || dec.basis != "accepted") why = "a person has recorded decisions on it; left to people";
      for (const auto& a : v.approvals)
        if (a.authority != o.authority || a.outcome != "approve") why = "an authority acted on it outside this pipeline; left to people";
      if (why.empty()) {
        Resolution res = resolve(Json::parse(v.document.recommend_json, nullptr, false), v.paragraphs.size());
        if (!res.resolved) why = res.reason;
      }
      std::string status = v.document.status;
      if (why.empty() && status == "imported") {
        auto acc = with_busy_retry([&] { return ws->workflow().accept(c.id, o.reviewer); });
        status = "in_review";
        if (!acc.needs_decision.empty())
          why = "the recommendations for paragraph(s) " + list_indexes(acc.needs_decision) +
                " cannot be applied as they stand; a person must decide";
      }
      if (why.empty() && status == "in_review") {
        with_busy_retry([&] { ws->workflow().submit(c.id, o.reviewer); return 0; });
        status = "submitted";
      }
      if (why.empty() && status == "submitted") {
        with_busy_retry([&] { ws->workflow().approve(c.id, o.authority); return 0; });
        status = "approved";
      }
      if (why.empty() && status != "approved") why = "it is " + status + "; left to people";
      r.state = status;
      if (why.empty()) {
        jobs.push_back(c);
        continue;
      }
      if (c.resumed) {
        r.status = "skipped";
        r.reason = "already imported as " + c.id + " (" + status + "): " + why;
      } else {
        r.status = "queued";
        r.reason = why;
      }
    } catch (const Error& e) {
      r.status = e.category() == ErrorCategory::workflow ? "queued" : "error";
      r.reason = e.what();
    }
    emit(r);
  }

  spdlog::info("batch: approval phase done at {:.2f} s ({} to release)", since(), jobs.size());
  // ---- phase 2: releases (worker processes with their own store connections when --jobs > 1) ----
  std::map<std::size_t, ReleaseDone> results;
  auto tick = [&] {
    if (obs.on_progress) obs.on_progress(done + results.size(), n, sum);
  };
  const std::size_t procs = std::min<std::size_t>(static_cast<std::size_t>(o.jobs), jobs.size());
  if (procs <= 1) {
    for (const auto& j : jobs) {
      results[j.index] = release_guarded(ws.get(), o, j, clock);
      tick();
    }
  } else if (!jobs.empty()) {
    ws.reset();  // never carry an open SQLite connection across fork()
    std::fflush(nullptr);
    std::cout.flush();
    std::cerr.flush();
    struct Child {
      pid_t pid = -1;
      int fd = -1;
      std::string buf;
      std::vector<ReleaseJob> share;
    };
    std::vector<Child> kids(procs);
    for (std::size_t k = 0; k < jobs.size(); ++k) kids[k % procs].share.push_back(jobs[k]);
    for (auto& kid : kids) {
      int fds[2];
      if (::pipe(fds) != 0) continue;
      pid_t pid = ::fork();
      if (pid == 0) {
        ::close(fds[0]);
        for (auto& other : kids)
          if (other.fd >= 0) ::close(other.fd);
        release_child(fds[1], o, kid.share, clock);
      }
      ::close(fds[1]);
      if (pid < 0) {
        ::close(fds[0]);
        continue;
      }
      kid.pid = pid;
      kid.fd = fds[0];
    }
    auto handle_line = [&](const std::string& line) {
      Json j = Json::parse(line, nullptr, false);
      if (!j.is_object() || !j.contains("i") || !j["i"].is_number_unsigned()) return;
      ReleaseDone d;
      d.ok = j.value("ok", false);
      d.output = j.value("output", "");
      d.sha256 = j.value("sha256", "");
      d.reason = j.value("reason", "");
      results[j["i"].get<std::size_t>()] = d;
      tick();
    };
    for (;;) {
      std::vector<pollfd> pfds;
      for (auto& kid : kids)
        if (kid.fd >= 0) pfds.push_back(pollfd{kid.fd, POLLIN, 0});
      if (pfds.empty()) break;
      if (::poll(pfds.data(), pfds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (auto& kid : kids) {
        if (kid.fd < 0) continue;
        bool readable = false;
        for (const auto& p : pfds)
          if (p.fd == kid.fd && (p.revents & (POLLIN | POLLHUP | POLLERR))) readable = true;
        if (!readable) continue;
        char buf[8192];
        ssize_t got = ::read(kid.fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
          ::close(kid.fd);
          kid.fd = -1;
          continue;
        }
        kid.buf.append(buf, static_cast<std::size_t>(got));
        for (std::size_t nl; (nl = kid.buf.find('\n')) != std::string::npos;) {
          handle_line(kid.buf.substr(0, nl));
          kid.buf.erase(0, nl + 1);
        }
      }
    }
    for (auto& kid : kids) {
      std::string how = "could not be started";
      if (kid.pid > 0) {
        int st = 0;
        while (::waitpid(kid.pid, &st, 0) < 0 && errno == EINTR) {
        }
        how = WIFSIGNALED(st) ? "was killed by signal " + std::to_string(WTERMSIG(st))
                              : "exited with status " + std::to_string(WEXITSTATUS(st));
      }
      for (const auto& j : kid.share)
        if (!results.count(j.index)) {
          ReleaseDone d;
          d.reason = "the release worker " + how + " before reporting " + j.id + "; re-run the batch to resume";
          results[j.index] = d;
        }
    }
    ws = std::make_unique<Workspace>(o.db_path, clock);
  }
  for (const auto& j : jobs) {
    BatchRecord& r = records[j.index];
    const ReleaseDone& d = results[j.index];
    if (auto doc = ws->store().find_document(j.id)) r.state = doc->status;
    if (d.ok) {
      r.status = "released";
      r.output = d.output;
      r.output_sha256 = d.sha256;
      r.reason = d.reason + (j.resumed ? " (resumed from an earlier run)" : "");
    } else {
      r.status = "error";
      r.reason = d.reason;
    }
    emit(r);
  }

  spdlog::info("batch: release phase done at {:.2f} s", since());
  // ---- summary ----
  for (const auto& r : records)
    if (!r.document.empty())
      if (auto d = ws->store().find_document(r.document); d && d->status != "released") ++sum.pending_review;
  auto chain = ws->store().verify_chain();
  sum.chain_ok = chain.ok;
  sum.chain_problem = chain.problem;
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sum.exit_code = (sum.errors > 0 || !sum.chain_ok) ? exit_code::error
                  : sum.pending_review > 0          ? exit_code::needs_review
                                                    : exit_code::ok;
  spdlog::info("batch: case {}: {} released, {} queued, {} skipped, {} errors in {:.1f} s", sum.case_id, sum.released,
               sum.queued, sum.skipped, sum.errors, sum.seconds);
  return sum;
}

}  // namespace declass::app
