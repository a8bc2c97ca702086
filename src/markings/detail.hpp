// Internal helpers shared by the markings sources (not a public API): ASCII character tests,
// the control-marking vocabulary (portion abbreviations → banner forms, grammar order),
// country-name → trigraph mapping and a bounded edit distance for OCR-tolerant matching.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "markings/types.hpp"

namespace declass::markings::detail {

inline char up(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
inline char low(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool digit(char c) { return c >= '0' && c <= '9'; }
inline bool alnum(char c) { return alpha(c) || digit(c); }
inline bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string upper(std::string_view s);
std::string_view trim(std::string_view s);
// Runs of whitespace → one space, trimmed.
std::string collapse(std::string_view s);
// Case-insensitive search for an ASCII needle; npos when absent.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0);
// Case-insensitive equality of hay[pos, pos+word.size()) with word.
bool iat(std::string_view hay, std::size_t pos, std::string_view word);
// Case-insensitive match of a whole word at pos (no letter/digit directly after it).
bool iword_at(std::string_view hay, std::size_t pos, std::string_view word);

// Levenshtein distance, or max+1 when it exceeds max (cheap early exit).
int edit_distance(std::string_view a, std::string_view b, int max);

// Grammar-order rank of a canonical control (SCI < SAP < AEA < FGI < dissem < non-IC < other).
int control_rank(std::string_view canonical);
int control_category(std::string_view canonical);
// Sorts into grammar order and removes duplicates.
void sort_controls(std::vector<std::string>& controls);
bool has_control(const std::vector<std::string>& controls, std::string_view c);
bool has_control_prefix(const std::vector<std::string>& controls, std::string_view prefix);

// Parses the control part of a banner or portion (already upper-cased; the level removed),
// e.g. "//NF", "/REL TO USA, GBR", " NF", "//SI//NOFORN". Appends canonical controls.
// Returns false when any token is outside the vocabulary. banner=true additionally tolerates a
// trailing print id ("PTO1637") and legacy declassification tails ("MR", "OADR", "X1").
bool parse_controls(std::string_view rest, std::vector<std::string>& out, bool banner);

// Country name or code → ISO trigraph / tetragraph ("GERMANY" → "DEU", "ROYG" → "YEM",
// "GBR" → "GBR"). nullopt when the word cannot be a country token.
std::optional<std::string> country_code(std::string_view upper_word);
// "REL TO " + USA first, then trigraphs, then tetragraphs, each alphabetically.
std::string rel_to(std::vector<std::string> countries);
// Countries of a canonical "REL TO USA, GBR" control.
std::vector<std::string> rel_countries(std::string_view control);

}  // namespace declass::markings::detail
