// Tests for the PDF writer: fonts measured from the font files, deterministic output, allow-listed
// structure (no stray objects), text written as WinAnsi literal strings, and qpdf acceptance.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "pdf/writer.hpp"

using namespace declass::pdf;

namespace {
DocumentSpec sample() {
  DocumentSpec s;
  s.title = "Test release";
  s.creation_time = 1700000000;
  s.xmp = "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'></x:xmpmeta><?xpacket end='w'?>";
  s.attachments.push_back({"release-audit.json", "application/json", "audit", "{\"entries\":[]}"});
  PageSpec p;
  DrawOp t;
  t.text = "HELLO (WORLD) \\ caf\xc3\xa9 \xe2\x80\x94 end";
  t.x = 72;
  t.y = 700;
  p.ops.push_back(t);
  DrawOp r;
  r.kind = DrawOp::Kind::fill_rect;
  r.x = 72;
  r.y = 680;
  r.w = 60;
  r.h = 12;
  p.ops.push_back(r);
  DrawOp l;
  l.kind = DrawOp::Kind::text;
  l.font = Font::sans_bold;
  l.text = "B6";
  l.gray = 1;
  l.x = 80;
  l.y = 683;
  l.size = 7;
  p.ops.push_back(l);
  s.pages.push_back(p);
  s.pages.push_back(p);
  return s;
}
}  // namespace

TEST_CASE("monospace advance is measured from DejaVu Sans Mono") {
  // DejaVu Sans Mono: advance 1233 units of 2048 per em → 6.0205 pt at 10 pt.
  CHECK(char_advance(Font::mono, U'M', 10) == Approx(6.0205).epsilon(0.001));
  CHECK(char_advance(Font::mono, U'i', 10) == Approx(char_advance(Font::mono, U'W', 10)));
  CHECK(char_advance(Font::sans, U'i', 10) < char_advance(Font::sans, U'W', 10));
  CHECK(font_ascent(Font::mono, 10) > 7.0);
  CHECK(font_descent(Font::mono, 10) < -1.5);
}

TEST_CASE("UTF-8 maps to WinAnsi one byte per code point") {
  auto u = utf8_to_u32("a\xc3\xa9\xe2\x80\x94\xff");
  REQUIRE(u.size() == 4);
  CHECK(u[1] == 0xE9);
  CHECK(u[2] == 0x2014);
  CHECK(u[3] == 0xFFFD);
  CHECK(to_winansi(0x2014) == '\x97');
  CHECK(to_winansi(0x0416) == '?');
  CHECK(from_winansi(0x97) == 0x2014);
}

TEST_CASE("write_document is deterministic and allow-listed") {
  std::string a = write_document(sample());
  std::string b = write_document(sample());
  REQUIRE(a == b);
  CHECK(a.rfind("%PDF-1.7", 0) == 0);
  CHECK(a.find("/Author") == std::string::npos);
  CHECK(a.find("PoDoFo") == std::string::npos);
  CHECK(a.find("/Producer") != std::string::npos);
  CHECK(a.find("release-audit.json") != std::string::npos);
  // exactly one revision
  std::size_t n = 0;
  for (std::size_t p = a.find("startxref"); p != std::string::npos; p = a.find("startxref", p + 1)) ++n;
  CHECK(n == 1);
  // in the temporary folder, not wherever the test binary was started from
  std::string path = (std::filesystem::temp_directory_path() / ("declass_test_writer_" + std::to_string(::getpid()) + ".pdf")).string();
  std::ofstream(path, std::ios::binary) << a;
  if (std::system("command -v qpdf >/dev/null 2>&1") == 0) {
    CHECK(std::system(("qpdf --check " + path + " >/dev/null 2>&1").c_str()) == 0);
  }
  if (std::system("command -v pdftotext >/dev/null 2>&1") == 0) {
    CHECK(std::system(("pdftotext -q " + path + " - | grep -q 'HELLO (WORLD)'").c_str()) == 0);
    CHECK(std::system(("pdffonts " + path + " | grep -q 'DejaVuSansMono.*TrueType.*WinAnsi.*yes.*yes.*yes'").c_str()) == 0);
  }
  std::filesystem::remove(path);
}

TEST_CASE("empty document is refused") {
  DocumentSpec s;
  CHECK_THROWS(write_document(s));
}
