// Isolated execution of work on untrusted input (see isolate.hpp): a child process (forked from the
// fork server for named jobs, from the caller for closures) applies RLIMIT_AS / RLIMIT_CPU, runs the
// work, streams pieces and a framed result back through a pipe and _exits; the parent reads them with
// poll() under a wall-clock deadline and turns crashes, limits and timeouts into Error(input).
#include "core/isolate.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/child_process.hpp"
#include "core/error.hpp"
#include "core/fork_server.hpp"
#include "core/wire.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define DECLASS_ISOLATE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DECLASS_ISOLATE_ASAN 1
#endif
#endif

namespace declass {

using detail::wait_child;
using detail::write_all;

namespace {

// Child → parent: pieces ('P', u32 length, bytes) and stage ends ('E'), then one frame:
// "DCLI" + status byte + body.
//   status 0: u64 payload length + payload
//   status 1: declass::Error — category byte, u32 where length + where, u32 message length + message
//   status 2: other exception — u32 length + what()
//   status 3: out of memory (std::bad_alloc)
// Parent → child (conversations only): messages as u64 length + bytes.
constexpr char k_magic[4] = {'D', 'C', 'L', 'I'};
constexpr unsigned char k_ok = 0, k_error = 1, k_exception = 2, k_oom = 3;
constexpr std::size_t k_max_text = 4096;  // error strings are clipped to this
constexpr char k_piece_tag = 'P';         // a piece of a streamed result (never the first byte of k_magic)
constexpr char k_stage_tag = 'E';         // the job ended a stage of a conversation
constexpr std::size_t k_max_piece = std::size_t{1} << 30;
constexpr std::size_t k_read_buffer_size = std::size_t{1} << 20;  // matches the pipe size asked for
constexpr std::size_t k_ok_header = 4 + 1 + 8;

// Error texts in a frame are clipped to k_max_text.
std::string_view clipped(std::string_view s) { return s.size() > k_max_text ? s.substr(0, k_max_text) : s; }

std::uint64_t get_u64(const char* p) { return WireReader(std::string_view(p, 8), "worker frame").u64(); }

// The first `count` strings of a frame's body; nullopt when it is truncated or malformed.
std::optional<std::vector<std::string>> frame_strings(std::string_view body, int count) {
  try {
    WireReader r(body, "worker frame");
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back(r.str());
    return out;
  } catch (const Error&) {
    return std::nullopt;
  }
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGXCPU: return "SIGXCPU";
    case SIGTERM: return "SIGTERM";
    case SIGTRAP: return "SIGTRAP";
    default: return nullptr;
  }
}

[[noreturn]] void refuse(const std::string& what, const std::string& reason) {
  throw Error(ErrorCategory::input, what, reason + "; the file is malformed or too complex — refused");
}

bool read_all(int fd, char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// ---- the child ----------------------------------------------------------------------------------

using ChildWork = std::function<std::string(JobIO&)>;

// Runs `work` under the limits, writes its pieces and final frame to `fd`, and exits. `input_fd` is
// the parent's end of a conversation (-1 for a job that takes no messages).
[[noreturn]] void run_child(int fd, int input_fd, const ChildWork& work, const IsolationLimits& limits) {
  std::signal(SIGPIPE, SIG_IGN);
  // A worker lives for one document: memory it frees (a page's glyph records, say) is kept for its
  // next allocation instead of being unmapped and faulted in afresh (up to 32 MiB a block).
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // a crash in the worker must end the worker with its signal, not run the parent's handlers
  // (test frameworks, crash reporters): the parent maps the signal to a clear error
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
#ifndef DECLASS_ISOLATE_ASAN
  if (limits.memory_bytes > 0) {
    struct rlimit rl {};
    rl.rlim_cur = rl.rlim_max = static_cast<rlim_t>(limits.memory_bytes);
    ::setrlimit(RLIMIT_AS, &rl);
  }
#endif
  if (limits.cpu_seconds > 0) {
    struct rlimit rl {};
    rl.rlim_cur = static_cast<rlim_t>(limits.cpu_seconds);
    rl.rlim_max = static_cast<rlim_t>(limits.cpu_seconds) + 1;  // SIGXCPU first, SIGKILL one second later
    ::setrlimit(RLIMIT_CPU, &rl);
  }
  WireWriter frame;
  std::string payload;
  int code = 0;
  JobIO io;
  io.emit = [fd](std::string_view piece) {
    if (piece.size() > k_max_piece) throw std::length_error("a result piece is larger than 1 GiB");
    WireWriter head;
    head.u8(static_cast<unsigned char>(k_piece_tag));
    head.u32(static_cast<std::uint32_t>(piece.size()));
    if (!write_all(fd, head.view().data(), head.view().size()) || !write_all(fd, piece.data(), piece.size())) ::_exit(3);
  };
  io.end_stage = [fd] {
    if (!write_all(fd, &k_stage_tag, 1)) ::_exit(3);
  };
  io.receive = [input_fd]() -> std::string {
    char len[8];
    if (input_fd < 0 || !read_all(input_fd, len, 8)) throw std::runtime_error("no message from the parent");
    const std::uint64_t n = get_u64(len);
    if (n > (std::uint64_t{1} << 32)) throw std::runtime_error("a message from the parent is too large");
    std::string message(static_cast<std::size_t>(n), '\0');
    if (!read_all(input_fd, message.data(), message.size())) throw std::runtime_error("a message from the parent ended early");
    return message;
  };
  auto start = [&frame](unsigned char kind) {
    frame.clear();
    frame.put(k_magic, 4);
    frame.u8(kind);
  };
  try {
    payload = work(io);
    start(k_ok);
    frame.u64(payload.size());
  } catch (const Error& e) {
    start(k_error);
    frame.u8(static_cast<unsigned char>(e.category()));
    frame.str(clipped(e.where()));
    frame.str(clipped(e.message()));
  } catch (const std::bad_alloc&) {
    start(k_oom);
  } catch (const std::exception& e) {
    start(k_exception);
    frame.str(clipped(e.what()));
  } catch (...) {
    start(k_exception);
    frame.str("unknown exception");
  }
  if (!write_all(fd, frame.view().data(), frame.view().size()) || !write_all(fd, payload.data(), payload.size())) code = 3;
  ::close(fd);
  ::_exit(code);
}

// ---- starting a worker --------------------------------------------------------------------------

bool isolation_disabled() {
  const char* no_iso = std::getenv("DECLASS_NO_ISOLATION");
  return no_iso && std::string_view(no_iso) == "1";
}

// A started worker process: the read end of its result pipe, the parent's end of its message channel
// (conversations; else -1), and how to kill and reap it.
struct Worker {
  int fd = -1;
  int input_fd = -1;
  std::function<void()> kill;
  std::function<int()> wait;     // the wait status, or -1 when it cannot be had
  std::function<void()> release;  // fork-server jobs: let the process exit unwaited for (empty: wait)
};

// The channel for a conversation's messages: a socket pair, so that writing to a worker that died
// gives EPIPE (MSG_NOSIGNAL) rather than a SIGPIPE in the parent.
void open_message_channel(const std::string& what, int ends[2]) {
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    throw Error(ErrorCategory::internal, what, std::string("cannot create a channel to the worker: ") + std::strerror(errno));
}

// Forks the caller itself to run `work` (closures, and named jobs the fork server cannot take).
Worker fork_worker(const std::string& what, const ChildWork& work, const IsolationLimits& limits, bool conversation) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorCategory::internal, what, std::string("cannot create a pipe for the worker: ") + std::strerror(errno));
  // A larger pipe buffer (best effort; Linux caps it at /proc/sys/fs/pipe-max-size) means far fewer
  // writer/reader switches for results of many megabytes (glyph lists, rewritten PDFs).
#ifdef F_SETPIPE_SZ
  (void)::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
#endif
  int channel[2] = {-1, -1};
  if (conversation) {
    try {
      open_message_channel(what, channel);
    } catch (...) {
      ::close(fds[0]);
      ::close(fds[1]);
      throw;
    }
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    for (int fd : {fds[0], fds[1], channel[0], channel[1]})
      if (fd >= 0) ::close(fd);
    throw Error(ErrorCategory::internal, what, std::string("cannot start a worker process: ") + std::strerror(err));
  }
  if (pid == 0) {
    ::close(fds[0]);
    if (channel[0] >= 0) ::close(channel[0]);
    run_child(fds[1], channel[1], work, limits);
  }
  ::close(fds[1]);
  if (channel[1] >= 0) ::close(channel[1]);
  return Worker{fds[0], channel[0], [pid] { ::kill(pid, SIGKILL); }, [pid] { return wait_child(pid); }, {}};
}

using JobRegistry = std::map<std::string, JobFunction, std::less<>>;
JobRegistry& job_registry() {
  static JobRegistry registry;
  return registry;
}

// What a child of the fork server runs: the named job under the given limits (never returns).
[[noreturn]] void run_job_child(int result_fd, int input_fd, std::string_view job, std::string_view args,
                                std::size_t memory_bytes, int cpu_seconds) {
  IsolationLimits limits;
  limits.memory_bytes = memory_bytes;
  limits.cpu_seconds = cpu_seconds;
  const auto& registry = job_registry();
  auto it = registry.find(job);
  const ChildWork work = [&](JobIO& io) -> std::string {
    if (it == registry.end()) throw std::runtime_error("no job named " + std::string(job));
    return it->second(args, io);
  };
  run_child(result_fd, input_fd, work, limits);
}

// The parts of a job's arguments as one string (the fork-free paths; the fork server writes them as they are).
std::string joined(JobArgs args) {
  std::size_t n = 0;
  for (std::string_view part : args) n += part.size();
  std::string all;
  all.reserve(n);
  for (std::string_view part : args) all.append(part);
  return all;
}

// The job in a child of the fork server when it can take it, else in a fork of the caller.
Worker start_job(const std::string& what, const IsolatedJob& job, JobArgs args, const IsolationLimits& limits,
                 bool conversation) {
  int channel[2] = {-1, -1};  // [0] stays with us, [1] goes to the job's child
  if (conversation) open_message_channel(what, channel);
  std::shared_ptr<detail::ForkServerJob> started = detail::start_job_on_fork_server(
      job.name(), args, channel[1], limits.memory_bytes, limits.cpu_seconds, &run_job_child);
  if (channel[1] >= 0) ::close(channel[1]);
  if (!started) {
    if (channel[0] >= 0) ::close(channel[0]);
    const JobFunction run = job.function();
    return fork_worker(what, [run, args](JobIO& io) { return run(joined(args), io); }, limits, conversation);
  }
  return Worker{started->result_fd(), channel[0], [started] { started->kill(); }, [started] { return started->wait(); },
                [started] { started->release(); }};
}

// ---- the parent's side --------------------------------------------------------------------------

// The buffer results are read through, one per thread for the life of the thread: a fresh megabyte
// per worker cost a page fault per 4 KiB on every document.
char* read_buffer() {
  thread_local std::unique_ptr<char[]> buf(new char[k_read_buffer_size]);
  return buf.get();
}

// Reads what a started worker sends: pieces (to a consumer) and stage ends, then its final frame.
class WorkerStream {
 public:
  WorkerStream(std::string what, Worker worker, const IsolationLimits& limits)
      : m_what(std::move(what)), m_worker(std::move(worker)), m_limits(limits),
        m_deadline(std::chrono::steady_clock::now() + std::chrono::seconds(limits.wall_seconds > 0 ? limits.wall_seconds : 1)) {}
  ~WorkerStream() {
    if (!m_reaped) stop();
    close_fds();
  }
  WorkerStream(const WorkerStream&) = delete;
  WorkerStream& operator=(const WorkerStream&) = delete;

  // Hands pieces to `consume` until the job ends a stage (true) or its stream ends (false).
  bool read(const PieceSink& consume) {
    if (m_ended) return false;
    char* const buf = read_buffer();
    for (;;) {
      if (!m_in_frame) {
        const Drained d = drain_pieces(consume);
        if (d == Drained::stage_end) return true;
        if (d == Drained::garbage) break;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) {
        m_timed_out = true;
        break;
      }
      struct pollfd p {};
      p.fd = m_worker.fd;
      p.events = POLLIN;
      int r = ::poll(&p, 1, static_cast<int>(left > 1000000 ? 1000000 : left));
      if (r < 0) {
        if (errno == EINTR) continue;
        m_read_failed = true;
        break;
      }
      if (r == 0) continue;  // re-check the deadline
      ssize_t n = ::read(m_worker.fd, buf, k_read_buffer_size);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        m_read_failed = true;
        break;
      }
      if (n == 0) break;  // EOF: the child closed its end (exited)
      if (m_in_payload) {
        m_payload.append(buf, static_cast<std::size_t>(n));
      } else if (!m_in_frame) {
        m_pieces.append(buf, static_cast<std::size_t>(n));
      } else {
        m_data.append(buf, static_cast<std::size_t>(n));
        take_ok_header();
      }
    }
    m_ended = true;
    return false;
  }

  void send(std::string_view message) {
    WireWriter head;
    head.u64(message.size());
    if (m_worker.input_fd >= 0 && send_all(head.view()) && send_all(message)) return;
    // The worker has gone (crashed, hit a limit, failed): report why rather than the broken channel.
    if (!m_ended) read([](std::string_view) {});
    finish();
    throw Error(ErrorCategory::internal, m_what, "the worker is not taking messages");
  }

  // After read() returned false: reaps the worker and decodes its final frame.
  std::string finish() {
    if (!m_ended) throw Error(ErrorCategory::internal, m_what, "the worker's result was asked for before its end");
    close_fds();
    if (m_garbage) {
      stop();
      refuse(m_what, "the reader sent a malformed result");
    }
    if (m_timed_out) {
      stop();
      refuse(m_what, "took longer than " + std::to_string(m_limits.wall_seconds) + " s");
    }
    if (m_read_failed) {
      stop();
      throw Error(ErrorCategory::internal, m_what, "reading the worker's result failed");
    }
    // A whole, well-formed result frame was written after the job returned: how the process ends
    // afterwards cannot change it, so a fork-server job is not waited for (it exits while we go on).
    if (m_worker.release && complete_ok_frame()) {
      m_worker.release();
      m_reaped = true;
      return std::move(m_payload);
    }
    const int status = m_worker.wait();
    m_reaped = true;
    if (status == -1) throw Error(ErrorCategory::internal, m_what, "lost track of the worker process");
    if (WIFSIGNALED(status)) {
      int sig = WTERMSIG(status);
      if (sig == SIGXCPU || (sig == SIGKILL && m_limits.cpu_seconds > 0 && m_data.empty()))
        refuse(m_what, "exceeded the CPU time limit of " + std::to_string(m_limits.cpu_seconds) + " s (worker killed by signal " +
                           std::to_string(sig) + ")");
      const char* name = signal_name(sig);
      refuse(m_what, "the reader crashed (signal " + std::to_string(sig) + (name ? std::string(", ") + name : std::string()) + ")");
    }
    if (m_data.size() >= 5 && m_data.compare(0, 4, k_magic, 4) == 0) {
      const auto kind = static_cast<unsigned char>(m_data[4]);
      const std::string_view body = std::string_view(m_data).substr(5);
      if (kind == k_ok) {
        if (body.size() == 8 && m_in_payload && m_payload.size() == get_u64(body.data())) return std::move(m_payload);
      } else if (kind == k_error) {
        if (!body.empty()) {
          auto cat = static_cast<unsigned char>(body[0]);
          auto texts = frame_strings(body.substr(1), 2);
          if (cat <= static_cast<unsigned char>(ErrorCategory::internal) && texts)
            throw Error(static_cast<ErrorCategory>(cat), (*texts)[0], (*texts)[1]);
        }
      } else if (kind == k_oom) {
        refuse(m_what, "exceeded the memory limit of " + std::to_string(m_limits.memory_bytes >> 20) + " MiB");
      } else if (kind == k_exception) {
        if (auto texts = frame_strings(body, 1)) refuse(m_what, "the reader failed (" + (*texts)[0] + ")");
      }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
      refuse(m_what, "the reader exited with status " + std::to_string(WEXITSTATUS(status)) + " without a result");
    refuse(m_what, "the reader returned a truncated or malformed result");
  }

  void rename(std::string what) { m_what = std::move(what); }

  bool complete_ok_frame() const {
    if (m_data.size() != 5 + 8 || m_data.compare(0, 4, k_magic, 4) != 0) return false;
    if (static_cast<unsigned char>(m_data[4]) != k_ok) return false;
    return m_in_payload && m_payload.size() == get_u64(m_data.data() + 5);
  }

  // Kills and reaps the worker (a consumer gave up, or the conversation was abandoned).
  void stop() {
    if (m_reaped) return;
    m_worker.kill();
    m_worker.wait();
    m_reaped = true;
  }

 private:
  enum class Drained { more, stage_end, garbage };

  // Hands every complete piece in m_pieces to `consume`; stops at a stage end or where the final frame begins.
  Drained drain_pieces(const PieceSink& consume) {
    Drained result = Drained::more;
    while (m_piece_at < m_pieces.size()) {
      const char tag = m_pieces[m_piece_at];
      if (tag == k_stage_tag) {
        ++m_piece_at;
        result = Drained::stage_end;
        break;
      }
      if (tag != k_piece_tag) {  // the final frame begins
        m_in_frame = true;
        m_data.assign(m_pieces, m_piece_at, std::string::npos);
        m_pieces.clear();
        m_piece_at = 0;
        take_ok_header();
        return Drained::more;
      }
      if (m_pieces.size() - m_piece_at < 5) break;
      const std::uint32_t len = WireReader(std::string_view(m_pieces).substr(m_piece_at + 1, 4), "worker piece").u32();
      if (len > k_max_piece) {
        m_garbage = true;
        return Drained::garbage;
      }
      if (m_pieces.size() - m_piece_at - 5 < len) break;
      try {
        consume(std::string_view(m_pieces).substr(m_piece_at + 5, len));
      } catch (...) {  // the parent gave up on the result: stop the worker, then report
        close_fds();
        stop();
        m_ended = true;
        throw;
      }
      m_piece_at += 5 + len;
    }
    if (m_piece_at > 0 && m_piece_at * 2 >= m_pieces.size()) {
      m_pieces.erase(0, m_piece_at);
      m_piece_at = 0;
    }
    return result;
  }

  // An ok frame announces its length: reserve it once (no regrowth copies, no shifting at the end).
  void take_ok_header() {
    if (m_in_payload || m_data.size() < k_ok_header || m_data.compare(0, 4, k_magic, 4) != 0 ||
        static_cast<unsigned char>(m_data[4]) != k_ok)
      return;
    const std::uint64_t announced = get_u64(m_data.data() + 5);
    try {
      m_payload.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(announced, std::uint64_t{1} << 32)));
    } catch (const std::bad_alloc&) {
      // not worth failing over: the result then grows as it arrives (and its size is checked at the end)
    }
    m_payload.append(m_data, k_ok_header, std::string::npos);
    m_data.resize(k_ok_header);
    m_in_payload = true;
  }

  bool send_all(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(m_worker.input_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  void close_fds() {
    for (int* fd : {&m_worker.fd, &m_worker.input_fd}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
  }

  std::string m_what;
  Worker m_worker;
  IsolationLimits m_limits;
  std::chrono::steady_clock::time_point m_deadline;
  std::string m_pieces;  // received bytes of pieces not yet handed on (they come before the frame)
  std::size_t m_piece_at = 0;
  std::string m_data;     // the frame; for an ok frame only its 13-byte header, the result going to m_payload
  std::string m_payload;  // an ok frame's result, reserved to its announced size once the header is in
  bool m_in_frame = false, m_in_payload = false, m_ended = false, m_reaped = false;
  bool m_garbage = false, m_timed_out = false, m_read_failed = false;
};

// A job with no conversation: its pieces to `consume`, then its result.
std::string run_worker(const std::string& what, Worker worker, const PieceSink& consume, const IsolationLimits& limits) {
  WorkerStream stream(what, std::move(worker), limits);
  if (stream.read(consume)) {
    stream.stop();
    refuse(what, "the reader ended a stage of a job that has none");
  }
  return stream.finish();
}

// A consumer for callers that expect one result: pieces from the worker are a protocol error.
PieceSink refuse_pieces(const std::string& what) {
  return [&what](std::string_view) {
    throw Error(ErrorCategory::internal, what, "the worker sent pieces to a caller expecting one result");
  };
}

// In-process runs (DECLASS_NO_ISOLATION=1): a JobIO whose pieces go straight to `consume`.
JobIO in_process_io(const PieceSink& consume) {
  JobIO io;
  io.emit = consume;
  io.end_stage = [] { throw Error(ErrorCategory::internal, "isolated job", "stages need a worker process"); };
  io.receive = []() -> std::string { throw Error(ErrorCategory::internal, "isolated job", "messages need a worker process"); };
  return io;
}

}  // namespace

std::string run_isolated(const std::string& what, const std::function<std::string()>& work,
                         const IsolationLimits& limits) {
  if (isolation_disabled()) return work();
  const ChildWork child_work = [&](JobIO&) { return work(); };
  return run_worker(what, fork_worker(what, child_work, limits, false), refuse_pieces(what), limits);
}

void run_isolated_pieces(const std::string& what, const std::function<void(const PieceSink& emit)>& work,
                         const PieceSink& consume, const IsolationLimits& limits) {
  if (isolation_disabled()) return work(consume);
  const ChildWork child_work = [&](JobIO& io) {
    work(io.emit);
    return std::string();
  };
  if (!run_worker(what, fork_worker(what, child_work, limits, false), consume, limits).empty())
    refuse(what, "the reader returned a malformed result");
}

IsolatedJob::IsolatedJob(const char* name, JobFunction run) : m_name(name), m_run(run) {
  auto& registry = job_registry();
  if (std::strlen(name) >= 64 || !registry.emplace(name, run).second) std::abort();  // a programming error
}

std::string run_isolated_job(const std::string& what, const IsolatedJob& job, JobArgs args,
                             const IsolationLimits& limits) {
  if (isolation_disabled()) {
    JobIO io = in_process_io(refuse_pieces(what));
    return job.function()(joined(args), io);
  }
  return run_worker(what, start_job(what, job, args, limits, false), refuse_pieces(what), limits);
}

void run_isolated_job_pieces(const std::string& what, const IsolatedJob& job, JobArgs args, const PieceSink& consume,
                             const IsolationLimits& limits) {
  if (isolation_disabled()) {
    JobIO io = in_process_io(consume);
    if (!job.function()(joined(args), io).empty()) refuse(what, "the reader returned a malformed result");
    return;
  }
  if (!run_worker(what, start_job(what, job, args, limits, false), consume, limits).empty())
    refuse(what, "the reader returned a malformed result");
}

struct IsolatedConversation::Impl {
  std::unique_ptr<WorkerStream> stream;
};

IsolatedConversation::IsolatedConversation(const std::string& what, const IsolatedJob& job, JobArgs args,
                                           const IsolationLimits& limits)
    : m(std::make_unique<Impl>()) {
  if (isolation_disabled())
    throw Error(ErrorCategory::internal, what, "a conversation with a worker needs isolation (DECLASS_NO_ISOLATION is set)");
  m->stream = std::make_unique<WorkerStream>(what, start_job(what, job, args, limits, true), limits);
}
IsolatedConversation::~IsolatedConversation() = default;

bool IsolatedConversation::read_stage(const PieceSink& consume) { return m->stream->read(consume); }
void IsolatedConversation::send(std::string_view message) { m->stream->send(message); }
std::string IsolatedConversation::finish() {
  m->stream->read([](std::string_view) {
    throw Error(ErrorCategory::internal, "isolated job", "the worker sent pieces after its last stage");
  });
  return m->stream->finish();
}

void IsolatedConversation::rename(std::string what) { m->stream->rename(std::move(what)); }

bool isolation_enabled() { return !isolation_disabled(); }

void start_isolation_server() {
  if (!isolation_disabled()) detail::start_fork_server(&run_job_child);
}

}  // namespace declass
