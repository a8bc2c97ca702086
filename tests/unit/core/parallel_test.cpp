// run_in_processes (core/parallel.hpp): results come back in job order whatever order the children
// finish in; a child that dies gives a null result and the others go on; a throwing consumer stops all.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/parallel.hpp"

TEST_CASE("results in job order, whatever order the children finish in", "[parallel]") {
  std::vector<std::string> got;
  std::vector<std::size_t> order;
  declass::run_in_processes(
      6, 3,
      [](std::size_t k) {
        ::usleep(static_cast<useconds_t>((6 - k) * 20000));  // later jobs finish first
        return std::string(k * 1000, static_cast<char>('a' + k));
      },
      [&](std::size_t k, const std::string* r) {
        order.push_back(k);
        got.push_back(r ? *r : "<null>");
      });
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  for (std::size_t k = 0; k < 6; ++k) CHECK(got[k] == std::string(k * 1000, static_cast<char>('a' + k)));
}

TEST_CASE("a child that dies gives a null result; the others go on", "[parallel]") {
  std::vector<std::string> got;
  declass::run_in_processes(
      4, 2,
      [](std::size_t k) {
        if (k == 1) std::raise(SIGKILL);
        if (k == 2) throw std::runtime_error("job failed");
        return std::to_string(k);
      },
      [&](std::size_t, const std::string* r) { got.push_back(r ? *r : "<null>"); });
  CHECK(got == std::vector<std::string>{"0", "<null>", "<null>", "3"});
}

TEST_CASE("a consumer that throws stops the run", "[parallel]") {
  auto t0 = std::chrono::steady_clock::now();
  std::size_t seen = 0;
  CHECK_THROWS_AS(declass::run_in_processes(
                      50, 2,
                      [](std::size_t k) {
                        if (k > 0) ::sleep(30);  // would keep the run going for minutes
                        return std::string("x");
                      },
                      [&](std::size_t, const std::string*) {
                        ++seen;
                        throw std::runtime_error("stop");
                      }),
                  std::runtime_error);
  CHECK(seen == 1);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
}
