// One isolated worker process for one PDF, through both steps of a storeless redaction: it reads the
// glyphs (sent in the pieces of glyphs.hpp's encoding), then waits while the caller decides what to
// remove, and redacts — one process and one copy of the file per document instead of two.
// Behind it is core/isolate.hpp's conversation with the job "pdf.read_then_redact".
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/glyphs.hpp"
#include "pdf/redact.hpp"

namespace declass::pdf {

class PdfWorker {
 public:
  // `pdf` must outlive the worker; `what` names the file in messages. Nothing starts yet.
  PdfWorker(std::string_view pdf, std::string what, ExtractOptions read_options);
  ~PdfWorker();
  PdfWorker(const PdfWorker&) = delete;
  PdfWorker& operator=(const PdfWorker&) = delete;

  // Step 1: the glyph encoding, piece by piece, to `consume` (errors as extract_glyphs, or
  // Error(input) for a worker that crashed, hung or hit a limit). Once only.
  void read_glyphs(const std::function<void(std::string_view)>& consume);
  // Step 2, after step 1: redact_pdf on the same file in the same worker. Once only.
  RedactResult redact(const std::vector<RedactionArea>& areas, const RedactOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

}  // namespace declass::pdf
