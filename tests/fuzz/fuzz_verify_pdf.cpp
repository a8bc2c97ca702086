// Fuzz target: a signed release verifier must survive any bytes (hostile PDFs): inspection with
// libqpdf, the lint checklist and the CMS/ByteRange checks must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sign/sign.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  declass::sign::VerifyOptions opt;
  opt.withheld_terms = {"SECRET"};
  try {
    auto r = declass::sign::verify_pdf(in, opt);
    (void)r;
  } catch (...) {
  }
  return 0;
}
