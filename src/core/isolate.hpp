// Runs a piece of work on untrusted input in a child process of its own with memory, CPU and
// wall-clock limits, and passes its result bytes back through a pipe. A crash, hang or limit hit in
// the child becomes an Error(input) in the parent instead of taking declass down. Named jobs start
// from the small fork server (core/fork_server.hpp); closures fork the caller directly. POSIX only.
#pragma once
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace declass {

struct IsolationLimits {
  std::size_t memory_bytes = std::size_t{4} << 30;  // RLIMIT_AS (not applied under AddressSanitizer)
  int cpu_seconds = 120;                            // RLIMIT_CPU
  int wall_seconds = 180;                           // parent kills the child after this
};

// `what` names the job in messages ("reading PDF report.pdf"). The child's declass::Error is passed
// back and rethrown with its category; any other failure (signal, limit, timeout, garbage output)
// throws Error(input, what, "...; the file is malformed or too complex — refused").
// When DECLASS_NO_ISOLATION=1 is set (debugging only) the work runs in-process.
std::string run_isolated(const std::string& what, const std::function<std::string()>& work,
                         const IsolationLimits& limits = {});

// The same for a result too large to hold twice: the worker sends it in pieces as it goes (`emit`,
// up to 1 GiB each) and the parent hands each piece, in order, to `consume` as soon as it has arrived,
// while the worker goes on. Errors as for run_isolated — possibly after some pieces were consumed, so
// the caller must discard what it built from them. An exception from `consume` kills the worker and
// propagates.
using PieceSink = std::function<void(std::string_view)>;
void run_isolated_pieces(const std::string& what, const std::function<void(const PieceSink& emit)>& work,
                         const PieceSink& consume, const IsolationLimits& limits = {});

// What a named job is given besides its arguments.
struct JobIO {
  PieceSink emit;                        // a piece of the result, to the parent now
  std::function<void()> end_stage;       // conversations: this stage's pieces have all been emitted
  std::function<std::string()> receive;  // conversations: the parent's next message (blocks; throws if none)
};

// A named job: a function of argument bytes (its result returned, or sent in pieces through io.emit).
// Define each at namespace scope — `const IsolatedJob k_read_job{"pdf.read", &read_job};` — which
// registers it, so that the fork server, a copy of the process made early, finds it by name. Nothing
// of the caller's memory reaches the job but its arguments (and, in a conversation, its messages).
using JobFunction = std::string (*)(std::string_view args, JobIO& io);
class IsolatedJob {
 public:
  IsolatedJob(const char* name, JobFunction run);  // name: unique, under 64 bytes
  const char* name() const { return m_name; }
  JobFunction function() const { return m_run; }

 private:
  const char* m_name;
  JobFunction m_run;
};

// run_isolated and run_isolated_pieces for a named job. The job runs in a fresh child of the fork
// server (or, when that cannot take it, of the caller); errors exactly as documented above. Its
// arguments are the concatenation of `args` (parts, so that a file's bytes need not be copied into
// one string first).
using JobArgs = std::initializer_list<std::string_view>;
std::string run_isolated_job(const std::string& what, const IsolatedJob& job, JobArgs args,
                             const IsolationLimits& limits = {});
void run_isolated_job_pieces(const std::string& what, const IsolatedJob& job, JobArgs args, const PieceSink& consume,
                             const IsolationLimits& limits = {});

// A conversation with one named job in one worker process: read the pieces of a stage, send the
// job a message, read the next stage ..., then finish() for its result. Errors as run_isolated, from
// whichever call meets them; destroying the object before finish() kills the worker. Needs isolation:
// throws Error(internal) when DECLASS_NO_ISOLATION=1 (callers check isolation_enabled() first).
class IsolatedConversation {
 public:
  IsolatedConversation(const std::string& what, const IsolatedJob& job, JobArgs args, const IsolationLimits& limits = {});
  ~IsolatedConversation();
  IsolatedConversation(const IsolatedConversation&) = delete;
  IsolatedConversation& operator=(const IsolatedConversation&) = delete;

  bool read_stage(const PieceSink& consume);  // true: the job ended a stage; false: it ended (call finish())
  void send(std::string_view message);        // what the job's next io.receive() returns
  std::string finish();                       // the job's result
  void rename(std::string what);              // the job's name in errors from now on (a new step)

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

// False when DECLASS_NO_ISOLATION=1 asks for work to run in-process (debugging only).
bool isolation_enabled();

// Starts the fork server now, while the process is small and single-threaded (main() calls it before
// reading anything); without it, the first named job starts it. DECLASS_FORK_SERVER=0 turns it off.
void start_isolation_server();

}  // namespace declass
