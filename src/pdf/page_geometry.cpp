// Page boxes and rotation of every page through libqpdf (see page_geometry.hpp). Only the page
// tree and the inheritable box/rotate attributes are read; content streams are never parsed.
#define POINTERHOLDER_TRANSITION 4
#include "pdf/page_geometry.hpp"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace declass::pdf {

namespace {

bool to_box(QPDFObjectHandle h, Box& out) {
  if (!h.isArray() || h.getArrayNItems() != 4) return false;
  double v[4];
  for (int i = 0; i < 4; ++i) {
    QPDFObjectHandle n = h.getArrayItem(i);
    if (!n.isNumber()) return false;
    v[i] = n.getNumericValue();
    if (!std::isfinite(v[i])) return false;
  }
  Box b{std::min(v[0], v[2]), std::min(v[1], v[3]), std::max(v[0], v[2]), std::max(v[1], v[3])};
  if (b.empty()) return false;
  out = b;
  return true;
}

}  // namespace

std::vector<PageGeometry> page_geometry(std::string_view pdf, const std::string& password) {
  std::vector<PageGeometry> out;
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("input.pdf", pdf.data(), pdf.size(), password.empty() ? nullptr : password.c_str());
    QPDFPageDocumentHelper pages(q);
    for (auto& page : pages.getAllPages()) {
      PageGeometry g;
      g.box = Box{0, 0, 612, 792};
      Box media;
      if (to_box(page.getAttribute("/MediaBox", false), media)) g.box = media;
      Box crop;
      if (to_box(page.getAttribute("/CropBox", false), crop)) {
        Box i{std::max(g.box.x0, crop.x0), std::max(g.box.y0, crop.y0), std::min(g.box.x1, crop.x1),
              std::min(g.box.y1, crop.y1)};
        if (!i.empty()) g.box = i;
      }
      QPDFObjectHandle rot = page.getAttribute("/Rotate", false);
      if (rot.isInteger()) {
        long long r = rot.getIntValue() % 360;
        if (r < 0) r += 360;
        g.rotate = (r == 90 || r == 180 || r == 270) ? static_cast<int>(r) : 0;
      }
      out.push_back(g);
    }
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password)
      throw Error(ErrorCategory::input, "PDF", password.empty() ? "is encrypted; give its password" : "wrong password for the encrypted PDF");
    throw Error(ErrorCategory::input, "PDF", "cannot read the page tree (the file is damaged)");
  } catch (const std::exception&) {
    throw Error(ErrorCategory::input, "PDF", "cannot read the page tree (the file is damaged)");
  }
  return out;
}

Box display_box(const Box& box, int rotate) {
  const double w = box.x1 - box.x0, h = box.y1 - box.y0;
  const bool swap = rotate == 90 || rotate == 270;
  return Box{box.x0, box.y0, box.x0 + (swap ? h : w), box.y0 + (swap ? w : h)};
}

// /Rotate turns the page clockwise for display. With du, dv the offsets in the display frame and
// W, H the unrotated size: 90 → user (W - dv, du); 180 → (W - du, H - dv); 270 → (dv, H - du).
DisplayPlacement place_upright(const Box& box, int rotate, double u, double v) {
  const double w = box.x1 - box.x0, h = box.y1 - box.y0;
  const double du = u - box.x0, dv = v - box.y0;
  DisplayPlacement p;
  switch (rotate) {
    case 90: p = {0, 1, -1, 0, box.x0 + w - dv, box.y0 + du}; break;
    case 180: p = {-1, 0, 0, -1, box.x0 + w - du, box.y0 + h - dv}; break;
    case 270: p = {0, -1, 1, 0, box.x0 + dv, box.y0 + h - du}; break;
    default: p = {1, 0, 0, 1, u, v}; break;
  }
  return p;
}

}  // namespace declass::pdf
