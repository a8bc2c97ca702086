// The presentation model shared by every report: a title, key/value facts, notes and sections of tables,
// rendered as person-readable text, a self-contained HTML file (inline CSS with print rules, every value
// escaped), CSV (one table) or a PDF through the pdf writer (landscape pages of wrapped table rows).
// Reports build this from their value types; the JSON forms are built separately with their own schemas.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace declass::report {

struct Table {
  std::string caption;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells (missing cells are empty)
};

struct Section {
  std::string heading;
  std::vector<std::string> notes;  // paragraphs of text before the tables
  std::vector<Table> tables;
};

struct ReportDoc {
  std::string title;
  std::string schema;  // the JSON schema of the same report, e.g. declass.report.vaughn/1
  std::vector<std::pair<std::string, std::string>> facts;  // shown as a definition list at the top
  std::vector<std::string> notes;
  std::vector<Section> sections;
};

std::string render_text(const ReportDoc& doc);
std::string render_html(const ReportDoc& doc);
// RFC 4180 CSV of one table: header row, CRLF line ends, fields quoted when needed; cells that would
// start a spreadsheet formula (=, +, -, @) are prefixed with a single quote.
std::string render_csv(const Table& table);
// PDF bytes (unsigned): US Letter landscape, title block, facts, notes, tables with wrapped cells and
// repeated headers, "page N of M" footers. creation_time: unix seconds (deterministic output).
struct PdfAttachment {
  std::string name, mime, description, data;
};
std::string render_pdf(const ReportDoc& doc, std::int64_t creation_time, const std::vector<PdfAttachment>& attachments = {});

std::string html_escape(const std::string& s);

}  // namespace declass::report
