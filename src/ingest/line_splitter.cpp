// Line splitting of decoded text: LF, CRLF and CR terminators; a form feed ends the current
// line (when it has text) and marks the next line as the start of a new page. Offsets are
// byte offsets into the decoded text and never include terminators or form feeds.
#include "ingest/detail.hpp"

namespace declass::ingest::detail {

std::vector<RawLine> split_lines(std::string_view text) {
  std::vector<RawLine> out;
  out.reserve(text.size() / 40 + 1);
  std::size_t start = 0;
  bool pending_ff = false;
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    char c = text[i];
    if (c == '\n' || c == '\r') {
      out.push_back({start, i - start, pending_ff});
      pending_ff = false;
      if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      ++i;
      start = i;
    } else if (c == '\f') {
      if (i > start) {  // form feed after text on the same line: end that line first
        out.push_back({start, i - start, pending_ff});
      }
      pending_ff = true;
      ++i;
      start = i;
    } else {
      ++i;
    }
  }
  if (start < n) out.push_back({start, n - start, pending_ff});
  return out;
}

}  // namespace declass::ingest::detail
