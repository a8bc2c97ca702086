// Internal to the pdf module: the raster fallback. One page is rendered on its own by pdftoppm
// (poppler-utils, a child process with a timeout and memory limit), the redaction areas are painted
// black into the pixels, and the page is rebuilt as a single Flate image. The rendering shows what
// a viewer shows: invisible (Tr 3) text is never drawn, so the result has no text layer at all.
#pragma once
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cstddef>
#include <string>
#include <vector>

#include "pdf/glyphs.hpp"

namespace declass::pdf {

struct RasterOptions {
  int dpi = 150;
  int timeout_seconds = 120;               // wall clock for pdftoppm; then it is killed
  std::size_t max_pixels = 100'000'000;    // larger renderings are refused
  std::string pdftoppm = "pdftoppm";       // program (looked up in PATH)
};

struct RasterImage {
  long width = 0, height = 0;
  int channels = 3;          // 3 = RGB (P6), 1 = gray (P5)
  std::string pixels;        // width*height*channels bytes, row 0 = top
};

// Renders page `page` of `pdf` alone: a one-page copy holding only its MediaBox, Resources and
// Contents (no annotations, CropBox := MediaBox, no /Rotate) so pixel (0,0) is the top-left corner
// of the unrotated MediaBox. Throws Error(pdf) when pdftoppm is missing, fails or times out.
RasterImage render_page(QPDF& pdf, QPDFPageObjectHelper page, const RasterOptions& options = {});

// Replaces the page's content in place: renders it, paints `areas_in_page_space` (touched pixels)
// black, and sets /Contents to one image drawn over the MediaBox and /Resources to only that image.
// /MediaBox is set on the page (inherited value resolved); /CropBox, /Rotate, /UserUnit are kept;
// /Annots is removed. Throws Error(pdf) on failure (the page is then unchanged).
void rasterize_page(QPDF& pdf, QPDFPageObjectHelper page, const std::vector<Box>& areas_in_page_space,
                    const RasterOptions& options = {});

}  // namespace declass::pdf
