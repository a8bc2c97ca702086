// Page previews of a finished (e.g. signed release) PDF: one page rendered to PNG by pdftoppm in a
// child process with the raster fallback's limits (time, memory, bounded output). Implemented in
// rasterize.cpp next to the pdftoppm runner it shares; no qpdf types here, so the server can use it.
#pragma once
#include <cstddef>
#include <string>

namespace declass::pdf {

struct PreviewOptions {
  int dpi = 72;
  int timeout_seconds = 60;
  std::size_t max_png_bytes = std::size_t{64} << 20;
};

// PNG bytes of page `page` (1-based) of `pdf_bytes`. Throws Error(pdf) when pdftoppm is missing,
// fails (e.g. no such page) or times out.
std::string render_page_png(const std::string& pdf_bytes, int page, const PreviewOptions& options = {});

}  // namespace declass::pdf
