// Entry points of the text reader: decode the bytes (UTF-8, Latin-1 fallback), refuse empty
// or binary input, then zone the lines, rebuild paragraphs and gather the document markings.
#include "ingest/text_reader.hpp"

#include "core/error.hpp"
#include "core/io.hpp"
#include "core/text.hpp"
#include "ingest/detail.hpp"

namespace declass::ingest {

Document parse_text(std::string_view bytes, const std::string& path) {
  const std::string where = path.empty() ? std::string("<input>") : path;
  if (bytes.empty())
    throw Error(ErrorCategory::input, where, "the file is empty; give a plain-text record (cable, OCR text, e-mail)");
  if (text::looks_binary(bytes))
    throw Error(ErrorCategory::input, where,
                "the file looks binary (NUL or control bytes), not a plain-text record; convert it to text first "
                "(PDF input goes through the PDF reader)");
  Document doc;
  doc.path = path;
  doc.format = "text";
  text::Decoded dec = text::decode(bytes);
  doc.text = std::move(dec.utf8);
  doc.encoding = dec.encoding;
  if (text::trim(doc.text).empty())
    throw Error(ErrorCategory::input, where, "the file contains only whitespace; give a plain-text record");
  detail::analyse_text(doc);
  return doc;
}

namespace detail {
void analyse_text(Document& doc, bool pages_from_form_feeds) {
  std::vector<LineInfo> info;
  zone_lines(doc, info);
  if (pages_from_form_feeds) {
    int page = 1;
    std::size_t pos = 0;
    for (Line& l : doc.lines) {
      for (; pos < l.offset && pos < doc.text.size(); ++pos)
        if (doc.text[pos] == '\f') ++page;
      l.page = page;
    }
    for (; pos < doc.text.size(); ++pos)
      if (doc.text[pos] == '\f') ++page;
    doc.pages = page;
  }
  build_paragraphs(doc, info);
}
}  // namespace detail

Document read_text_file(const std::string& path) {
  std::string bytes = io::read_file(path);
  return parse_text(bytes, path);
}

}  // namespace declass::ingest
