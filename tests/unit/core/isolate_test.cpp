// Tests of run_isolated and run_isolated_pieces (core/isolate.hpp): results, streamed pieces and
// declass::Error cross the process boundary intact; a crash, a hang and a memory blow-up in the worker
// become Error(input) in the parent; a consumer that gives up stops the worker.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/error.hpp"
#include "core/isolate.hpp"

using declass::Error;
using declass::ErrorCategory;
using declass::IsolationLimits;
using declass::run_isolated;

#if defined(__SANITIZE_ADDRESS__)
#define ISOLATE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ISOLATE_TEST_ASAN 1
#endif
#endif

namespace {
// Captures the Error thrown by f (fails the test when nothing is thrown).
template <class F>
Error catch_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no declass::Error thrown");
  return Error(ErrorCategory::internal, "", "");
}
}  // namespace

TEST_CASE("payload round trip, small, empty and 10 MB", "[isolate]") {
  ::unsetenv("DECLASS_NO_ISOLATION");
  CHECK(run_isolated("small", [] { return std::string("hello\0world", 11); }) == std::string("hello\0world", 11));
  CHECK(run_isolated("empty", [] { return std::string(); }).empty());
  std::string big(10u * 1024u * 1024u, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::string got = run_isolated("big", [&] { return big; });
  CHECK(got.size() == big.size());
  CHECK(got == big);
}

TEST_CASE("a child's declass::Error keeps its category, where and message", "[isolate]") {
  Error e = catch_error([] {
    run_isolated("reading x.pdf", []() -> std::string {
      throw Error(ErrorCategory::input, "x.pdf", "is encrypted; give the password with --password-file");
    });
  });
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.where() == "x.pdf");
  CHECK(e.message() == "is encrypted; give the password with --password-file");

  Error p = catch_error([] {
    run_isolated("job", []() -> std::string { throw Error(ErrorCategory::pdf, "y.pdf", "bad xref"); });
  });
  CHECK(p.category() == ErrorCategory::pdf);
  CHECK(p.message() == "bad xref");
}

TEST_CASE("other exceptions become Error(input) naming the job", "[isolate]") {
  Error e = catch_error([] { run_isolated("reading z.pdf", []() -> std::string { throw std::runtime_error("boom"); }); });
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.where() == "reading z.pdf");
  CHECK(e.message().find("boom") != std::string::npos);
  CHECK(e.message().find("refused") != std::string::npos);
}

TEST_CASE("a crashing child gives Error(input) mentioning the signal", "[isolate]") {
  Error e = catch_error([] {
    run_isolated("reading crash.pdf", []() -> std::string {
      std::raise(SIGSEGV);
      return "not reached";
    });
  });
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.where() == "reading crash.pdf");
  CHECK(e.message().find("crashed (signal 11") != std::string::npos);
  // the parent is fine and can run more work
  CHECK(run_isolated("after", [] { return std::string("ok"); }) == "ok");
}

TEST_CASE("a child exiting without a result is an error", "[isolate]") {
  Error e = catch_error([] {
    run_isolated("exit", []() -> std::string { std::_Exit(7); });
  });
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.message().find("status 7") != std::string::npos);
}

TEST_CASE("a hanging child is killed at the wall-clock limit", "[isolate]") {
  IsolationLimits lim;
  lim.wall_seconds = 1;
  auto t0 = std::chrono::steady_clock::now();
  Error e = catch_error([&] {
    run_isolated(
        "reading loop.pdf",
        []() -> std::string {
          volatile unsigned long x = 0;
          for (;;) x = x + 1;
        },
        lim);
  });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.message().find("took longer than 1 s") != std::string::npos);
  CHECK(secs < 2.5);
  CHECK(secs >= 0.9);
}

TEST_CASE("a child allocating past the memory limit is refused", "[isolate]") {
#ifdef ISOLATE_TEST_ASAN
  WARN("RLIMIT_AS is not applied under AddressSanitizer; skipped");
#else
  IsolationLimits lim;
  lim.memory_bytes = std::size_t{256} << 20;
  Error e = catch_error([&] {
    run_isolated(
        "reading huge.pdf",
        []() -> std::string {
          std::vector<std::string> keep;
          for (int i = 0; i < 64; ++i) keep.emplace_back(std::size_t{64} << 20, 'x');  // 4 GiB in total
          return std::to_string(keep.size());
        },
        lim);
  });
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.message().find("exceeded the memory limit") != std::string::npos);
#endif
}

TEST_CASE("DECLASS_NO_ISOLATION=1 runs the work in-process", "[isolate]") {
  ::setenv("DECLASS_NO_ISOLATION", "1", 1);
  int calls = 0;
  std::string r = run_isolated("inproc", [&] {
    ++calls;
    return std::string("x");
  });
  ::unsetenv("DECLASS_NO_ISOLATION");
  CHECK(r == "x");
  CHECK(calls == 1);  // a forked child could not have changed this variable
}

// ---- run_isolated_pieces: a result streamed in pieces ----

TEST_CASE("pieces arrive in order and whole, small, empty and 3 MB", "[isolate]") {
  std::vector<std::string> sent = {"header", "", std::string(3 << 20, 'a'), "x", std::string(70000, 'b') + "end"};
  std::vector<std::string> got;
  declass::run_isolated_pieces(
      "pieces", [&](const declass::PieceSink& emit) {
        for (const auto& p : sent) emit(p);
      },
      [&](std::string_view p) { got.emplace_back(p); });
  CHECK(got == sent);
}

TEST_CASE("an error after some pieces reaches the parent with its category", "[isolate]") {
  int consumed = 0;
  Error e = catch_error([&] {
    declass::run_isolated_pieces(
        "reading PDF t.pdf", [](const declass::PieceSink& emit) {
          emit("page 1");
          throw Error(ErrorCategory::input, "t.pdf", "page 2 is damaged");
        },
        [&](std::string_view) { ++consumed; });
  });
  CHECK(consumed == 1);
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.message() == "page 2 is damaged");
}

TEST_CASE("a consumer that gives up stops the worker and its exception propagates", "[isolate]") {
  auto t0 = std::chrono::steady_clock::now();
  Error e = catch_error([&] {
    declass::run_isolated_pieces(
        "pieces", [](const declass::PieceSink& emit) {
          for (int i = 0; i < 1000000; ++i) emit(std::string(1000, 'p'));  // would take a long while
        },
        [](std::string_view) { throw Error(ErrorCategory::internal, "consumer", "malformed piece"); });
  });
  CHECK(e.message() == "malformed piece");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
}

#ifndef ISOLATE_TEST_ASAN
TEST_CASE("a worker crashing mid-stream is refused", "[isolate]") {
  int consumed = 0;
  Error e = catch_error([&] {
    declass::run_isolated_pieces(
        "reading PDF crash.pdf", [](const declass::PieceSink& emit) {
          emit("page 1");
          std::raise(SIGSEGV);
        },
        [&](std::string_view) { ++consumed; });
  });
  CHECK(consumed == 1);
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.message().find("SIGSEGV") != std::string::npos);
}
#endif

// ---- named jobs: run by a child of the fork server (or of the caller when it cannot take them) ----

namespace {

// Tells the pid of its parent process: in pieces ("ppid", the pid, the arguments) when its arguments
// start with "pieces", else as its result "ARGS@PPID".
std::string whose_child_job(std::string_view args, declass::JobIO& io) {
  if (args.substr(0, 6) == "pieces") {
    io.emit("ppid");
    io.emit(std::to_string(::getppid()));
    io.emit(args);
    return "";
  }
  return std::string(args) + "@" + std::to_string(::getppid());
}
const declass::IsolatedJob k_whose_child{"test.whose_child", &whose_child_job};

// Behaves as its argument says: "error", "crash", "hang", "exit".
std::string misbehave_job(std::string_view args, declass::JobIO&) {
  if (args == "error") throw Error(ErrorCategory::pdf, "m.pdf", "bad xref");
  if (args == "crash") std::raise(SIGSEGV);
  if (args == "exit") std::_Exit(9);
  if (args == "hang") {
    volatile unsigned long x = 0;
    for (;;) x = x + 1;
  }
  return "fine";
}
const declass::IsolatedJob k_misbehave{"test.misbehave", &misbehave_job};

// A conversation: stage 1 emits the arguments back, then each message read gets echoed as a stage,
// until the message "done"; the result counts the messages.
std::string echo_job(std::string_view args, declass::JobIO& io) {
  io.emit(args);
  io.end_stage();
  if (args == "die") std::raise(SIGSEGV);  // before taking any message
  int n = 0;
  for (;;) {
    std::string m = io.receive();
    if (m == "done") break;
    if (m == "crash") std::raise(SIGSEGV);
    ++n;
    io.emit("echo " + m);
    io.end_stage();
  }
  return std::to_string(n) + " messages";
}
const declass::IsolatedJob k_echo{"test.echo", &echo_job};

std::vector<std::string> collect_job(const char* fork_server_env) {
  ::setenv("DECLASS_FORK_SERVER", fork_server_env, 1);
  std::vector<std::string> got;
  declass::run_isolated_job_pieces("whose child", k_whose_child, {"pieces", "", "-a"},
                                   [&](std::string_view p) { got.emplace_back(p); });
  got.push_back(declass::run_isolated_job("whose child", k_whose_child, {"x", "y"}));
  ::unsetenv("DECLASS_FORK_SERVER");
  return got;
}

}  // namespace

TEST_CASE("a named job runs in a child of the fork server, or of the caller when it is turned off", "[isolate][jobs]") {
  ::unsetenv("DECLASS_NO_ISOLATION");
  const std::string me = std::to_string(::getpid());
  std::vector<std::string> served = collect_job("1");
  REQUIRE(served.size() == 4);
  CHECK(served[0] == "ppid");
  CHECK(served[1] != me);  // the job's parent is the fork server, not this process
  CHECK(served[2] == "pieces-a");
  CHECK(served[3] == "xy@" + served[1]);
  std::vector<std::string> direct = collect_job("0");
  REQUIRE(direct.size() == 4);
  CHECK(direct[1] == me);
  CHECK(direct[3] == "xy@" + me);
  // the server lives on and serves the next job (the same server: the same parent pid)
  CHECK(collect_job("1")[1] == served[1]);
}

TEST_CASE("a named job's errors, crashes, exits and hangs are reported as for closures", "[isolate][jobs]") {
  Error e = catch_error([] { declass::run_isolated_job("job", k_misbehave, {"error"}); });
  CHECK(e.category() == ErrorCategory::pdf);
  CHECK(e.message() == "bad xref");
#ifndef ISOLATE_TEST_ASAN
  Error c = catch_error([] { declass::run_isolated_job("reading c.pdf", k_misbehave, {"crash"}); });
  CHECK(c.category() == ErrorCategory::input);
  CHECK(c.message().find("SIGSEGV") != std::string::npos);
#endif
  Error x = catch_error([] { declass::run_isolated_job("reading x.pdf", k_misbehave, {"exit"}); });
  CHECK(x.message().find("status 9") != std::string::npos);
  IsolationLimits lim;
  lim.wall_seconds = 1;
  Error h = catch_error([&] { declass::run_isolated_job("reading h.pdf", k_misbehave, {"hang"}, lim); });
  CHECK(h.message().find("took longer than 1 s") != std::string::npos);
  // after all that, the server still runs jobs
  CHECK(declass::run_isolated_job("job", k_misbehave, {"ok"}) == "fine");
}

TEST_CASE("jobs whose whole result was read are not waited for, and the server stays in step", "[isolate][jobs]") {
  // A job's process may still be exiting when the next job starts; its "finished" reply then comes
  // among the next job's replies. If the parent lost count it would stop using the server, and jobs
  // would become children of this process: the parent pid tells.
  ::unsetenv("DECLASS_NO_ISOLATION");
  ::setenv("DECLASS_FORK_SERVER", "1", 1);
  const std::string me = std::to_string(::getpid());
  const std::string first = declass::run_isolated_job("whose child", k_whose_child, {"a"});
  const std::string server = first.substr(first.find('@') + 1);
  REQUIRE(server != me);
  for (int i = 0; i < 120; ++i) {
    const std::string tag = std::to_string(i);
    CHECK(declass::run_isolated_job("whose child", k_whose_child, {tag}) == tag + "@" + server);
    if (i % 30 == 7) {  // failures are still waited for, and reported, between released jobs
      Error x = catch_error([] { declass::run_isolated_job("reading x.pdf", k_misbehave, {"exit"}); });
      CHECK(x.message().find("status 9") != std::string::npos);
      Error e = catch_error([] { declass::run_isolated_job("job", k_misbehave, {"error"}); });
      CHECK(e.category() == ErrorCategory::pdf);
    }
    if (i % 40 == 11) {  // and a conversation in between
      declass::IsolatedConversation talk("echo", k_echo, {"hi"});
      CHECK(talk.read_stage([](std::string_view) {}));
      talk.send("done");
      CHECK(talk.finish() == "0 messages");
    }
  }
  CHECK(declass::run_isolated_job("whose child", k_whose_child, {"z"}) == "z@" + server);
  ::unsetenv("DECLASS_FORK_SERVER");
}

TEST_CASE("a conversation alternates stages and messages in one worker", "[isolate][jobs]") {
  for (const char* server : {"1", "0"}) {
    ::setenv("DECLASS_FORK_SERVER", server, 1);
    declass::IsolatedConversation talk("echo", k_echo, {"hello"});
    std::vector<std::string> got;
    auto keep = [&](std::string_view p) { got.emplace_back(p); };
    CHECK(talk.read_stage(keep));
    talk.send("one");
    CHECK(talk.read_stage(keep));
    talk.send(std::string(3 << 20, 'z'));  // larger than any socket buffer
    CHECK(talk.read_stage(keep));
    talk.send("done");
    CHECK(talk.finish() == "2 messages");
    REQUIRE(got.size() == 3);
    CHECK(got[0] == "hello");
    CHECK(got[1] == "echo one");
    CHECK(got[2].size() == 5 + (3u << 20));
    ::unsetenv("DECLASS_FORK_SERVER");
  }
}

TEST_CASE("a conversation abandoned or crashing mid-way ends cleanly", "[isolate][jobs]") {
  {
    declass::IsolatedConversation talk("echo", k_echo, {"x"});
    CHECK(talk.read_stage([](std::string_view) {}));
  }  // destroyed while the worker waits for a message: killed and reaped, no hang
  CHECK(declass::run_isolated_job("job", k_misbehave, {"ok"}) == "fine");
#ifndef ISOLATE_TEST_ASAN
  declass::IsolatedConversation talk("reading c.pdf", k_echo, {"x"});
  CHECK(talk.read_stage([](std::string_view) {}));
  talk.send("crash");
  CHECK_FALSE(talk.read_stage([](std::string_view) {}));
  Error e = catch_error([&] { talk.finish(); });
  CHECK(e.category() == ErrorCategory::input);
  CHECK(e.message().find("SIGSEGV") != std::string::npos);
  // a worker gone before the message: the message or the result reports the crash, not the channel
  declass::IsolatedConversation gone("reading d.pdf", k_echo, {"die"});
  CHECK(gone.read_stage([](std::string_view) {}));
  Error d = catch_error([&] {
    gone.send(std::string(1 << 20, 'm'));
    gone.finish();
  });
  CHECK(d.category() == ErrorCategory::input);
  CHECK(d.message().find("SIGSEGV") != std::string::npos);
#endif
}
