// Reads a PDF with libqpdf (never PoDoFo: the input may be hostile) and reports what a release
// check needs: every object decoded (including unreferenced ones), own text extraction from page
// content streams, Info/XMP/attachments, signature dictionaries with their ByteRange and /Contents
// hole, structural findings, and the lint checklist of shared/tools/lint_release.sh implemented natively.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace declass::pdf {

struct Attachment {
  std::string name;
  std::string mime;
  std::string data;
};

struct SignatureDict {
  std::string field_name;          // /T of the field ("" if the signature is not in a field)
  std::string filter, sub_filter;  // e.g. "/Adobe.PPKLite", "/ETSI.CAdES.detached"
  std::vector<long long> byte_range;
  std::string contents;            // raw bytes of /Contents (DER, zero padded)
  bool hole_ok = false;            // file bytes between the two ranges are exactly "<hex of /Contents>"
  std::string problem;             // why hole_ok is false
};

struct PdfInspection {
  bool parsed = false;
  std::string parse_error;
  std::vector<std::string> warnings;   // qpdf warnings (damage, recovered xref ...)
  int pages = 0;
  int startxref_sections = 0;          // "startxref" keywords = revisions
  std::size_t xref_objects = 0;        // objects in the (merged) cross-reference table
  std::size_t reachable_objects = 0;   // objects reachable from the trailer
  bool encrypted = false;
  std::map<std::string, std::string> info;  // Info keys (without '/') → text value
  std::string xmp;
  std::vector<Attachment> attachments;
  std::vector<SignatureDict> signatures;
  std::vector<std::string> page_text;  // own extraction: per page, lines top to bottom, '\n' separated
  std::string decoded_objects;         // all objects unparsed + all decoded stream data
  std::vector<std::string> findings;   // structural: forbidden names/keys with the object they are in
  std::vector<std::string> fields;     // /FT values of form fields ("/Sig" ...)
  std::vector<std::string> annotation_subtypes;
  std::vector<std::string> unused_resources;  // "page 3: /Font /F9"
  bool invisible_text = false;         // a "3 Tr" text render mode was used
};

// Never throws for bad input: parse problems are reported in parse_error / warnings.
PdfInspection inspect_pdf(std::string_view bytes);

// Text normalisation used for leak checks: whitespace runs → one space, a hyphen at a line end joined
// ("CHIKVISH-\nVILI" → "CHIKVISHVILI"), upper case.
std::string normalize_for_search(std::string_view text);

struct LintOptions {
  bool signed_release = false;   // allow: one signature update, the signature field/widget
  bool allow_xmp = true;         // our own XMP packet
  std::vector<std::string> allowed_attachments = {"release-audit.json"};
  std::vector<std::string> terms;  // withheld strings that must not be anywhere
};

struct LintCheck {
  std::string name;
  bool ok = true;
  std::string detail;
};

// The checklist of lint_release.sh (+ a few more) evaluated on an inspection of `bytes`.
std::vector<LintCheck> lint_release(const PdfInspection& ins, std::string_view bytes, const LintOptions& opt);

}  // namespace declass::pdf
