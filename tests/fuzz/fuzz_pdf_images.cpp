// Fuzz target: true redaction of hostile PDFs with areas over images — image decoding/blanking
// (redact_images.cpp), the allow-list rebuild (sanitize.cpp) and the verifier must never crash or
// hang; Error is fine. The corpus holds pages with images of every supported kind under the areas.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pdf/redact.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<declass::pdf::RedactionArea> areas(2);
  areas[0].page = 1;
  areas[0].box = declass::pdf::Box{155, 545, 215, 575};  // partly over the images of corpus/pdf_images/images.pdf
  areas[0].label = "B6";
  areas[1].page = 1;
  areas[1].box = declass::pdf::Box{100, 100, 300, 250};
  declass::pdf::RedactOptions opt;
  opt.withheld_terms = {"SECRET"};
  try {
    auto r = declass::pdf::redact_pdf(in, areas, opt);
    (void)r;
  } catch (...) {
  }
  return 0;
}
