// `declass inspect` as a library call: load a record, validate its markings as of a review
// date, and render the result as schema declass.inspect/1 JSON or as a person-readable summary.
// The CLI, the import step of the review workflow and the tests all call these functions.
#pragma once
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/json.hpp"
#include "ingest/document.hpp"
#include "ingest/pdf_reader.hpp"
#include "markings/types.hpp"

namespace declass::app {

struct Inspection {
  ingest::Document document;
  std::string sha256;                        // of the input bytes
  std::vector<markings::Finding> findings;   // ordered: document level first, then by paragraph
  markings::Marking computed_banner;         // roll-up of the portion marks
  bool has_errors() const;                   // any finding of severity "error"
};

// Reads the file: a text record, or a PDF (by content; read in an isolated worker, `pdf` gives the
// password of an encrypted one). Throws Error(input) for unreadable, encrypted or text-less files.
Inspection inspect_file(const std::string& path, const Date& review_date, const ingest::PdfReadOptions& pdf = {});
// Same, on bytes already in memory (used by import and the fuzz target).
Inspection inspect_bytes(const std::string& bytes, const std::string& path, const Date& review_date,
                         const ingest::PdfReadOptions& pdf = {});

Json inspect_json(const Inspection& in, const Date& review_date);  // schema declass.inspect/1
std::string inspect_text(const Inspection& in);                      // person-readable summary

Json marking_json(const markings::Marking& m);

}  // namespace declass::app
