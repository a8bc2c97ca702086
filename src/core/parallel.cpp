// run_in_processes (see parallel.hpp): fork a child per job with a pipe, poll the pipes of the running
// children, and release results in job order. Frame from a child: "DCLP", u64 length, bytes.
#include "core/parallel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <vector>

#include "core/child_process.hpp"
#include "core/error.hpp"

namespace declass {

namespace {

constexpr char k_magic[4] = {'D', 'C', 'L', 'P'};

struct Running {
  pid_t pid = -1;
  int fd = -1;
  std::size_t job = 0;
  std::string data;
};



// The result in a finished child's bytes, or nothing when it is not one whole frame.
std::optional<std::string> parse(const std::string& d) {
  if (d.size() < 12 || std::memcmp(d.data(), k_magic, 4) != 0) return std::nullopt;
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(d[4 + static_cast<std::size_t>(i)])) << (8 * i);
  if (d.size() - 12 != n) return std::nullopt;
  return d.substr(12);
}

}  // namespace

void run_in_processes(std::size_t count, int jobs, const std::function<std::string(std::size_t)>& work,
                      const std::function<void(std::size_t, const std::string*)>& on_result) {
  const std::size_t width = static_cast<std::size_t>(jobs < 1 ? 1 : jobs);
  std::vector<Running> running;
  std::map<std::size_t, std::optional<std::string>> finished;  // done, waiting for their turn
  std::size_t next_start = 0, next_result = 0;
  auto kill_all = [&] {
    for (auto& r : running) {
      ::kill(r.pid, SIGKILL);
      ::close(r.fd);
      detail::wait_child(r.pid);
    }
    running.clear();
  };
  try {
    while (next_result < count) {
      while (running.size() < width && next_start < count) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
          throw Error(ErrorCategory::internal, "parallel jobs", std::string("cannot create a pipe: ") + std::strerror(errno));
        std::fflush(nullptr);  // nothing buffered may be written twice
        pid_t pid = ::fork();
        if (pid < 0) {
          int err = errno;
          ::close(fds[0]);
          ::close(fds[1]);
          throw Error(ErrorCategory::internal, "parallel jobs", std::string("cannot start a process: ") + std::strerror(err));
        }
        if (pid == 0) {
          ::close(fds[0]);
          for (auto& r : running) ::close(r.fd);
          std::signal(SIGPIPE, SIG_IGN);
          std::string result;
          try {
            result = work(next_start);
          } catch (...) {
            ::_exit(2);
          }
          std::string head(k_magic, 4);
          for (int i = 0; i < 8; ++i) head.push_back(static_cast<char>((static_cast<std::uint64_t>(result.size()) >> (8 * i)) & 0xffu));
          bool ok = detail::write_all(fds[1], head.data(), head.size()) && detail::write_all(fds[1], result.data(), result.size());
          ::_exit(ok ? 0 : 3);
        }
        ::close(fds[1]);
        running.push_back(Running{pid, fds[0], next_start, {}});
        ++next_start;
      }
      std::vector<pollfd> polls;
      for (const auto& r : running) polls.push_back(pollfd{r.fd, POLLIN, 0});
      if (!polls.empty() && ::poll(polls.data(), polls.size(), -1) < 0 && errno != EINTR)
        throw Error(ErrorCategory::internal, "parallel jobs", std::string("poll failed: ") + std::strerror(errno));
      char buf[65536];
      for (std::size_t i = polls.size(); i-- > 0;) {
        if (!(polls[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        Running& r = running[i];
        ssize_t n = ::read(r.fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n > 0) {
          r.data.append(buf, static_cast<std::size_t>(n));
          continue;
        }
        ::close(r.fd);
        detail::wait_child(r.pid);
        finished[r.job] = parse(r.data);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      }
      for (auto it = finished.find(next_result); it != finished.end(); it = finished.find(next_result)) {
        std::optional<std::string> result = std::move(it->second);
        finished.erase(it);
        on_result(next_result, result ? &*result : nullptr);
        ++next_result;
      }
    }
  } catch (...) {
    kill_all();
    throw;
  }
}

}  // namespace declass
