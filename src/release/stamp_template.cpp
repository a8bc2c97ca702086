// Loading and rendering release stamp templates (see stamp_template.hpp) with toml++.
// Every problem is reported with the template name and line so that an editor can fix it.
#include "release/stamp_template.hpp"

#include <toml++/toml.h>

#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/io.hpp"

namespace declass::release {

namespace {

// Same content as templates/state.toml (used when no template path is given).
const char* k_builtin_state = R"TOML(# U.S. Department of State FOIA release stamps (Virtual Reading Room style).
# Coordinates are PDF points from the lower-left corner of a Letter page (612 x 792).
# Placeholders: {disposition} {codes} {review_authority_name} {review_authority_title} {case_no}
# {doc_no} {date} {page} {pages} {agency} {declassified}. Fonts: "mono", "sans", "sans-bold".
# Stamps must stay outside the text area (first_baseline + leading .. last_baseline - leading).
name = "state"

[page]
width = 612
height = 792
body_font_size = 10      # DejaVu Sans Mono, advance measured from the font
leading = 12             # 6 lines per inch, like a teletype cable
columns = 69             # classic cable width; longer lines wrap at word boundaries
first_baseline = 720
last_baseline = 84

[box]
fill_gray = 0.0          # black box over the withheld character cells
label_gray = 1.0         # white exemption codes inside
label_font = "sans-bold"
label_max_size = 7
label_min_size = 4.5
cancel_line_width = 0.9  # line through cancelled classification markings

[[stamp]]
text = "{disposition} {codes}"
font = "sans-bold"
size = 11
x = 576
y = 762
align = "right"
pages = "all"

[[stamp]]
text = "REVIEW AUTHORITY: {review_authority_name}, {review_authority_title}"
font = "sans-bold"
size = 8
x = 576
y = 750
align = "right"
pages = "first"

[[stamp]]
text = "{declassified}"
font = "sans-bold"
size = 8
x = 36
y = 762
align = "left"
pages = "first"

[[stamp]]
text = "UNCLASSIFIED {agency} Case No. {case_no} Doc No. {doc_no} Date: {date}"
font = "sans-bold"
size = 8
x = 306
y = 44
align = "center"
pages = "all"

[[stamp]]
text = "Page {page} of {pages}"
font = "sans"
size = 8
x = 306
y = 32
align = "center"
pages = "all"
)TOML";

[[noreturn]] void bad(const std::string& where, const toml::node* n, const std::string& msg) {
  std::string loc = where;
  if (n) loc += ":" + std::to_string(n->source().begin.line);
  throw Error(ErrorCategory::input, loc, msg);
}

pdf::Font parse_font(const std::string& where, const toml::node* n) {
  auto s = n->value<std::string>();
  if (!s) bad(where, n, "font must be a string: mono, sans or sans-bold");
  if (*s == "mono") return pdf::Font::mono;
  if (*s == "sans") return pdf::Font::sans;
  if (*s == "sans-bold") return pdf::Font::sans_bold;
  bad(where, n, "unknown font '" + *s + "'; use mono, sans or sans-bold");
}

double num(const std::string& where, const toml::node* n, double lo, double hi, const std::string& key) {
  auto v = n->value<double>();
  if (!v) bad(where, n, key + " must be a number");
  if (*v < lo || *v > hi) bad(where, n, key + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return *v;
}

void check_keys(const std::string& where, const toml::table& t, const std::set<std::string>& allowed, const std::string& section) {
  for (auto&& [k, v] : t)
    if (!allowed.count(std::string(k.str())))
      bad(where, &v, "unknown key '" + std::string(k.str()) + "' in " + section);
}

}  // namespace

StampTemplate parse_template(const std::string& text, const std::string& where) {
  toml::table root;
  try {
    root = toml::parse(text, where);
  } catch (const toml::parse_error& e) {
    throw Error(ErrorCategory::input, where + ":" + std::to_string(e.source().begin.line), std::string(e.description()));
  }
  StampTemplate t;
  check_keys(where, root, {"name", "page", "box", "stamp"}, "the template");
  if (auto n = root.get("name")) {
    auto s = n->value<std::string>();
    if (!s) bad(where, n, "name must be a string");
    t.name = *s;
  }
  if (auto* page = root.get_as<toml::table>("page")) {
    check_keys(where, *page, {"width", "height", "body_font_size", "leading", "columns", "first_baseline", "last_baseline"}, "[page]");
    for (auto&& [k, v] : *page) {
      std::string key(k.str());
      if (key == "width") t.page_width = num(where, &v, 144, 5000, key);
      else if (key == "height") t.page_height = num(where, &v, 144, 5000, key);
      else if (key == "body_font_size") t.body_font_size = num(where, &v, 4, 24, key);
      else if (key == "leading") t.leading = num(where, &v, 4, 48, key);
      else if (key == "columns") t.columns = static_cast<int>(num(where, &v, 20, 200, key));
      else if (key == "first_baseline") t.first_baseline = num(where, &v, 0, 5000, key);
      else if (key == "last_baseline") t.last_baseline = num(where, &v, 0, 5000, key);
    }
  }
  if (auto* box = root.get_as<toml::table>("box")) {
    check_keys(where, *box, {"fill_gray", "label_gray", "label_font", "label_max_size", "label_min_size", "cancel_line_width"}, "[box]");
    for (auto&& [k, v] : *box) {
      std::string key(k.str());
      if (key == "fill_gray") t.box_gray = num(where, &v, 0, 0.6, key);  // must stay dark: the box must read as withheld
      else if (key == "label_gray") t.label_gray = num(where, &v, 0, 1, key);
      else if (key == "label_font") t.label_font = parse_font(where, &v);
      else if (key == "label_max_size") t.label_max_size = num(where, &v, 3, 14, key);
      else if (key == "label_min_size") t.label_min_size = num(where, &v, 3, 14, key);
      else if (key == "cancel_line_width") t.cancel_line_width = num(where, &v, 0.2, 3, key);
    }
  }
  if (t.first_baseline <= t.last_baseline) throw Error(ErrorCategory::input, where, "[page] first_baseline must be above last_baseline");
  if (t.first_baseline > t.page_height - t.leading || t.last_baseline < t.leading)
    throw Error(ErrorCategory::input, where, "[page] text area must lie inside the page");
  if (std::abs(t.label_gray - t.box_gray) < 0.5)
    throw Error(ErrorCategory::input, where, "[box] label_gray and fill_gray must differ by at least 0.5 so that codes are readable");
  if (auto* stamps = root.get("stamp")) {
    auto* arr = stamps->as_array();
    if (!arr) bad(where, stamps, "stamp must be an array of tables ([[stamp]])");
    for (auto&& n : *arr) {
      auto* st = n.as_table();
      if (!st) bad(where, &n, "each [[stamp]] must be a table");
      check_keys(where, *st, {"text", "font", "size", "x", "y", "align", "pages", "gray"}, "[[stamp]]");
      StampSpec s;
      bool has_text = false, has_x = false, has_y = false;
      for (auto&& [k, v] : *st) {
        std::string key(k.str());
        if (key == "text") {
          auto x = v.value<std::string>();
          if (!x) bad(where, &v, "text must be a string");
          s.text = *x;
          has_text = true;
        } else if (key == "font") s.font = parse_font(where, &v);
        else if (key == "size") s.size = num(where, &v, 4, 36, key);
        else if (key == "x") { s.x = num(where, &v, 0, t.page_width, key); has_x = true; }
        else if (key == "y") { s.y = num(where, &v, 0, t.page_height, key); has_y = true; }
        else if (key == "gray") s.gray = num(where, &v, 0, 0.7, key);
        else if (key == "align" || key == "pages") {
          auto x = v.value<std::string>();
          std::set<std::string> ok = key == "align" ? std::set<std::string>{"left", "center", "right"}
                                                    : std::set<std::string>{"all", "first", "rest"};
          if (!x || !ok.count(*x)) bad(where, &v, key == "align" ? "align must be left, center or right" : "pages must be all, first or rest");
          (key == "align" ? s.align : s.pages) = *x;
        }
      }
      if (!has_text || !has_x || !has_y) bad(where, &n, "a [[stamp]] needs text, x and y");
      // Stamps must not overlap the typewriter text area.
      double top = t.first_baseline + t.body_font_size, bottom = t.last_baseline - t.body_font_size * 0.3;
      double s_top = s.y + s.size, s_bottom = s.y - s.size * 0.25;
      if (s_bottom < top + 2 && s_top > bottom - 2)
        bad(where, &n, "stamp at y=" + std::to_string(s.y) + " overlaps the text area (baselines " + std::to_string(t.last_baseline) +
                           ".." + std::to_string(t.first_baseline) + "); move it above or below");
      t.stamps.push_back(std::move(s));
    }
  }
  return t;
}

StampTemplate load_template(const std::string& path) { return parse_template(io::read_file(path, 1 << 20), path); }

StampTemplate builtin_state_template() { return parse_template(k_builtin_state, "builtin:state.toml"); }

std::string render_stamp_text(const std::string& text, const std::map<std::string, std::string>& values, const std::string& where) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    auto close = text.find('}', i);
    if (close == std::string::npos) throw Error(ErrorCategory::input, where, "unclosed '{' in stamp text");
    std::string key = text.substr(i + 1, close - i - 1);
    auto it = values.find(key);
    if (it == values.end()) throw Error(ErrorCategory::input, where, "unknown placeholder {" + key + "} in stamp text");
    out += it->second;
    i = close;
  }
  // collapse runs of spaces, trim, and drop a dangling ", " left by an empty value
  std::string c;
  for (char ch : out) {
    if (ch == ' ' && (c.empty() || c.back() == ' ')) continue;
    c += ch;
  }
  while (!c.empty() && (c.back() == ' ' || c.back() == ',')) c.pop_back();
  return c;
}

}  // namespace declass::release
