// Runs a piece of work on untrusted input in a forked child process with memory, CPU and wall-clock
// limits, and passes its result bytes back through a pipe. A crash, hang or limit hit in the child
// becomes an Error(input) in the parent instead of taking declass down. POSIX only.
#pragma once
#include <cstddef>
#include <functional>
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

}  // namespace declass
