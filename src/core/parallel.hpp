// Runs independent jobs in forked child processes, a few at a time, and hands their results back in
// job order: `declass redact --jobs N` over many files. Each child runs one job and exits; a child
// that dies without a result gives a null result for its job, and the others go on. POSIX only.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

namespace declass {

// work(k) runs in a child for k = 0 .. count-1 (at most `jobs` children at once) and returns the job's
// result; it must not write to stdout/stderr. on_result(k, result or nullptr) is called in the parent
// for k = 0, 1, ... in that order, as soon as job k and all before it are done. If on_result throws,
// the running children are killed and the exception propagates.
void run_in_processes(std::size_t count, int jobs, const std::function<std::string(std::size_t)>& work,
                      const std::function<void(std::size_t, const std::string*)>& on_result);

}  // namespace declass
