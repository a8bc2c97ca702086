// Internal to core: the fork server behind core/isolate.hpp's named jobs. A small process forked
// before any document is read forks one fresh child per job, so a worker starts from a tiny heap
// instead of a copy of the whole parent, and the parent's own pages are not made copy-on-write by
// every job. Each job still gets its own process, limits and pipe; only the forking moves.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string_view>

namespace declass::detail {

// What a child of the fork server runs for a job: it writes the framed result to `result_fd`, reads
// the parent's messages from `input_fd` (-1: none) and never returns (isolate.cpp's run_job_child).
using JobChildMain = void (*)(int result_fd, int input_fd, std::string_view job, std::string_view args,
                              std::size_t memory_bytes, int cpu_seconds);

// One job running in a child of the fork server. The server runs one job at a time: this holds it
// until the job is reaped (wait(), or the destructor, which kills and reaps a job still running), or
// until release(): the caller has the job's whole result and does not need its exit status, so the
// next job may start while this one's process is still exiting (the server reaps it).
class ForkServerJob {
 public:
  ForkServerJob(std::unique_lock<std::mutex> lock, int result_fd, pid_t pid, int pidfd);
  ~ForkServerJob();
  ForkServerJob(const ForkServerJob&) = delete;
  ForkServerJob& operator=(const ForkServerJob&) = delete;

  int result_fd() const { return m_result_fd; }  // read end of the job's result pipe (owned by the caller)
  void kill();                                     // SIGKILL to the job's child
  int wait();                                      // its wait status, or -1 when it cannot be had
  void release();                                  // neither wait nor kill: the job has ended its work

 private:
  std::unique_lock<std::mutex> m_lock;
  int m_result_fd;
  pid_t m_pid;
  int m_pidfd;
  bool m_waited = false;
};

// Starts the fork server now if this process may use one (see start_job_on_fork_server). Call it
// early, while the process is small and has one thread (main() does); otherwise the first job starts it.
void start_fork_server(JobChildMain child_main);

// Runs `job` with `args` in a new child of this process's fork server. Returns nullptr when the
// server cannot take the job — turned off (DECLASS_FORK_SERVER=0), busy with another thread's job,
// started by a parent process rather than this one, or broken — and the caller then forks directly.
// `args` are written one after the other into the memory file the child maps; `input_fd` (-1: none)
// is passed to the child as its end of a message channel (the caller keeps and closes its own copy).
std::unique_ptr<ForkServerJob> start_job_on_fork_server(std::string_view job, std::initializer_list<std::string_view> args,
                                                        int input_fd, std::size_t memory_bytes, int cpu_seconds,
                                                        JobChildMain child_main);

}  // namespace declass::detail
