// Golden loader diagnostics: each tests/data/rules/errors/NAME.toml must fail to load with
// exactly the messages listed in NAME.expected ("file:line:col: message", paths relative to
// the errors directory). Also checks that valid shipped policies load.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io.hpp"
#include "rules/policy.hpp"

namespace fs = std::filesystem;
using namespace declass;

namespace {
// Whole files through core/io.hpp (the project's reader, with its clear errors).
std::string slurp(const fs::path& p) { return io::read_file(p.string()); }
}  // namespace

TEST_CASE("golden policy loader errors", "[rules][loader]") {
  fs::path root = fs::path(DECLASS_TEST_DATA) / "rules" / "errors";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(root))
    if (e.path().extension() == ".expected") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 6);
  for (const auto& exp_path : files) {
    fs::path toml = exp_path;
    toml.replace_extension(".toml");
    SECTION(toml.filename().string()) {
      auto r = rules::load_policy_file((root / toml.filename()).string());
      CHECK_FALSE(r.ok());
      std::string got;
      std::string prefix = root.string() + "/";
      for (const auto& e : r.errors) {
        std::string line = e.str();
        for (std::size_t p; (p = line.find(prefix)) != std::string::npos;) line.erase(p, prefix.size());
        got += line + "\n";
      }
      CHECK(got == slurp(exp_path));
    }
  }
}

TEST_CASE("shipped policies load", "[rules][loader]") {
  for (const char* name : {"default.toml", "eo13526-25year.toml", "privacy.toml"}) {
    auto r = rules::load_policy_file(std::string(DECLASS_SOURCE_DIR) + "/policies/" + name);
    for (const auto& e : r.errors) INFO(e.str());
    CHECK(r.errors.empty());
    REQUIRE(r.ok());
    CHECK(!r.policy->rules.empty());
  }
  auto d = rules::load_policy_file(std::string(DECLASS_SOURCE_DIR) + "/policies/default.toml");
  REQUIRE(d.ok());
  CHECK(d.policy->files.size() == 3);
  CHECK(d.policy->find_rule("eo13526.declassify-on-passed") != nullptr);
  CHECK(d.policy->find_rule("privacy.phone") != nullptr);
  CHECK(d.policy->reason_map.at("1.5(d)") == "1.4(d)");
}

TEST_CASE("loader: includes disabled and text loading", "[rules][loader]") {
  rules::LoadOptions no_files;
  no_files.allow_includes = false;
  auto r = rules::load_policy_text("include = [\"x.toml\"]\n", "mem.toml", no_files);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() == "mem.toml:1:12: include is not allowed here (includes are disabled for this load)");
  auto ok = rules::load_policy_text(
      "[[rule]]\nid = \"a\"\naction = \"flag\"\nexplanation = \"literal {{braces}} and {rule}\"\n", "mem.toml",
      no_files);
  REQUIRE(ok.ok());
  CHECK(ok.policy->rules.size() == 1);
  CHECK(ok.policy->default_action == rules::ActionKind::flag);
}

TEST_CASE("loader: disable removes included rules; includer overrides lists", "[rules][loader]") {
  fs::path dir = fs::temp_directory_path() / "declass-rules-test-disable";
  fs::create_directories(dir);
  std::ofstream(dir / "base.toml") << "[lists]\nnames = [\"Old Name\"]\n"
                                      "[[rule]]\nid = \"b.one\"\naction = \"flag\"\n"
                                      "[[rule]]\nid = \"b.two\"\naction = \"flag\"\n[rule.when]\ntext = { list = \"names\" }\n";
  std::ofstream(dir / "top.toml") << "include = [\"base.toml\"]\ndisable = [\"b.one\"]\n[lists]\nnames = [\"New Name\"]\n";
  auto r = rules::load_policy_file((dir / "top.toml").string());
  for (const auto& e : r.errors) INFO(e.str());
  REQUIRE(r.ok());
  REQUIRE(r.policy->rules.size() == 1);
  CHECK(r.policy->rules[0].id == "b.two");
  CHECK(r.policy->lists.at("names") == std::vector<std::string>{"New Name"});
  fs::remove_all(dir);
}
