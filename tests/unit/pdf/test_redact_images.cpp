// Tests for image blanking (src/pdf/redact_images.cpp): pixels under an area become black (or the
// palette entry closest to black, or painted for masks), every other pixel keeps its exact value,
// soft masks become opaque over the same region, and undecodable or hostile images are refused.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/Pl_DCT.hh>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/QPDF.hh>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "pdf/redact_images.hpp"

using namespace declass::pdf;
using Status = ImageBlankResult::Status;

namespace {

std::string deflate(const std::string& raw) {
  Pl_Buffer buf("t");
  Pl_Flate fl("f", &buf, Pl_Flate::a_deflate);
  fl.write(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  fl.finish();
  auto b = buf.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

std::string jpeg(const std::string& rgb, unsigned w, unsigned h) {
  Pl_Buffer buf("j");
  Pl_DCT dct("dct", &buf, w, h, 3, JCS_RGB);
  dct.write(reinterpret_cast<const unsigned char*>(rgb.data()), rgb.size());
  dct.finish();
  auto b = buf.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

QPDFObjectHandle image(QPDF& q, const std::string& data, const std::string& dict) {
  QPDFObjectHandle s = QPDFObjectHandle::newStream(&q, data);
  QPDFObjectHandle d = QPDFObjectHandle::parse(dict);
  for (const auto& k : d.getKeys()) s.getDict().replaceKey(k, d.getKey(k));
  return s;
}

std::string decoded(QPDFObjectHandle s) {
  auto b = s.getStreamData(qpdf_dl_all);
  return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

// 20×10 RGB image with pixel (x, y) = (10x, 20y, 128), row 0 at the top.
std::string rgb_pixels() {
  std::string p;
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 20; ++x) {
      p += static_cast<char>(10 * x);
      p += static_cast<char>(20 * y);
      p += static_cast<char>(128);
    }
  return p;
}

// The image is drawn at x 100..300, y 500..600 (10 pt per pixel). The area x 155..215, y 545..575
// touches columns 5..11 (x 150..220) and rows 2..5 (rows counted from the top: y 580..540).
const Matrix k_ctm{200, 0, 0, 100, 100, 500};
const std::vector<Box> k_area{Box{155, 545, 215, 575}};
bool inside(int x, int y) { return x >= 5 && x <= 11 && y >= 2 && y <= 5; }

}  // namespace

TEST_CASE("pixels_under maps a page area to the touched pixels", "[pdf][images]") {
  PixelRect r = pixels_under(20, 10, k_ctm, k_area[0]);
  CHECK(r.col0 == 5);
  CHECK(r.col1 == 12);
  CHECK(r.row0 == 2);
  CHECK(r.row1 == 6);
  CHECK(pixels_under(20, 10, k_ctm, Box{0, 0, 50, 50}).empty());
  // A 90° rotated image: unit square (u, v) → page (100 - 100v, 500 + 200u) ... still conservative.
  PixelRect rot = pixels_under(20, 10, Matrix{0, 200, -100, 0, 200, 500}, Box{150, 500, 200, 520});
  CHECK_FALSE(rot.empty());
}

TEST_CASE("RGB Flate image partly under an area: inside black, outside unchanged, SMask opaque", "[pdf][images]") {
  QPDF q;
  q.emptyPDF();
  const std::string px = rgb_pixels();
  QPDFObjectHandle smask = image(q, deflate(std::string(200, static_cast<char>(100))),
                                 "<< /Type /XObject /Subtype /Image /Width 20 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8 "
                                 "/Filter /FlateDecode >>");
  QPDFObjectHandle img = image(q, deflate(px),
                               "<< /Type /XObject /Subtype /Image /Width 20 /Height 10 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                               "/Filter /FlateDecode /Intent /Perceptual /OC << /Type /OCG /Name (L) >> >>");
  img.getDict().replaceKey("/SMask", smask);
  img.getDict().replaceKey("/Metadata", QPDFObjectHandle::newStream(&q, "<xmp>IMAGESECRET</xmp>"));
  ImageBlankResult r = blank_image_under(q, img, k_ctm, k_area);
  REQUIRE(r.status == Status::blanked);
  CHECK(r.pixels_blanked == 7 * 4);
  QPDFObjectHandle d = r.replacement.getDict();
  CHECK(d.getKey("/Filter").getName() == "/FlateDecode");
  CHECK_FALSE(d.hasKey("/Metadata"));
  CHECK_FALSE(d.hasKey("/OC"));
  CHECK_FALSE(d.hasKey("/Intent"));
  CHECK(d.getKey("/Width").getIntValue() == 20);
  CHECK(d.getKey("/Height").getIntValue() == 10);
  CHECK(r.replacement.getObjGen() != img.getObjGen());
  const std::string out = decoded(r.replacement);
  REQUIRE(out.size() == px.size());
  int inside_black = 0, outside_same = 0;
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 20; ++x)
      for (int c = 0; c < 3; ++c) {
        const std::size_t i = static_cast<std::size_t>((y * 20 + x) * 3 + c);
        if (inside(x, y)) {
          inside_black += out[i] == 0;
        } else {
          outside_same += out[i] == px[i];
        }
      }
  CHECK(inside_black == 7 * 4 * 3);
  CHECK(outside_same == (200 - 28) * 3);
  // the original image object is untouched
  CHECK(decoded(img) == px);
  // soft mask: 255 (opaque) inside, 100 elsewhere
  QPDFObjectHandle ns = d.getKey("/SMask");
  REQUIRE(ns.isStream());
  CHECK(ns.getObjGen() != smask.getObjGen());
  const std::string sm = decoded(ns);
  REQUIRE(sm.size() == 200);
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 20; ++x)
      CHECK(static_cast<unsigned char>(sm[static_cast<std::size_t>(y * 20 + x)]) == (inside(x, y) ? 255 : 100));
}

TEST_CASE("DCT (JPEG) image is decoded, blanked and re-encoded losslessly as Flate", "[pdf][images]") {
  QPDF q;
  q.emptyPDF();
  const std::string px = rgb_pixels();
  QPDFObjectHandle img = image(q, jpeg(px, 20, 10),
                               "<< /Type /XObject /Subtype /Image /Width 20 /Height 10 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                               "/Filter /DCTDecode >>");
  const std::string original = decoded(img);  // what a viewer shows (lossy JPEG of px)
  REQUIRE(original.size() == px.size());
  ImageBlankResult r = blank_image_under(q, img, k_ctm, k_area);
  REQUIRE(r.status == Status::blanked);
  QPDFObjectHandle f = r.replacement.getDict().getKey("/Filter");
  CHECK(f.isName());
  CHECK(f.getName() == "/FlateDecode");
  const std::string out = decoded(r.replacement);
  REQUIRE(out.size() == original.size());
  bool ok = true;
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 20; ++x)
      for (int c = 0; c < 3; ++c) {
        const std::size_t i = static_cast<std::size_t>((y * 20 + x) * 3 + c);
        if (inside(x, y) ? out[i] != 0 : out[i] != original[i]) ok = false;
      }
  CHECK(ok);
}

TEST_CASE("1-bit images: bits under the area set to black, /Decode honoured", "[pdf][images]") {
  QPDF q;
  q.emptyPDF();
  // 16×4, 1 pt per pixel at the origin; area x 3.5..9.5, y 0.5..1.5 → columns 3..9, rows 2..3 (from the top).
  const Matrix ctm{16, 0, 0, 4, 0, 0};
  const std::vector<Box> area{Box{3.5, 0.5, 9.5, 1.5}};
  SECTION("white image, default decode: black = bit 0") {
    QPDFObjectHandle img = image(q, std::string(8, static_cast<char>(0xFF)),
                                 "<< /Type /XObject /Subtype /Image /Width 16 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 1 >>");
    ImageBlankResult r = blank_image_under(q, img, ctm, area);
    REQUIRE(r.status == Status::blanked);
    const std::string out = decoded(r.replacement);
    REQUIRE(out.size() == 8);
    const unsigned char want[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xE0, 0x3F, 0xE0, 0x3F};
    for (int i = 0; i < 8; ++i) CHECK(static_cast<unsigned char>(out[static_cast<std::size_t>(i)]) == want[i]);
  }
  SECTION("inverted /Decode [1 0]: black = bit 1") {
    QPDFObjectHandle img = image(q, std::string(8, '\0'),
                                 "<< /Type /XObject /Subtype /Image /Width 16 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 1 "
                                 "/Decode [1 0] >>");
    ImageBlankResult r = blank_image_under(q, img, ctm, area);
    REQUIRE(r.status == Status::blanked);
    const std::string out = decoded(r.replacement);
    REQUIRE(out.size() == 8);
    const unsigned char want[8] = {0, 0, 0, 0, 0x1F, 0xC0, 0x1F, 0xC0};
    for (int i = 0; i < 8; ++i) CHECK(static_cast<unsigned char>(out[static_cast<std::size_t>(i)]) == want[i]);
    CHECK(r.replacement.getDict().getKey("/Decode").unparse() == "[ 1 0 ]");
  }
  SECTION("stencil mask: covered samples become painted (0)") {
    QPDFObjectHandle img = image(q, std::string(8, static_cast<char>(0xFF)),
                                 "<< /Type /XObject /Subtype /Image /Width 16 /Height 4 /ImageMask true >>");
    ImageBlankResult r = blank_image_under(q, img, ctm, area);
    REQUIRE(r.status == Status::blanked);
    const std::string out = decoded(r.replacement);
    REQUIRE(out.size() == 8);
    CHECK(static_cast<unsigned char>(out[4]) == 0xE0);
    CHECK(static_cast<unsigned char>(out[5]) == 0x3F);
    CHECK(r.replacement.getDict().getKey("/ImageMask").getBoolValue());
  }
}

TEST_CASE("Indexed image is blanked to the palette entry closest to black", "[pdf][images]") {
  QPDF q;
  q.emptyPDF();
  // palette: 0 white, 1 red (200,0,0), 2 near-black (10,20,30), 3 green
  std::string pal = std::string("\xFF\xFF\xFF", 3) + std::string("\xC8\x00\x00", 3) + std::string("\x0A\x14\x1E", 3) +
                    std::string("\x00\xFF\x00", 3);
  QPDFObjectHandle cs = QPDFObjectHandle::parse("[/Indexed /DeviceRGB 3 <>]");
  cs.setArrayItem(3, QPDFObjectHandle::newString(pal));
  QPDFObjectHandle img = image(q, std::string(16, '\0'), "<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /BitsPerComponent 8 >>");
  img.getDict().replaceKey("/ColorSpace", cs);
  // 4×4 image on x 0..4, y 0..4; area x 0..1.5 → columns 0,1; all rows.
  ImageBlankResult r = blank_image_under(q, img, Matrix{4, 0, 0, 4, 0, 0}, {Box{-1, -1, 1.5, 5}});
  REQUIRE(r.status == Status::blanked);
  const std::string out = decoded(r.replacement);
  REQUIRE(out.size() == 16);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) CHECK(static_cast<int>(out[static_cast<std::size_t>(y * 4 + x)]) == (x < 2 ? 2 : 0));
}

TEST_CASE("CMYK and 16-bit samples: black is K = 1", "[pdf][images]") {
  QPDF q;
  q.emptyPDF();
  QPDFObjectHandle img = image(q, std::string(2 * 1 * 4 * 2, '\0'),
                               "<< /Type /XObject /Subtype /Image /Width 2 /Height 1 /ColorSpace /DeviceCMYK /BitsPerComponent 16 >>");
  ImageBlankResult r = blank_image_under(q, img, Matrix{2, 0, 0, 1, 0, 0}, {Box{0, 0, 0.9, 1}});
  REQUIRE(r.status == Status::blanked);
  const std::string out = decoded(r.replacement);
  REQUIRE(out.size() == 16);
  // pixel 0: C M Y = 0, K = 65535; pixel 1 untouched
  CHECK(out.substr(0, 6) == std::string(6, '\0'));
  CHECK(out.substr(6, 2) == "\xFF\xFF");
  CHECK(out.substr(8) == std::string(8, '\0'));
}

TEST_CASE("undecodable, fully covered, distant and hostile images", "[pdf][images]") {
  QPDF q;
  q.emptyPDF();
  const std::string dict = "<< /Type /XObject /Subtype /Image /Width 20 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8 ";
  SECTION("JBIG2 is reported unsupported") {
    QPDFObjectHandle img = image(q, "junk", dict + "/Filter /JBIG2Decode >>");
    ImageBlankResult r = blank_image_under(q, img, k_ctm, k_area);
    CHECK(r.status == Status::unsupported);
    CHECK(r.reason.find("JBIG2Decode") != std::string::npos);
  }
  SECTION("JPX in a filter array is reported unsupported") {
    QPDFObjectHandle img = image(q, "junk", dict + "/Filter [/ASCIIHexDecode /JPXDecode] >>");
    ImageBlankResult r = blank_image_under(q, img, k_ctm, k_area);
    CHECK(r.status == Status::unsupported);
    CHECK(r.reason.find("JPXDecode") != std::string::npos);
  }
  SECTION("an image entirely under the area is fully covered, even if undecodable") {
    QPDFObjectHandle img = image(q, "junk", dict + "/Filter /CCITTFaxDecode >>");
    ImageBlankResult r = blank_image_under(q, img, k_ctm, {Box{90, 490, 310, 610}});
    CHECK(r.status == Status::fully_covered);
  }
  SECTION("an image away from every area is untouched") {
    QPDFObjectHandle img = image(q, "junk", dict + "/Filter /JBIG2Decode >>");
    CHECK(blank_image_under(q, img, k_ctm, {Box{0, 0, 50, 50}}).status == Status::untouched);
  }
  SECTION("short data is refused before any pixel is touched") {
    QPDFObjectHandle img = image(q, deflate(std::string(150, 'x')), dict + "/Filter /FlateDecode >>");
    ImageBlankResult r = blank_image_under(q, img, k_ctm, k_area);
    CHECK(r.status == Status::unsupported);
  }
  SECTION("damaged Flate data is refused") {
    QPDFObjectHandle img = image(q, "this is not zlib data at all", dict + "/Filter /FlateDecode >>");
    CHECK(blank_image_under(q, img, k_ctm, k_area).status == Status::unsupported);
  }
  SECTION("absurd dimensions are refused") {
    QPDFObjectHandle img = image(q, "x", "<< /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray /BitsPerComponent 8 >>");
    CHECK(blank_image_under(q, img, k_ctm, k_area).status == Status::unsupported);
    QPDFObjectHandle neg = image(q, "x", "<< /Subtype /Image /Width -5 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8 >>");
    CHECK(blank_image_under(q, neg, k_ctm, k_area).status == Status::unsupported);
    QPDFObjectHandle bpc = image(q, "x", dict.substr(0, dict.size() - 20) + "/BitsPerComponent 7 >>");
    CHECK(blank_image_under(q, bpc, k_ctm, k_area).status == Status::unsupported);
  }
  SECTION("a Flate bomb stops at the expected size") {
    QPDFObjectHandle img = image(q, deflate(std::string(50u << 20, '\0')), dict + "/Filter /FlateDecode >>");
    CHECK(blank_image_under(q, img, k_ctm, k_area).status == Status::unsupported);
  }
  SECTION("a degenerate matrix under an area is dropped") {
    QPDFObjectHandle img = image(q, std::string(200, 'x'), dict + ">>");
    CHECK(blank_image_under(q, img, Matrix{0, 0, 0, 0, 160, 560}, k_area).status == Status::fully_covered);
  }
}

TEST_CASE("ICCBased, Separation, DeviceN and Lab images get the sample that renders black", "[pdf][images]") {
  QPDF q;
  q.emptyPDF();
  // 2×1 images, 8 bits; the area covers the left pixel only.
  const Matrix ctm{2, 0, 0, 1, 0, 0};
  const std::vector<Box> area{Box{0, 0, 0.9, 1}};
  auto run = [&](QPDFObjectHandle cs, int ncomp, char fill) {
    QPDFObjectHandle img = image(q, std::string(static_cast<std::size_t>(2 * ncomp), fill),
                                 "<< /Type /XObject /Subtype /Image /Width 2 /Height 1 /BitsPerComponent 8 >>");
    img.getDict().replaceKey("/ColorSpace", cs);
    ImageBlankResult r = blank_image_under(q, img, ctm, area);
    REQUIRE(r.status == Status::blanked);
    return decoded(r.replacement);
  };
  SECTION("ICCBased /N 3 behaves as RGB") {
    QPDFObjectHandle icc = QPDFObjectHandle::newStream(&q, "fake profile");
    icc.getDict().replaceKey("/N", QPDFObjectHandle::newInteger(3));
    QPDFObjectHandle cs = QPDFObjectHandle::parse("[/ICCBased null]");
    cs.setArrayItem(1, icc);
    CHECK(run(cs, 3, '\x55') == std::string("\0\0\0\x55\x55\x55", 6));
  }
  SECTION("Separation: full tint (255)") {
    QPDFObjectHandle cs = QPDFObjectHandle::parse("[/Separation /Spot /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>]");
    CHECK(run(cs, 1, '\x10') == std::string("\xFF\x10", 2));
  }
  SECTION("DeviceN with two colorants: full tint on both") {
    QPDFObjectHandle cs = QPDFObjectHandle::parse("[/DeviceN [/Cyan /Black] /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>]");
    CHECK(run(cs, 2, '\x20') == std::string("\xFF\xFF\x20\x20", 4));
  }
  SECTION("Lab with the default range: L = 0 → 0, a = b = 0 → 128 of [-100, 100]") {
    QPDFObjectHandle cs = QPDFObjectHandle::parse("[/Lab << /WhitePoint [0.95 1 1.09] >>]");
    CHECK(run(cs, 3, '\x40') == std::string("\x00\x80\x80\x40\x40\x40", 6));
  }
  SECTION("ICCBased with /N 2 is refused") {
    QPDFObjectHandle icc = QPDFObjectHandle::newStream(&q, "fake profile");
    icc.getDict().replaceKey("/N", QPDFObjectHandle::newInteger(2));
    QPDFObjectHandle cs = QPDFObjectHandle::parse("[/ICCBased null]");
    cs.setArrayItem(1, icc);
    QPDFObjectHandle img = image(q, std::string(4, '\0'), "<< /Type /XObject /Subtype /Image /Width 2 /Height 1 /BitsPerComponent 8 >>");
    img.getDict().replaceKey("/ColorSpace", cs);
    CHECK(blank_image_under(q, img, ctm, area).status == Status::unsupported);
  }
}
