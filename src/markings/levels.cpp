// Classification levels (MARKINGS.md §1): ordering, ISM codes, banner words, and the canonical
// banner rendering of a Marking ("SECRET//NOFORN", "TOP SECRET//SI//NOFORN", "UNCLASSIFIED//FOUO").
#include "markings/detail.hpp"
#include "markings/types.hpp"

namespace declass::markings {

int rank(Level l) { return static_cast<int>(l); }

const char* code(Level l) {
  switch (l) {
    case Level::U: return "U";
    case Level::R: return "R";
    case Level::C: return "C";
    case Level::S: return "S";
    case Level::TS: return "TS";
  }
  return "U";
}

const char* banner_word(Level l) {
  switch (l) {
    case Level::U: return "UNCLASSIFIED";
    case Level::R: return "RESTRICTED";
    case Level::C: return "CONFIDENTIAL";
    case Level::S: return "SECRET";
    case Level::TS: return "TOP SECRET";
  }
  return "UNCLASSIFIED";
}

std::optional<Level> parse_level_code(const std::string& s) {
  std::string u = detail::upper(detail::trim(s));
  if (u == "TS" || u == "TOP SECRET") return Level::TS;
  if (u == "S" || u == "SECRET") return Level::S;
  if (u == "C" || u == "CONFIDENTIAL") return Level::C;
  if (u == "R" || u == "RESTRICTED") return Level::R;
  if (u == "U" || u == "UNCLASSIFIED" || u == "UNCLAS") return Level::U;
  return std::nullopt;
}

std::string Marking::canonical() const {
  std::vector<std::string> cs = controls;
  detail::sort_controls(cs);
  std::string out = classification ? banner_word(*classification) : "";
  int prev_cat = -1;
  for (const auto& c : cs) {
    int cat = detail::control_category(c);
    if (out.empty()) {
      out = c;
    } else if (cat == prev_cat) {
      out += "/" + c;
    } else {
      out += "//" + c;
    }
    prev_cat = cat;
  }
  return out;
}

}  // namespace declass::markings
