// libFuzzer target for the text reader: parse arbitrary bytes as a text record, then run the
// marking validation on the result with a fixed review date. Input errors (empty/binary) are
// expected and caught; anything else (crash, UB, uncaught exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "ingest/text_reader.hpp"
#include "markings/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    declass::ingest::Document doc = declass::ingest::parse_text(bytes, "fuzz");
    for (const auto& p : doc.paragraphs) {
      for (std::size_t i = 0; i < p.text.size(); ++i) {
        auto off = p.source_offset(i);
        if (off && (*off >= doc.text.size() || doc.text[*off] != p.text[i])) __builtin_trap();
      }
      (void)p.source_ranges(0, p.text.size());
    }
    auto marks = declass::ingest::paragraph_marks(doc);
    (void)declass::markings::validate(doc.markings, marks, declass::Date{2026, 1, 15});
  } catch (const declass::Error& e) {
    if (e.category() != declass::ErrorCategory::input) __builtin_trap();
  }
  return 0;
}
