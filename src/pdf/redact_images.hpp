// Internal to the pdf module: blanks the pixels of an image XObject that lie under redaction areas.
// The image is decoded with libqpdf, covered pixels are set to the colour that renders black (its
// /SMask and /Mask made opaque over the same region) and the result is written as a NEW lossless
// Flate image object; images whose encoding we cannot decode are reported, never guessed at.
#pragma once
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstddef>
#include <string>
#include <vector>

#include "pdf/glyphs.hpp"
#include "pdf/interpreter.hpp"

namespace declass::pdf {

struct ImageBlankResult {
  enum class Status {
    untouched,      // no pixel of the image lies under an area: keep the original
    blanked,        // `replacement` is a new indirect image stream: point the resource name at it
    fully_covered,  // every pixel is under an area (or the image is degenerate): drop the Do
    unsupported     // cannot be decoded safely (JBIG2, JPX, CCITT, damaged ...): `reason` says why
  };
  Status status = Status::untouched;
  QPDFObjectHandle replacement;   // set for `blanked` only
  std::string reason;             // unsupported/fully_covered: why (never document content)
  std::size_t pixels_blanked = 0; // of the image itself, once per area (not counting masks)
};

// `image` is an image XObject stream of `pdf`; `ctm` maps its unit square to page space (the CTM
// at the Do). Pixels touched at all by any area (row 0 = top of the image) are blanked:
// Gray/RGB/CMYK/ICCBased/CalGray/CalRGB/Lab → black, Indexed → the palette entry closest to black,
// Separation/DeviceN → full tint on every colorant (maximum ink; black for /All or a black colorant),
// /ImageMask → painted (in the fill colour); /Decode arrays are honoured. The /SMask and a stencil
// /Mask are made opaque over the same region; a colour-key /Mask array is kept. The new image keeps
// only /Type /Subtype /Width /Height /ColorSpace /BitsPerComponent /Decode /ImageMask /Mask /SMask
// /Interpolate (/Matte on a soft mask) and is Flate-encoded (never JPEG re-encoded).
// Bounds: at most 1e8 pixels per image. Never throws for a bad image (→ unsupported).
ImageBlankResult blank_image_under(QPDF& pdf, QPDFObjectHandle image, const Matrix& ctm,
                                   const std::vector<Box>& areas_in_page_space);

// Pure pixel rectangle helper (exposed for tests and the inline-image path): the half-open pixel
// ranges [col0,col1) × [row0,row1) (row 0 = top) of a width×height image drawn through `ctm` that
// are touched by `area`; empty (col0 == col1) when nothing is touched.
struct PixelRect {
  long col0 = 0, col1 = 0, row0 = 0, row1 = 0;
  bool empty() const { return col0 >= col1 || row0 >= row1; }
};
PixelRect pixels_under(long width, long height, const Matrix& ctm, const Box& area);

}  // namespace declass::pdf
