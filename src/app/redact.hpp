// Storeless true redaction of PDF records as library calls (`declass redact`, the batch runner, the bench)
// and the redaction half of the release of a PDF record from the store: boxes, literal terms, RE2
// regexes and rules files → text ranges of the ingested Document (matched on paragraph text, so a match
// across a line break or a hyphenated line end is found, and on every line) → glyph rectangles →
// labelled pdf::RedactionArea → pdf::redact_pdf (verified fail-closed). Matched text is never logged
// or reported: areas say how they were found ("term #2", "regex #1", "rules.tsv line 14").
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "ingest/document.hpp"
#include "pdf/redact.hpp"
#include "release/release.hpp"

namespace declass::app {

// "B6", "(b)(6)", "b6", "B1,1.4(D)", "B1 1.4(D)", "(b)(7)(C)" → canonical codes ("(b)(6)", "1.4(d)").
// Error(usage) naming `where` for an empty list or an unknown code.
std::vector<std::string> parse_exemption_codes(const std::string& list, const std::string& where);
// Box label of codes: stamp spellings (release::stamp_code), de-duplicated, space separated ("B1 1.4(D)").
std::string label_for_codes(const std::vector<std::string>& codes);

// --box PAGE:x0,y0,x1,y1:CODES (PDF points, page user space, lower-left origin).
struct BoxSpec {
  int page = 0;
  pdf::Box box;
  std::vector<std::string> codes;
};
BoxSpec parse_box_spec(const std::string& arg, std::size_t index);  // Error(usage) "--box #N: ..."

// One search pattern: a literal term (--term TEXT:CODES, rules "lit") or an RE2 regex (--regex RE:CODES,
// rules "re"). `origin` names it in reports and messages without its text.
struct PatternSpec {
  bool literal = true;
  std::string pattern;
  std::vector<std::string> codes;
  std::string label;    // printed in the boxes
  std::string origin;   // "term #1", "regex #2", "rules.tsv line 14"
};
PatternSpec parse_term_spec(const std::string& arg, std::size_t index);   // TEXT:CODES (split at the last ':')
PatternSpec parse_regex_spec(const std::string& arg, std::size_t index);  // RE:CODES (split at the last ':')
// label<TAB>lit|re<TAB>pattern lines; '#' comments and blank lines skipped. Error(input) "FILE:LINE: ...".
std::vector<PatternSpec> load_rules_tsv(const std::string& path);
std::vector<PatternSpec> parse_rules_tsv(std::string_view text, const std::string& source_name);

// A match: the Document::text ranges it covers (one per line fragment) and the pattern that found it.
struct TextMatch {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  std::size_t pattern = 0;
};

// Compiled patterns (RE2; one RE2::Set pass per paragraph and line picks the patterns to run).
// Literal terms match case-insensitively unless case_sensitive; whitespace in a term matches any
// whitespace run including a line break; "A-" at a line end followed by "B" matches "A-B" and "AB".
class PatternMatcher {
 public:
  PatternMatcher(std::vector<PatternSpec> patterns, bool case_sensitive);  // Error(usage) for a bad regex
  ~PatternMatcher();
  PatternMatcher(PatternMatcher&&) noexcept;
  PatternMatcher& operator=(PatternMatcher&&) noexcept;
  const std::vector<PatternSpec>& patterns() const;
  // Matches on every paragraph's text and on every line's text; duplicates (same ranges, same pattern) removed.
  std::vector<TextMatch> find(const ingest::Document& doc) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Text pieces of Document::text ranges, one per line fragment, trimmed (what verification looks for),
// kept only when distinctive (release::is_distinctive) against the text outside the ranges plus `added_text`
// (stamps, labels). Also used by `declass verify --db` for a PDF record.
std::vector<std::string> pdf_withheld_terms(const ingest::Document& doc,
                                            const std::vector<std::pair<std::size_t, std::size_t>>& ranges,
                                            const std::string& added_text);

struct RedactSpec {
  std::vector<BoxSpec> boxes;
  std::vector<std::string> stamps;       // --stamp lines, drawn at the top margin of every page
  std::string password;
  bool rasterize_unsafe_pages = false;
};

// One area as reported: where, what codes, how found.
struct AreaRecord {
  pdf::RedactionArea area;
  std::vector<std::string> codes;
  std::string found_by;                  // "box #1", "term #2", "regex #1", "rules.tsv line 14"
};

struct RedactOutcome {
  std::string pdf;                       // verified, unsigned
  pdf::RedactReport report;
  std::vector<AreaRecord> areas;
  std::size_t matches = 0;               // text matches found (before mapping to rectangles)
  int pages = 0;
  double parse_seconds = 0, match_seconds = 0, redact_seconds = 0;
};

// Redacts one PDF (bytes; `path` for messages). Throws Error(input) (unreadable, encrypted, unsafe page
// refused, --box outside the document), Error(verification) (the output failed its checks: no bytes).
RedactOutcome redact_pdf_bytes(std::string_view bytes, const std::string& path, const RedactSpec& spec,
                               const PatternMatcher& matcher, const Clock& clock);

// The declass.redact/1 report of one file (input/output SHA-256 filled by the caller when known).
Json redact_report_json(const RedactOutcome& o, const std::string& input_path, const std::string& input_sha256,
                        const std::string& output_path, const std::string& output_sha256);

// Store release of a PDF record: the withheld ranges of `req` (Document::text ranges) become labelled areas,
// the template stamps (disposition + codes, review authority, case/doc numbers, date, pages) are drawn in
// the page margins, our XMP and release-audit.json are attached; verified. req.lines/cancel are not used.
struct PdfReleaseOptions {
  std::string password;
  bool rasterize_unsafe_pages = false;
};
struct PdfReleaseBuild {
  release::ReleaseResult result;         // pdf, pages, boxes (one per rectangle), withheld_terms, audit_sha256
  pdf::RedactReport report;
};
PdfReleaseBuild build_pdf_release(const ingest::Document& doc, std::string_view source_pdf,
                                  const release::ReleaseRequest& req, const PdfReleaseOptions& o);

}  // namespace declass::app
