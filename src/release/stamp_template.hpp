// Release stamp templates (templates/*.toml): page geometry of the typewriter body, redaction box
// style, and the stamps (text with {placeholders}, font, size, position, alignment, pages).
// Placeholders: {disposition} {codes} {review_authority_name} {review_authority_title} {case_no}
// {doc_no} {date} {page} {pages} {agency} {declassified}.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "pdf/writer.hpp"

namespace declass::release {

struct StampFields {
  std::string disposition = "RELEASE IN FULL";  // RELEASE IN FULL | RELEASE IN PART | DENIED IN FULL
  std::vector<std::string> codes;               // stamp codes for the header ("B6", "1.4(D)"), in order
  std::string review_authority_name;
  std::string review_authority_title;
  std::string case_no;
  std::string doc_no;
  std::string date;                             // MM/DD/YYYY; "" = the clock's date
  std::string agency = "U.S. Department of State";
  bool declassified = true;                     // adds the {declassified} text
};

struct StampSpec {
  std::string text;
  pdf::Font font = pdf::Font::sans_bold;
  double size = 9;
  double x = 0, y = 0;
  std::string align = "left";  // left | center | right (x is the left edge, centre or right edge)
  std::string pages = "all";   // all | first | rest
  double gray = 0;
};

struct StampTemplate {
  std::string name = "state";
  double page_width = 612, page_height = 792;
  double body_font_size = 10, leading = 12;
  int columns = 69;
  double first_baseline = 720, last_baseline = 84;
  double box_gray = 0, label_gray = 1;
  double label_max_size = 7, label_min_size = 4.5;
  pdf::Font label_font = pdf::Font::sans_bold;
  double cancel_line_width = 0.9;
  std::vector<StampSpec> stamps;
};

// Loads a TOML template; throws Error(input) with file:line for syntax errors, unknown keys, bad
// values, or a stamp that would overlap the text area.
StampTemplate load_template(const std::string& path);
StampTemplate parse_template(const std::string& toml_text, const std::string& source_name);
StampTemplate builtin_state_template();

// Replaces {placeholders}; unknown placeholders throw Error(input). Runs of spaces collapse.
std::string render_stamp_text(const std::string& text, const std::map<std::string, std::string>& values,
                              const std::string& where);

}  // namespace declass::release
