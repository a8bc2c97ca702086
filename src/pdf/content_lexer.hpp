// Own lexer for PDF content streams (never PoDoFo's: it corrupts strings starting FF FE and cuts
// inline images at the first "EI"). Operands keep their raw spelling and decoded bytes, so a
// content stream can be parsed, edited op by op and written back without changing anything else.
// Internal to the pdf module; no third-party types.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace declass::pdf {

struct Operand {
  enum class Kind { number, name, string, array, dict, boolean, null, other };
  Kind kind = Kind::null;
  std::string raw;              // exact bytes as written in the stream
  std::string bytes;            // string: decoded bytes (escapes / hex resolved); name: decoded name without '/'
  double number = 0;            // number (and boolean: 1/0)
  std::vector<Operand> items;   // array elements; dict: key, value, key, value ...
};

struct ContentOp {
  std::string op;                 // operator keyword, e.g. "Tj"; "BI" for a whole inline image
  std::vector<Operand> operands;  // BI: the image dictionary as key, value, ... pairs
  std::size_t begin = 0, end = 0; // byte range of the op (operands included) in the parsed data
  std::string inline_data;        // BI only: the bytes between ID and EI
};

struct ContentParse {
  std::vector<ContentOp> ops;
  std::vector<std::string> problems;  // syntax problems (with byte offset); non-empty = do not trust for redaction
};

// Parses decoded content-stream bytes. Never throws; bounded nesting (arrays/dicts ≤ 64 deep).
// Operands left on the stack at the end, or a truncated inline image, are reported as problems.
ContentParse parse_content(std::string_view data);

// Writes operands / ops back in PDF syntax. Strings are written as hex from their bytes;
// numbers without exponent, trailing zeros trimmed; an unchanged operand may be written from raw.
std::string serialize_operand(const Operand& operand);
std::string serialize_op(const ContentOp& op);
std::string serialize_ops(const std::vector<ContentOp>& ops);

Operand make_number(double value);
Operand make_name(std::string_view name_without_slash);
Operand make_string(std::string_view bytes);

}  // namespace declass::pdf
