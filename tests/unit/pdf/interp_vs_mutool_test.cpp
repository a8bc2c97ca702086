// Cross-check of the interpreter against MuPDF: on real PDFs made by other software (reportlab:
// Courier cable pages, mixed base-14 text with spacing/scale/rise/rotation/forms, embedded TrueType;
// and our own PoDoFo writer) every non-space glyph must match a MuPDF stext character with the same
// text at the same origin (±0.05 pt). Skipped with a message when mutool is not installed.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "pdf/glyphs.hpp"
#include "pdf/writer.hpp"

using namespace declass::pdf;

namespace {

struct MuChar {
  double x = 0, y = 0;
  std::string c;
  bool used = false;
};

std::string attr(const std::string& line, const char* name) {
  std::string key = std::string(" ") + name + "=\"";
  auto p = line.find(key);
  if (p == std::string::npos) return {};
  p += key.size();
  auto e = line.find('"', p);
  return e == std::string::npos ? std::string() : line.substr(p, e - p);
}

std::string xml_unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    auto semi = s.find(';', i);
    if (semi == std::string::npos) break;
    std::string ent = s.substr(i + 1, semi - i - 1);
    i = semi + 1;
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (!ent.empty() && ent[0] == '#') {
      unsigned long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X') ? std::strtoul(ent.c_str() + 2, nullptr, 16)
                                                                             : std::strtoul(ent.c_str() + 1, nullptr, 10);
      if (cp < 0x80) out += static_cast<char>(cp);
      else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
  }
  return out;
}

bool have_mutool() { return std::system("mutool -v >/dev/null 2>&1") == 0; }

// Characters of every page from `mutool draw -F stext`, in device space (y down from the top).
std::vector<std::vector<MuChar>> mutool_chars(const std::string& path) {
  std::vector<std::vector<MuChar>> pages;
  std::string cmd = "mutool draw -F stext -o - '" + path + "' 2>/dev/null";
  FILE* f = popen(cmd.c_str(), "r");
  REQUIRE(f != nullptr);
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  pclose(f);
  std::size_t pos = 0;
  while (pos < out.size()) {
    auto e = out.find('\n', pos);
    if (e == std::string::npos) e = out.size();
    std::string line = out.substr(pos, e - pos);
    pos = e + 1;
    if (line.rfind("<page ", 0) == 0) pages.emplace_back();
    if (line.rfind("<char ", 0) != 0 || pages.empty()) continue;
    MuChar c;
    c.x = std::atof(attr(line, "x").c_str());
    c.y = std::atof(attr(line, "y").c_str());
    c.c = xml_unescape(attr(line, "c"));
    pages.back().push_back(std::move(c));
  }
  return pages;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Returns the number of compared glyphs; fails on any glyph without a MuPDF match.
std::size_t compare_with_mutool(const std::string& path, const std::string& pdf) {
  ExtractedPdf ours = extract_glyphs(pdf);
  auto mu = mutool_chars(path);
  REQUIRE(mu.size() == ours.pages.size());
  std::size_t compared = 0, unmatched = 0;
  for (std::size_t p = 0; p < ours.pages.size(); ++p) {
    const auto& page = ours.pages[p];
    CHECK(page.rotate == 0);
    for (const auto& g : page.glyphs) {
      if (g.text.empty() || g.text == " ") continue;
      ++compared;
      double dx = g.origin_x - page.media_box.x0, dy = page.media_box.y1 - g.origin_y;
      bool found = false;
      for (auto& m : mu[p]) {
        if (!m.used && m.c == g.text && std::fabs(m.x - dx) <= 0.05 && std::fabs(m.y - dy) <= 0.05) {
          m.used = true;
          found = true;
          break;
        }
      }
      if (!found) {
        ++unmatched;
        if (unmatched <= 5) UNSCOPED_INFO("no MuPDF char at " << dx << "," << dy << " on page " << p + 1);
      }
    }
  }
  CHECK(unmatched == 0);
  return compared;
}

}  // namespace

TEST_CASE("glyph origins match MuPDF on real PDFs", "[pdf][interp][mutool]") {
  if (!have_mutool()) {
    WARN("mutool not installed: MuPDF comparison skipped");
    return;
  }
  const std::string dir = std::string(DECLASS_TEST_DATA) + "/pdf/interp/";
  for (const char* name : {"rl_courier_cable.pdf", "rl_mixed.pdf", "rl_truetype.pdf"}) {
    INFO(name);
    std::string path = dir + name;
    std::string pdf = read_file(path);
    REQUIRE(!pdf.empty());
    std::size_t n = compare_with_mutool(path, pdf);
    CHECK(n > 50);
  }
}

TEST_CASE("glyph origins match MuPDF on the project's own writer output", "[pdf][interp][mutool]") {
  if (!have_mutool()) {
    WARN("mutool not installed: MuPDF comparison skipped");
    return;
  }
  DocumentSpec spec;
  spec.creation_time = 1700000000;
  PageSpec page;
  const char* lines[] = {"UNCLASSIFIED", "SUBJECT: TALBOTT-PUTIN MEETING (C) caf\xc3\xa9 \xe2\x80\x94 end",
                         "1. (C) SUMMARY: THE DEPUTY SECRETARY MET ..."};
  double y = 740;
  for (const char* l : lines) {
    DrawOp t;
    t.text = l;
    t.x = 72;
    t.y = y;
    t.size = 10;
    page.ops.push_back(t);
    DrawOp s = t;
    s.font = Font::sans_bold;
    s.y = y - 14;
    s.size = 8;
    page.ops.push_back(s);
    y -= 40;
  }
  spec.pages.push_back(page);
  std::string pdf = write_document(spec);
  std::string path = "interp_writer_output.pdf";
  {
    std::ofstream out(path, std::ios::binary);
    out << pdf;
  }
  std::size_t n = compare_with_mutool(path, pdf);
  CHECK(n > 100);
  std::remove(path.c_str());
}
