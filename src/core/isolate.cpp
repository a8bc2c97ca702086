// Isolated execution of work on untrusted input (see isolate.hpp): fork a child, apply RLIMIT_AS /
// RLIMIT_CPU, run the work, send a framed result back through a pipe and _exit; the parent reads it
// with poll() under a wall-clock deadline and turns crashes, limits and timeouts into Error(input).
#include "core/isolate.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
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
#include <new>
#include <string_view>
#include <vector>

#include "core/child_process.hpp"
#include "core/error.hpp"

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

// Frame: "DCLI" + status byte + body.
//   status 0: u64 payload length + payload
//   status 1: declass::Error — category byte, u32 where length + where, u32 message length + message
//   status 2: other exception — u32 length + what()
//   status 3: out of memory (std::bad_alloc)
constexpr char k_magic[4] = {'D', 'C', 'L', 'I'};
constexpr unsigned char k_ok = 0, k_error = 1, k_exception = 2, k_oom = 3;
constexpr std::size_t k_max_text = 4096;  // error strings are clipped to this
constexpr char k_piece_tag = 'P';         // a piece of a streamed result (never the first byte of k_magic)
constexpr std::size_t k_max_piece = std::size_t{1} << 30;

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}
void put_str(std::string& out, const std::string& s) {
  std::string_view v(s);
  if (v.size() > k_max_text) v = v.substr(0, k_max_text);
  put_u32(out, static_cast<std::uint32_t>(v.size()));
  out.append(v);
}


// Reads the frame back; returns false when it is truncated or malformed.
struct Reader {
  std::string_view in;
  std::size_t pos = 0;
  bool u32(std::uint32_t& v) {
    if (in.size() - pos < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    pos += 4;
    return true;
  }
  bool u64(std::uint64_t& v) {
    if (in.size() - pos < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    pos += 8;
    return true;
  }
  bool str(std::string& s) {
    std::uint32_t n = 0;
    if (!u32(n) || in.size() - pos < n) return false;
    s.assign(in.substr(pos, n));
    pos += n;
    return true;
  }
};

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

[[noreturn]] void run_child(int fd, const std::function<std::string(const PieceSink&)>& work, const IsolationLimits& limits) {
  std::signal(SIGPIPE, SIG_IGN);
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
  std::string frame;
  std::string payload;
  int code = 0;
  // A piece: 'P', u32 length, bytes — written as the work produces it (see run_isolated_pieces).
  const PieceSink emit = [fd](std::string_view piece) {
    if (piece.size() > k_max_piece) throw std::length_error("a result piece is larger than 1 GiB");
    std::string head(1, k_piece_tag);
    put_u32(head, static_cast<std::uint32_t>(piece.size()));
    if (!write_all(fd, head.data(), head.size()) || !write_all(fd, piece.data(), piece.size())) ::_exit(3);
  };
  try {
    payload = work(emit);
    frame.append(k_magic, 4);
    frame.push_back(static_cast<char>(k_ok));
    put_u64(frame, payload.size());
  } catch (const Error& e) {
    frame.assign(k_magic, 4);
    frame.push_back(static_cast<char>(k_error));
    frame.push_back(static_cast<char>(e.category()));
    put_str(frame, e.where());
    put_str(frame, e.message());
  } catch (const std::bad_alloc&) {
    frame.assign(k_magic, 4);
    frame.push_back(static_cast<char>(k_oom));
  } catch (const std::exception& e) {
    frame.assign(k_magic, 4);
    frame.push_back(static_cast<char>(k_exception));
    put_str(frame, e.what());
  } catch (...) {
    frame.assign(k_magic, 4);
    frame.push_back(static_cast<char>(k_exception));
    put_str(frame, "unknown exception");
  }
  if (!write_all(fd, frame.data(), frame.size()) || !write_all(fd, payload.data(), payload.size())) code = 3;
  ::close(fd);
  ::_exit(code);
}


}  // namespace

namespace {

bool isolation_disabled() {
  const char* no_iso = std::getenv("DECLASS_NO_ISOLATION");
  return no_iso && std::string_view(no_iso) == "1";
}

// Forks the worker, hands every piece it emits to `consume` as it arrives, and returns the payload of
// its final ok frame (errors, crashes, limits and malformed streams become exceptions as documented).
std::string run_worker(const std::string& what, const std::function<std::string(const PieceSink&)>& work,
                       const PieceSink& consume, const IsolationLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorCategory::internal, what, std::string("cannot create a pipe for the worker: ") + std::strerror(errno));
  // A larger pipe buffer (best effort; Linux caps it at /proc/sys/fs/pipe-max-size) means far fewer
  // writer/reader switches for results of many megabytes (glyph lists, rewritten PDFs).
#ifdef F_SETPIPE_SZ
  (void)::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
#endif
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(ErrorCategory::internal, what, std::string("cannot start a worker process: ") + std::strerror(err));
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], work, limits);
  }
  ::close(fds[1]);
  const int rfd = fds[0];

  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::seconds(limits.wall_seconds > 0 ? limits.wall_seconds : 1);
  std::string data;     // the frame; for an ok frame only its 13-byte header, the result going to `payload`
  std::string payload;  // an ok frame's result, reserved to its announced size once the header is in
  bool in_payload = false;
  constexpr std::size_t k_ok_header = 4 + 1 + 8;
  std::string pieces;   // streamed pieces not yet handed to `consume` (they come before the frame)
  std::size_t piece_at = 0;
  bool in_frame = false, garbage = false;
  bool timed_out = false, read_failed = false;
  std::vector<char> buf(std::size_t{1} << 20);  // matches the pipe size asked for above
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd p {};
    p.fd = rfd;
    p.events = POLLIN;
    int r = ::poll(&p, 1, static_cast<int>(left > 1000000 ? 1000000 : left));
    if (r < 0) {
      if (errno == EINTR) continue;
      read_failed = true;
      break;
    }
    if (r == 0) continue;  // re-check the deadline
    ssize_t n = ::read(rfd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      read_failed = true;
      break;
    }
    if (n == 0) break;  // EOF: the child closed its end (exited)
    if (in_payload) {
      payload.append(buf.data(), static_cast<std::size_t>(n));
      continue;
    }
    if (!in_frame) {
      pieces.append(buf.data(), static_cast<std::size_t>(n));
      while (piece_at < pieces.size()) {
        if (pieces[piece_at] != k_piece_tag) {  // the final frame begins
          in_frame = true;
          data.assign(pieces, piece_at, std::string::npos);
          pieces.clear();
          piece_at = 0;
          break;
        }
        if (pieces.size() - piece_at < 5) break;
        std::uint32_t len = 0;
        for (int i = 0; i < 4; ++i) len |= static_cast<std::uint32_t>(static_cast<unsigned char>(pieces[piece_at + 1 + static_cast<std::size_t>(i)])) << (8 * i);
        if (len > k_max_piece) {
          garbage = true;
          break;
        }
        if (pieces.size() - piece_at - 5 < len) break;
        try {
          consume(std::string_view(pieces).substr(piece_at + 5, len));
        } catch (...) {  // the parent gave up on the result: stop the worker, then report
          ::close(rfd);
          ::kill(pid, SIGKILL);
          wait_child(pid);
          throw;
        }
        piece_at += 5 + len;
      }
      if (garbage) break;
      if (piece_at > 0 && piece_at * 2 >= pieces.size()) {
        pieces.erase(0, piece_at);
        piece_at = 0;
      }
      if (!in_frame) continue;
    } else {
      data.append(buf.data(), static_cast<std::size_t>(n));
    }
    // An ok frame announces its length: reserve it once (no regrowth copies, no shifting at the end).
    if (data.size() >= k_ok_header && data.compare(0, 4, k_magic, 4) == 0 && static_cast<unsigned char>(data[4]) == k_ok) {
      std::uint64_t announced = 0;
      for (int i = 0; i < 8; ++i) announced |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[5 + i])) << (8 * i);
      try {
        payload.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(announced, std::uint64_t{1} << 32)));
      } catch (const std::bad_alloc&) {
        // not worth failing over: the result then grows as it arrives (and its size is checked at the end)
      }
      payload.append(data, k_ok_header, std::string::npos);
      data.resize(k_ok_header);
      in_payload = true;
    }
  }
  ::close(rfd);
  if (garbage) {
    ::kill(pid, SIGKILL);
    wait_child(pid);
    refuse(what, "the reader sent a malformed result");
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
    wait_child(pid);
    refuse(what, "took longer than " + std::to_string(limits.wall_seconds) + " s");
  }
  if (read_failed) {
    ::kill(pid, SIGKILL);
    wait_child(pid);
    throw Error(ErrorCategory::internal, what, "reading the worker's result failed");
  }
  const int status = wait_child(pid);
  if (status == -1) throw Error(ErrorCategory::internal, what, "lost track of the worker process");
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGXCPU || (sig == SIGKILL && limits.cpu_seconds > 0 && data.empty()))
      refuse(what, "exceeded the CPU time limit of " + std::to_string(limits.cpu_seconds) + " s (worker killed by signal " +
                       std::to_string(sig) + ")");
    const char* name = signal_name(sig);
    refuse(what, "the reader crashed (signal " + std::to_string(sig) + (name ? std::string(", ") + name : std::string()) + ")");
  }

  Reader rd{data};
  bool frame_ok = data.size() >= 5 && data.compare(0, 4, k_magic, 4) == 0;
  if (frame_ok) {
    rd.pos = 5;
    const auto kind = static_cast<unsigned char>(data[4]);
    if (kind == k_ok) {
      std::uint64_t n = 0;
      if (rd.u64(n) && in_payload && data.size() == rd.pos && payload.size() == n) return payload;
    } else if (kind == k_error) {
      if (data.size() > rd.pos) {
        auto cat = static_cast<unsigned char>(data[rd.pos++]);
        std::string where, message;
        if (cat <= static_cast<unsigned char>(ErrorCategory::internal) && rd.str(where) && rd.str(message))
          throw Error(static_cast<ErrorCategory>(cat), where, message);
      }
    } else if (kind == k_oom) {
      refuse(what, "exceeded the memory limit of " + std::to_string(limits.memory_bytes >> 20) + " MiB");
    } else if (kind == k_exception) {
      std::string msg;
      if (rd.str(msg)) refuse(what, "the reader failed (" + msg + ")");
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    refuse(what, "the reader exited with status " + std::to_string(WEXITSTATUS(status)) + " without a result");
  refuse(what, "the reader returned a truncated or malformed result");
}

}  // namespace

std::string run_isolated(const std::string& what, const std::function<std::string()>& work,
                         const IsolationLimits& limits) {
  if (isolation_disabled()) return work();
  return run_worker(
      what, [&](const PieceSink&) { return work(); },
      [&](std::string_view) { throw Error(ErrorCategory::internal, what, "the worker sent pieces to a caller expecting one result"); },
      limits);
}

void run_isolated_pieces(const std::string& what, const std::function<void(const PieceSink& emit)>& work,
                         const PieceSink& consume, const IsolationLimits& limits) {
  if (isolation_disabled()) return work(consume);
  std::string rest = run_worker(
      what,
      [&](const PieceSink& emit) {
        work(emit);
        return std::string();
      },
      consume, limits);
  if (!rest.empty()) refuse(what, "the reader returned a malformed result");
}

}  // namespace declass
