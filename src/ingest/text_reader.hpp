// Reads plain-text records (State cables, OCR text, e-mails, JFK records, FRUS text) into a
// Document: decoding, line splitting (LF, CRLF, CR, form feeds), zone classification, page
// numbering, paragraph reconstruction across page breaks, and marking extraction.
#pragma once
#include <string>
#include <string_view>

#include "ingest/document.hpp"

namespace declass::ingest {

// Parses bytes already in memory; `path` is only used in messages and Document::path.
// Throws Error(input) for empty or binary data.
Document parse_text(std::string_view bytes, const std::string& path);

// Reads and parses a file (missing file, directory, >50 MiB → Error(input) naming the path).
Document read_text_file(const std::string& path);

}  // namespace declass::ingest
