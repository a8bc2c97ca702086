// The fork server (see fork_server.hpp). Protocol over a SOCK_SEQPACKET socket pair:
//   parent → server: Request, with two or three descriptors: a memfd holding the job's argument bytes,
//                    the write end of the job's result pipe, and for a conversation the job's end of
//                    its message channel;
//   server → parent: Reply{started} (the child's pid, or the errno of a failed fork), with a pidfd of the child;
//   server → parent: Reply{finished} (the child's pid and wait status) once it has reaped the child.
// One job runs at a time, but a job whose whole result the parent has read may still be exiting when
// the next one starts (ForkServerJob::release): its finished reply then arrives among the next job's.
// The server ignores SIGINT/SIGHUP, exits at end of file on its socket, and dies with its parent
// (PR_SET_PDEATHSIG) when the parent's main thread started it; its children die with it.
#include "core/fork_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/child_process.hpp"

namespace declass::detail {

namespace {

constexpr std::uint32_t k_request_magic = 0x4a534644;  // "DFSJ"
constexpr std::size_t k_max_job_name = 64;

struct Request {
  std::uint32_t magic = k_request_magic;
  char job[k_max_job_name] = {};
  std::uint64_t memory_bytes = 0;
  std::int32_t cpu_seconds = 0;
  std::int32_t with_input = 0;  // a third descriptor follows: the job's message channel
};
struct Reply {
  enum Kind : std::int32_t { started = 1, finished = 2 };
  std::int32_t kind = started;
  std::int32_t pid = 0;    // the job's child (0 when a fork failed)
  std::int32_t value = 0;  // started: errno of a failed fork, 0 = started; finished: the wait status
};
// Children the server has at once: the running job and released jobs still exiting. A parent that
// releases more (it cannot: it waits for every reply it is owed) is not served until some have exited.
constexpr std::size_t k_max_children = 4;

struct ServerState {
  std::mutex mutex;
  pid_t owner = 0;  // the process that started the server; forks of it fork their jobs directly
  pid_t pid = 0;
  int socket = -1;
  bool broken = false;
  std::vector<pid_t> released;  // jobs whose result was read in full and whose finished reply is still to come
};
ServerState& state() {
  static ServerState s;
  return s;
}

bool turned_off() {
  const char* v = std::getenv("DECLASS_FORK_SERVER");
  return v && std::string_view(v) == "0";
}

// sendmsg/recvmsg of one fixed-size message with up to three descriptors, retrying on EINTR.
bool send_message(int sock, const void* data, std::size_t size, const int* fds, int nfds) {
  iovec iov{const_cast<void*>(data), size};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))] = {};
  if (nfds > 0) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(static_cast<std::size_t>(nfds) * sizeof(int));
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(static_cast<std::size_t>(nfds) * sizeof(int));
    std::memcpy(CMSG_DATA(c), fds, static_cast<std::size_t>(nfds) * sizeof(int));
  }
  for (;;) {
    ssize_t n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(size)) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// Returns the bytes received (0 at end of file, -1 on error); received descriptors go to `fds`
// (unused slots stay -1; extra ones are closed).
ssize_t receive_message(int sock, void* data, std::size_t size, int* fds, int max_fds) {
  for (int i = 0; i < max_fds; ++i) fds[i] = -1;
  iovec iov{data, size};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(4 * sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return n;
  int got = 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      if (got < max_fds) {
        fds[got++] = fd;
      } else {
        ::close(fd);
      }
    }
  }
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) return -1;
  return n;
}

// In the job's child: map the argument bytes and run the job (never returns).
[[noreturn]] void run_job(const Request& req, int args_fd, int result_fd, int input_fd, JobChildMain child_main) {
  std::string_view args;
  struct stat st {};
  if (::fstat(args_fd, &st) != 0) ::_exit(4);
  if (st.st_size > 0) {
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, args_fd, 0);
    if (p == MAP_FAILED) ::_exit(4);
    args = std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(st.st_size));
  }
  ::close(args_fd);
  const std::string_view job(req.job, ::strnlen(req.job, k_max_job_name));
  child_main(result_fd, input_fd, job, args, static_cast<std::size_t>(req.memory_bytes), req.cpu_seconds);
  ::_exit(5);  // child_main does not return
}

// `die_with_parent`: only when forked by the parent's main thread, because the signal comes when the
// forking *thread* ends; otherwise the server ends at end of file on its socket, as it also does when
// the parent exits normally.
[[noreturn]] void serve(int sock, pid_t owner, bool die_with_parent, JobChildMain child_main) {
  if (die_with_parent) ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != owner) ::_exit(0);  // the parent is already gone
  // Ctrl-C reaches the whole process group: the parent decides what happens, the server stays until
  // the parent exits. stdout is not ours to hold open (a pipe reader waits for its end of file).
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGTERM, SIG_DFL);
  if (int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC); devnull >= 0) {
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(devnull, STDOUT_FILENO);
    ::close(devnull);
  }
  const pid_t self = ::getpid();
  struct Child {
    pid_t pid;
    int pidfd;
  };
  std::vector<Child> children;
  auto report_exit = [&](std::size_t i) {
    Reply done{Reply::finished, children[i].pid, wait_child(children[i].pid)};
    if (children[i].pidfd >= 0) ::close(children[i].pidfd);
    children.erase(children.begin() + static_cast<std::ptrdiff_t>(i));
    if (!send_message(sock, &done, sizeof done, nullptr, 0)) ::_exit(1);
  };
  for (;;) {
    // Wait for a request, or for a child to end (a child without a pidfd is waited for at once, below).
    std::vector<pollfd> watch;
    watch.push_back({children.size() < k_max_children ? sock : -1, POLLIN, 0});
    for (const Child& c : children) watch.push_back({c.pidfd, POLLIN, 0});
    if (::poll(watch.data(), watch.size(), -1) < 0) {
      if (errno == EINTR) continue;
      ::_exit(1);
    }
    for (std::size_t i = children.size(); i-- > 0;)
      if (watch[i + 1].revents != 0) report_exit(i);
    if (watch[0].revents == 0) continue;
    Request req;
    int fds[3];
    ssize_t n = receive_message(sock, &req, sizeof req, fds, 3);
    if (n == 0) ::_exit(0);  // the parent closed its end
    if (n < 0) ::_exit(1);
    Reply started;
    if (n != static_cast<ssize_t>(sizeof req) || req.magic != k_request_magic || fds[0] < 0 || fds[1] < 0 ||
        (req.with_input != 0) != (fds[2] >= 0)) {
      for (int fd : fds)
        if (fd >= 0) ::close(fd);
      started.value = EPROTO;
      if (!send_message(sock, &started, sizeof started, nullptr, 0)) ::_exit(1);
      continue;
    }
    pid_t child = ::fork();
    if (child == 0) {
      ::close(sock);
      for (const Child& c : children)
        if (c.pidfd >= 0) ::close(c.pidfd);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != self) ::_exit(6);
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGHUP, SIG_DFL);
      run_job(req, fds[0], fds[1], fds[2], child_main);
    }
    const int fork_errno = errno;
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
    if (child < 0) {
      started.value = fork_errno;
      if (!send_message(sock, &started, sizeof started, nullptr, 0)) ::_exit(1);
      continue;
    }
    started.pid = child;
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
    const bool sent = send_message(sock, &started, sizeof started, &pidfd, pidfd >= 0 ? 1 : 0);
    if (!sent) {
      ::kill(child, SIGKILL);
      wait_child(child);
      ::_exit(1);
    }
    children.push_back({child, pidfd});
    if (pidfd < 0) report_exit(children.size() - 1);  // no pidfd (old kernel): one job at a time, as waited for here
  }
}

// True when `reply` is the finished reply of a released job, which is then no longer owed.
bool take_released(ServerState& s, const Reply& reply) {
  auto released = std::find(s.released.begin(), s.released.end(), static_cast<pid_t>(reply.pid));
  if (reply.kind != Reply::finished || released == s.released.end()) return false;
  s.released.erase(released);
  return true;
}

// Receives the server's next reply, taking finished replies of released jobs on the way (they may
// come before or among the replies the caller waits for). False: the server is gone or out of step.
bool receive_reply(ServerState& s, Reply& reply, int* pidfd) {
  for (;;) {
    int fds[1];
    ssize_t n = receive_message(s.socket, &reply, sizeof reply, fds, 1);
    if (n != static_cast<ssize_t>(sizeof reply)) {
      if (fds[0] >= 0) ::close(fds[0]);
      return false;
    }
    if (take_released(s, reply)) {
      if (fds[0] >= 0) ::close(fds[0]);
      continue;
    }
    if (pidfd) *pidfd = fds[0];
    else if (fds[0] >= 0) ::close(fds[0]);
    return true;
  }
}

// At exit of the process that started the server: close our end (the server then exits) and reap it,
// so that its children's resource use (peak memory, CPU time) is counted as this process's children's,
// as it was when workers were forked directly (time -v, hyperfine and the bench read it there).
// The server is idle then (it has reaped every job it ran), so it is simply killed: a copy of our end
// of the socket in some other process would otherwise keep it waiting. A job still running in another
// thread (the lock is taken) is left to end with the process.
void stop_at_exit() {
  ServerState& s = state();
  std::unique_lock<std::mutex> lock(s.mutex, std::try_to_lock);
  if (!lock.owns_lock() || s.owner != ::getpid() || s.pid <= 0) return;
  // Released jobs are still owed their finished reply: take it (a second at most each, they are only
  // exiting), so that the server has reaped them and their resource use is counted.
  while (!s.released.empty() && s.socket >= 0) {
    pollfd p{s.socket, POLLIN, 0};
    Reply reply;
    int fds[1];
    if (::poll(&p, 1, 1000) <= 0) break;
    if (receive_message(s.socket, &reply, sizeof reply, fds, 1) != static_cast<ssize_t>(sizeof reply)) break;
    if (fds[0] >= 0) ::close(fds[0]);
    if (!take_released(s, reply)) break;  // nothing else is owed now
  }
  if (s.socket >= 0) ::close(s.socket);
  s.socket = -1;
  ::kill(s.pid, SIGKILL);
  wait_child(s.pid);
  s.pid = 0;
}

// Starts the server for this process, once; the caller holds the state's mutex. A process forked
// from one that started a server inherits its state (owner is then not the process itself) and
// forks its jobs directly: two processes must not talk to one server at once.
void start_locked(ServerState& s, JobChildMain child_main) {
  if (s.owner != 0 || turned_off()) return;
  s.owner = ::getpid();
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    s.broken = true;
    return;
  }
  const bool main_thread = ::gettid() == s.owner;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(sv[0]);
    serve(sv[1], s.owner, main_thread, child_main);
  }
  ::close(sv[1]);
  if (pid < 0) {
    ::close(sv[0]);
    s.broken = true;
    return;
  }
  s.pid = pid;
  s.socket = sv[0];
  std::atexit(stop_at_exit);
}

// The server is gone or out of step: stop using it (jobs then fork directly).
void mark_broken(ServerState& s) {
  s.broken = true;
  s.released.clear();
  if (s.socket >= 0) ::close(s.socket);
  s.socket = -1;
  if (s.pid > 0) {
    ::kill(s.pid, SIGKILL);
    wait_child(s.pid);
    s.pid = 0;
  }
}

}  // namespace

ForkServerJob::ForkServerJob(std::unique_lock<std::mutex> lock, int result_fd, pid_t pid, int pidfd)
    : m_lock(std::move(lock)), m_result_fd(result_fd), m_pid(pid), m_pidfd(pidfd) {}

ForkServerJob::~ForkServerJob() {
  if (!m_waited) {
    kill();
    wait();
  }
  if (m_pidfd >= 0) ::close(m_pidfd);
}

void ForkServerJob::kill() {
  if (m_waited) return;
  if (m_pidfd >= 0) {
    ::syscall(SYS_pidfd_send_signal, m_pidfd, SIGKILL, nullptr, 0);
  } else {
    ::kill(m_pid, SIGKILL);  // not reaped before the server reports it, so the pid is still this child's
  }
}

int ForkServerJob::wait() {
  if (m_waited) return -1;
  m_waited = true;
  ServerState& s = state();
  Reply reply;
  if (s.socket < 0 || !receive_reply(s, reply, nullptr) || reply.kind != Reply::finished || reply.pid != m_pid) {
    mark_broken(s);
    return -1;
  }
  return reply.value;
}

void ForkServerJob::release() {
  if (m_waited) return;
  m_waited = true;
  state().released.push_back(m_pid);  // under the server lock, still held here
  if (m_pidfd >= 0) ::close(m_pidfd);
  m_pidfd = -1;
  m_lock.unlock();
}

void start_fork_server(JobChildMain child_main) {
  ServerState& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  start_locked(s, child_main);
}

std::unique_ptr<ForkServerJob> start_job_on_fork_server(std::string_view job, std::initializer_list<std::string_view> args,
                                                        int input_fd, std::size_t memory_bytes, int cpu_seconds,
                                                        JobChildMain child_main) {
  if (job.size() >= k_max_job_name || turned_off()) return nullptr;
  ServerState& s = state();
  std::unique_lock<std::mutex> lock(s.mutex, std::try_to_lock);
  if (!lock.owns_lock()) return nullptr;
  start_locked(s, child_main);
  if (s.owner != ::getpid() || s.broken || s.socket < 0) return nullptr;

  // The arguments travel in a memory file the child maps; the result comes back through a pipe.
  const int args_fd = ::memfd_create("declass-job-args", MFD_CLOEXEC);
  if (args_fd < 0) return nullptr;
  for (std::string_view part : args) {
    if (!write_all(args_fd, part.data(), part.size())) {
      ::close(args_fd);
      return nullptr;
    }
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ::close(args_fd);
    return nullptr;
  }
#ifdef F_SETPIPE_SZ
  (void)::fcntl(pipe_fds[1], F_SETPIPE_SZ, 1 << 20);
#endif
  Request req;
  std::memcpy(req.job, job.data(), job.size());
  req.memory_bytes = memory_bytes;
  req.cpu_seconds = cpu_seconds;
  req.with_input = input_fd >= 0 ? 1 : 0;
  const int send_fds[3] = {args_fd, pipe_fds[1], input_fd};
  const bool sent = send_message(s.socket, &req, sizeof req, send_fds, input_fd >= 0 ? 3 : 2);
  ::close(args_fd);
  ::close(pipe_fds[1]);
  Reply started;
  int pidfd = -1;
  if (sent) {
    if (!receive_reply(s, started, &pidfd) || started.kind != Reply::started) {
      if (pidfd >= 0) ::close(pidfd);
      ::close(pipe_fds[0]);
      mark_broken(s);
      return nullptr;
    }
  }
  if (!sent || started.value != 0 || started.pid <= 0) {
    if (!sent) mark_broken(s);
    if (pidfd >= 0) ::close(pidfd);
    ::close(pipe_fds[0]);
    return nullptr;
  }
  return std::make_unique<ForkServerJob>(std::move(lock), pipe_fds[0], static_cast<pid_t>(started.pid), pidfd);
}

}  // namespace declass::detail
