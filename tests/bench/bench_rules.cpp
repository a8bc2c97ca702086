// Rule-engine throughput: paragraphs/s for policies of 10, 100 and 1,000 regex rules over the
// corpus text (read at run time), next to `grep -E -f` with the same patterns on the same text.
// Usage: bench_rules [CORPUS_DIR] [SCRATCH_DIR]. Built with -DDECLASS_BENCH=ON (scripts/bench-rules).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "rules/evaluate.hpp"
#include "rules/policy.hpp"

namespace fs = std::filesystem;
using namespace declass;
using Clock = std::chrono::steady_clock;

static double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int main(int argc, char** argv) {
  fs::path corpus = argc > 1 ? argv[1] : "/work/shared/corpus";
  fs::path scratch = argc > 2 ? argv[2] : fs::temp_directory_path() / "declass-bench-rules";
  fs::create_directories(scratch);
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all;
  rules::DocumentFacts doc;
  doc.review_date = Date{2026, 11, 28};
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string t = ss.str();
    all += t;
    if (!t.empty() && t.back() != '\n') all += '\n';
    // paragraphs = runs of non-blank lines, joined with spaces
    std::istringstream lines(t);
    std::string line, para;
    auto flush = [&] {
      if (!para.empty()) {
        rules::ParagraphFacts p;
        p.index = static_cast<int>(doc.paragraphs.size()) + 1;
        p.text = para;
        doc.paragraphs.push_back(std::move(p));
        para.clear();
      }
    };
    while (std::getline(lines, line)) {
      bool blank = line.find_first_not_of(" \t\r\f") == std::string::npos;
      if (blank) flush();
      else para += (para.empty() ? "" : " ") + line;
    }
    flush();
  }
  const std::size_t bytes = all.size();
  std::printf("corpus: %zu files, %zu paragraphs, %.2f MB of text (%s)\n", files.size(), doc.paragraphs.size(),
              static_cast<double>(bytes) / 1e6, corpus.c_str());
  fs::path text_file = scratch / "corpus.txt";
  std::ofstream(text_file, std::ios::binary) << all;

  // Candidate words: distinct alphabetic tokens of 5+ letters, deterministic order.
  std::set<std::string> words;
  std::string cur;
  for (char c : all) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      cur += c;
    } else {
      if (cur.size() >= 5 && cur.size() <= 20) words.insert(cur);
      cur.clear();
    }
  }
  std::vector<std::string> vocab(words.begin(), words.end());
  std::printf("vocabulary: %zu candidate words\n\n", vocab.size());
  std::printf("%6s %12s %14s %12s %14s %14s %8s\n", "rules", "load ms", "engine s/pass", "paras/s", "grep s/pass",
              "grep paras/s", "ratio");
  for (std::size_t n : {10u, 100u, 1000u}) {
    std::string toml = "default_action = \"release\"\n";
    std::ofstream pat(scratch / ("patterns-" + std::to_string(n) + ".txt"));
    std::size_t step = std::max<std::size_t>(1, vocab.size() / n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& w = vocab[(i * step + i / 7) % vocab.size()];
      std::string re = w + "(s|ed|ing)?";
      toml += "[[rule]]\nid = \"r" + std::to_string(i) + "\"\naction = \"flag\"\n[rule.when]\ntext = { pattern = '" + re +
              "', case_sensitive = true, whole_word = true }\n";
      pat << "\\b(" << re << ")\\b\n";
    }
    pat.close();
    auto t0 = Clock::now();
    auto loaded = rules::load_policy_text(toml, "bench.toml");
    double load_s = seconds_since(t0);
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.str().c_str());
      return 2;
    }
    // engine: repeat whole passes for at least 1 s
    int passes = 0;
    std::size_t flagged = 0;
    auto t1 = Clock::now();
    do {
      auto rec = rules::recommend(*loaded.policy, doc);
      flagged = 0;
      for (const auto& p : rec.paragraphs) flagged += p.action == rules::ActionKind::flag;
      ++passes;
    } while (seconds_since(t1) < 1.0);
    double engine = seconds_since(t1) / passes;
    // grep -E -f with the same patterns on the same text (best of 3)
    std::string cmd = "LC_ALL=C grep -E -c -f '" + (scratch / ("patterns-" + std::to_string(n) + ".txt")).string() +
                      "' '" + text_file.string() + "' > /dev/null";
    double grep_best = 1e9;
    for (int k = 0; k < 3; ++k) {
      auto t2 = Clock::now();
      int rc = std::system(cmd.c_str());
      double g = seconds_since(t2);
      if (rc != 0 && rc != 256) std::fprintf(stderr, "grep failed (%d)\n", rc);
      grep_best = std::min(grep_best, g);
    }
    double paras = static_cast<double>(doc.paragraphs.size());
    std::printf("%6zu %12.1f %14.4f %12.0f %14.4f %14.0f %7.2fx   (%zu paragraphs matched)\n", n, load_s * 1000, engine,
                paras / engine, grep_best, paras / grep_best, grep_best / engine, flagged);
  }
  std::printf("\nratio = grep time / engine time on the same text (>1: the engine is faster).\n");
  return 0;
}
