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

}  // namespace declass::pdf
