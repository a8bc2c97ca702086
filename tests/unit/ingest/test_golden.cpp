// Golden summaries: every tests/data/golden/*.json names an input under tests/data and the
// expected document facts, each read by hand from the record. The test compares the ingest
// summary key by key and prints precise diffs. Keys listed in "known_gaps" are documented
// shortcomings (see the file's "notes"): a mismatch there is reported, not failed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/io.hpp"
#include "core/json.hpp"
#include "ingest/summary.hpp"
#include "ingest/text_reader.hpp"

using declass::Json;
using namespace declass::ingest;

namespace {

const Paragraph* numbered(const Document& d, const std::string& n) {
  for (const auto& p : d.paragraphs)
    if (p.number == n) return &p;
  return nullptr;
}

// The computed value for one golden key, in the golden's shape.
Json actual_for(const std::string& key, const Json& expected, const Document& d, const Json& summary) {
  if (key == "banner_level") return summary["banner"].is_null() ? Json(nullptr) : summary["banner"]["level"];
  if (key == "banner_controls_include" || key == "captions_include") {
    const Json& have = key == "captions_include" ? summary["captions"] : summary["banner"].is_null() ? Json::array() : summary["banner"]["controls"];
    Json out = Json::array();
    for (const auto& want : expected)
      if (std::find(have.begin(), have.end(), want) != have.end()) out.push_back(want);
    return out;  // equal to expected when all are present
  }
  if (key == "subject_portion_level")
    return summary["subject_portion"].is_null() ? Json(nullptr) : summary["subject_portion"]["level"];
  if (key == "authority") {
    Json out = Json::object();
    for (auto it = expected.begin(); it != expected.end(); ++it) out[it.key()] = summary["authority"][it.key()];
    return out;
  }
  if (key == "release") {
    if (summary["release"].is_null() || expected.is_null()) return summary["release"].is_null() ? Json(nullptr) : Json(summary["release"]["status"]);
    Json out = Json::object();
    for (auto it = expected.begin(); it != expected.end(); ++it) out[it.key()] = summary["release"][it.key()];
    return out;
  }
  if (key == "paragraph_portions") {
    Json out = Json::object();
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      const Paragraph* p = numbered(d, it.key());
      if (!p) out[it.key()] = "missing paragraph";
      else if (!p->portion || !p->portion->marking.classification) out[it.key()] = nullptr;
      else out[it.key()] = declass::markings::code(*p->portion->marking.classification);
    }
    return out;
  }
  if (key == "cancelled_marks_include") {
    Json out = Json::array();
    for (const auto& n : expected) {
      const Paragraph* p = numbered(d, n.get<std::string>());
      if (p && p->cancelled_mark) out.push_back(n);
    }
    return out;
  }
  if (key == "paragraph_exemptions") {
    Json out = Json::object();
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      const Paragraph* p = numbered(d, it.key());
      Json codes = Json::array();
      if (p)
        for (const auto& e : p->exemptions) codes.push_back(e.code);
      out[it.key()] = codes;
    }
    return out;
  }
  if (summary.contains(key)) return summary[key];
  return "unknown golden key";
}

}  // namespace

TEST_CASE("golden summaries of real records", "[ingest][golden]") {
  namespace fs = std::filesystem;
  const std::string data = DECLASS_TEST_DATA;
  std::vector<fs::path> goldens;
  for (const auto& e : fs::directory_iterator(data + "/golden"))
    if (e.path().extension() == ".json") goldens.push_back(e.path());
  std::sort(goldens.begin(), goldens.end());
  REQUIRE(goldens.size() >= 16);
  int failures = 0, gaps = 0, checks = 0;
  std::ostringstream report;
  for (const auto& g : goldens) {
    Json golden = Json::parse(declass::io::read_file(g.string()));
    const std::string input = data + "/" + golden["input"].get<std::string>();
    Document d = read_text_file(input);
    Json summary = summary_json(d);
    std::vector<std::string> known = golden.value("known_gaps", std::vector<std::string>{});
    for (auto it = golden["expect"].begin(); it != golden["expect"].end(); ++it) {
      ++checks;
      Json actual = actual_for(it.key(), it.value(), d, summary);
      if (actual == it.value()) {
        if (std::find(known.begin(), known.end(), it.key()) != known.end())
          report << g.filename().string() << ": known gap '" << it.key() << "' now passes; remove it from known_gaps\n";
        continue;
      }
      bool is_gap = std::find(known.begin(), known.end(), it.key()) != known.end();
      (is_gap ? gaps : failures)++;
      report << g.filename().string() << ": " << (is_gap ? "known gap " : "MISMATCH ") << it.key()
             << "\n    expected " << it.value().dump() << "\n    actual   " << actual.dump() << "\n";
    }
  }
  std::cout << "golden: " << goldens.size() << " files, " << checks << " checks, " << failures << " mismatches, " << gaps
            << " known gaps\n"
            << report.str();
  INFO(report.str());
  CHECK(failures == 0);
}
