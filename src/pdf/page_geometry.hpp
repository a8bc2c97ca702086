// Page geometry of a PDF (effective page box and /Rotate per page) read with libqpdf without
// interpreting any content: what code outside the pdf module needs to place stamps in the margins
// of an existing PDF (declass redact, the release of PDF records).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "pdf/glyphs.hpp"

namespace declass::pdf {

struct PageGeometry {
  Box box;         // MediaBox, intersected with the CropBox when that is smaller (user space, unrotated)
  int rotate = 0;  // /Rotate normalised to 0, 90, 180 or 270
};

// One entry per page, in page order. Throws Error(input) for an unreadable file or an encrypted
// file without (or with a wrong) password. A missing or degenerate box falls back to US Letter.
std::vector<PageGeometry> page_geometry(std::string_view pdf, const std::string& password = "");

// The page as a viewer shows it (after /Rotate), as a box with the same lower-left corner as `box`:
// width and height swap for 90 and 270. Stamps are placed in this frame so they read upright.
Box display_box(const Box& box, int rotate);

// Where a point (u, v) of the display frame of display_box(box, rotate) lies in user space, and the
// text matrix that draws upright (for the viewer) text from there: [a b c d x y] for "Tm".
struct DisplayPlacement {
  double a = 1, b = 0, c = 0, d = 1, x = 0, y = 0;
};
DisplayPlacement place_upright(const Box& box, int rotate, double u, double v);

}  // namespace declass::pdf
