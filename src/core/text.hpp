// Text helpers shared by every module: input decoding (UTF-8, Latin-1 fallback, binary
// detection), ASCII case folding and trimming. Offsets are always byte offsets into UTF-8.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace declass::text {

struct Decoded {
  std::string utf8;       // the text as UTF-8; byte-identical to the input when it was valid UTF-8
  std::string encoding;   // "utf-8" or "latin-1"
};

bool is_valid_utf8(std::string_view s);
bool looks_binary(std::string_view bytes);  // NUL bytes or many control characters
Decoded decode(std::string_view bytes);      // UTF-8 as is (BOM removed), else Latin-1 → UTF-8

std::string to_upper(std::string_view s);   // ASCII only
std::string to_lower(std::string_view s);   // ASCII only
std::string_view trim(std::string_view s);  // ASCII whitespace
bool iequals(std::string_view a, std::string_view b);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::string collapse_spaces(std::string_view s);  // runs of whitespace → one space, trimmed
std::vector<std::string_view> split(std::string_view s, char sep);
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
inline bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace declass::text
