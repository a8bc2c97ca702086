// Inspect throughput benchmark (not a test): loads every .txt record under the given directories
// into memory once, then runs the full inspect pipeline (ingest + markings + validation) over all
// of them repeatedly, and prints MB/s and paragraphs/s. Used by scripts/bench.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/inspect.hpp"
#include "core/io.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ROUNDS DIR...\n", argv[0]);
    return 1;
  }
  int rounds = std::atoi(argv[1]);
  std::vector<std::pair<std::string, std::string>> docs;
  std::size_t bytes = 0;
  for (int i = 2; i < argc; ++i)
    for (const auto& e : std::filesystem::recursive_directory_iterator(argv[i]))
      if (e.is_regular_file() && e.path().extension() == ".txt") {
        docs.emplace_back(e.path().string(), declass::io::read_file(e.path().string()));
        bytes += docs.back().second.size();
      }
  const declass::Date review{2026, 11, 28};
  std::size_t paragraphs = 0, findings = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& [path, data] : docs) {
      auto in = declass::app::inspect_bytes(data, path, review);
      paragraphs += in.document.paragraphs.size();
      findings += in.findings.size();
    }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double mb = static_cast<double>(bytes) * rounds / 1e6;
  std::printf("inspect: %zu files, %.2f MB x %d rounds in %.3f s: %.1f MB/s, %.0f paragraphs/s, %.0f files/s (%zu findings)\n",
              docs.size(), static_cast<double>(bytes) / 1e6, rounds, secs, mb / secs, paragraphs / secs,
              docs.size() * rounds / secs, findings);
  return 0;
}
