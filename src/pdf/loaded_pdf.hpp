// Internal to the pdf module: one PDF loaded once for both steps of PdfWorker's job (worker.hpp).
// Reading keeps each page's interpreter analysis while they fit a budget, and the redaction plan then
// starts from those instead of interpreting the pages again. Valid because redaction never edits an
// object another page still uses: each page gets new resource dictionaries and forms are copied.
#pragma once
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/glyphs.hpp"
#include "pdf/interpreter.hpp"
#include "pdf/redact.hpp"

namespace declass::pdf {

struct LoadedPdf {
  std::unique_ptr<QPDF> q;
  std::vector<QPDFPageObjectHelper> pages;
  std::vector<std::optional<PageAnalysis>> analyses;  // per page: kept from reading, or none
};

// Opens `pdf` (which must outlive the result) as extract_glyphs does, with its errors.
LoadedPdf load_pdf(std::string_view pdf, const ExtractOptions& options);

// extract_glyphs_pieces on a loaded file, keeping analyses of pages in order while their glyphs
// total at most `keep_glyphs`.
void extract_glyphs_pieces(LoadedPdf& doc, const ExtractOptions& options, const std::function<void(std::string_view)>& emit,
                           std::size_t keep_glyphs);

// redact_pdf on a loaded file (its pages changed in place; the kept analyses are used up).
RedactResult redact_pdf(LoadedPdf& doc, const std::vector<RedactionArea>& areas, const RedactOptions& options);

}  // namespace declass::pdf
