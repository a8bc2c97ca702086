// Tests for the raster fallback (src/pdf/rasterize.cpp): a page with visible and invisible (Tr 3)
// text is rebuilt as one image with black pixels under the area and no text layer (pdftotext finds
// nothing), while the rendered content outside the area is still there.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include "pdf/inspect.hpp"
#include "pdf/rasterize.hpp"
#include "pdf/sanitize.hpp"

using namespace declass::pdf;

namespace {

bool have_program(const char* name) {
  std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string pdftotext(const std::string& pdf) {
  char path[] = "/tmp/declass-test-raster-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, pdf.data(), pdf.size()) == static_cast<ssize_t>(pdf.size()));
  close(fd);
  std::string cmd = std::string("pdftotext -q ") + path + " -";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  unlink(path);
  return out;
}

std::string make_page(QPDF& q) {
  q.emptyPDF();
  QPDFObjectHandle font = q.makeIndirectObject(QPDFObjectHandle::parse("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
  QPDFObjectHandle page = q.makeIndirectObject(QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 612 792] >>"));
  QPDFObjectHandle res = QPDFObjectHandle::parse("<< /Font << >> >>");
  res.getKey("/Font").replaceKey("/F1", font);
  page.replaceKey("/Resources", res);
  page.replaceKey("/Contents", QPDFObjectHandle::newStream(&q, "BT /F1 36 Tf 72 700 Td (VISIBLETEXT) Tj ET\n"
                                                               "BT 3 Tr /F1 12 Tf 72 500 Td (INVISIBLETEXT) Tj ET\n"
                                                               "0 0 1 rg 300 300 100 100 re f\n"));
  page.replaceKey("/Annots", QPDFObjectHandle::parse("[<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (NOTE) >>]"));
  QPDFPageDocumentHelper(q).addPage(QPDFPageObjectHelper(page), false);
  return "";
}

unsigned char pixel(const std::string& rgb, long width, long x, long y, int c) {
  return static_cast<unsigned char>(rgb.at(static_cast<std::size_t>((y * width + x) * 3 + c)));
}

}  // namespace

TEST_CASE("rasterize_page rebuilds a page as an image without text and with black areas", "[pdf][rasterize]") {
  if (!have_program("pdftoppm")) {
    WARN("pdftoppm not installed (poppler-utils): test skipped");
    return;
  }
  QPDF q;
  make_page(q);
  QPDFPageObjectHelper page = QPDFPageDocumentHelper(q).getAllPages().at(0);
  // Area over the right half of the blue square (x 350..400, y 300..400).
  rasterize_page(q, page, {Box{350, 300, 400, 400}});
  QPDFObjectHandle po = page.getObjectHandle();
  CHECK_FALSE(po.hasKey("/Annots"));
  QPDFObjectHandle img = po.getKey("/Resources").getKey("/XObject").getKey("/DeclassRaster");
  REQUIRE(img.isStream());
  CHECK(img.getDict().getKey("/Filter").getName() == "/FlateDecode");
  const long w = img.getDict().getKey("/Width").getIntValue(), h = img.getDict().getKey("/Height").getIntValue();
  CHECK(w == 1275);  // 612 pt at 150 dpi
  CHECK(h == 1650);  // 792 pt
  auto data = img.getStreamData(qpdf_dl_all);
  const std::string rgb(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  REQUIRE(rgb.size() == static_cast<std::size_t>(w * h * 3));
  // (375, 350) pt → pixel (781, 922): black. (325, 350) pt → (677, 922): the blue square. (500, 100) pt: white.
  for (int c = 0; c < 3; ++c) CHECK(pixel(rgb, w, 781, 922, c) == 0);
  CHECK(pixel(rgb, w, 677, 922, 2) > 200);
  CHECK(pixel(rgb, w, 677, 922, 0) < 50);
  for (int c = 0; c < 3; ++c) CHECK(pixel(rgb, w, 1041, 1442, c) == 255);
  // The visible text was rendered: dark pixels on its baseline row band (y 700..725 pt → rows 140..192).
  int dark = 0;
  for (long y = 140; y < 192; ++y)
    for (long x = 150; x < 600; ++x) dark += pixel(rgb, w, x, y, 0) < 100;
  CHECK(dark > 500);

  RebuildResult r = rebuild_document(q, RebuildOptions{});
  PdfInspection ins = inspect_pdf(r.pdf);
  REQUIRE(ins.page_text.size() == 1);
  CHECK(ins.page_text[0].find_first_not_of(" \n") == std::string::npos);
  CHECK_FALSE(ins.invisible_text);
  if (have_program("pdftotext")) {
    const std::string text = pdftotext(r.pdf);
    CHECK(text.find("VISIBLETEXT") == std::string::npos);
    CHECK(text.find("INVISIBLETEXT") == std::string::npos);
    CHECK(text.find_first_not_of(" \n\f") == std::string::npos);
  }
}

TEST_CASE("render_page refuses bad settings and reports a missing renderer", "[pdf][rasterize]") {
  QPDF q;
  make_page(q);
  QPDFPageObjectHelper page = QPDFPageDocumentHelper(q).getAllPages().at(0);
  RasterOptions bad;
  bad.dpi = 5000;
  CHECK_THROWS(render_page(q, page, bad));
  RasterOptions huge;
  huge.max_pixels = 1000;
  CHECK_THROWS(render_page(q, page, huge));
  RasterOptions missing;
  missing.pdftoppm = "/nonexistent/pdftoppm";
  CHECK_THROWS_WITH(render_page(q, page, missing), Catch::Contains("poppler-utils"));
  // the page is unchanged after a failure
  CHECK(page.getObjectHandle().hasKey("/Annots"));
}
