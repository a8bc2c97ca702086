// Fuzz target: the content interpreter must survive any bytes. The input is read as a whole PDF
// (libqpdf + our interpreter on every page via extract_glyphs, Error allowed) and, separately, the
// raw bytes are lexed as a content stream and the serialized result re-lexed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "pdf/content_lexer.hpp"
#include "pdf/glyphs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  try {
    declass::pdf::ExtractOptions opt;
    opt.max_pages = 50;
    auto r = declass::pdf::extract_glyphs(in, opt);
    std::string enc = declass::pdf::encode_extracted(r);
    (void)declass::pdf::decode_extracted(enc);
  } catch (const declass::Error&) {
  }
  auto parsed = declass::pdf::parse_content(in);
  std::string again = declass::pdf::serialize_ops(parsed.ops);
  (void)declass::pdf::parse_content(again);
  return 0;
}
