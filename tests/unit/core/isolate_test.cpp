// Tests of run_isolated and run_isolated_pieces (core/isolate.hpp): results, streamed pieces and
// declass::Error cross the process boundary intact; a crash, a hang and a memory blow-up in the worker
// become Error(input) in the parent; a consumer that gives up stops the worker.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <vector>

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
