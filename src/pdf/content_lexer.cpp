// Own lexer and serializer for decoded PDF content streams (see content_lexer.hpp): operands keep
// their raw spelling and decoded bytes; inline images are delimited by their computed data length
// when unfiltered, else by a validated "EI" search. Never throws on bad input; problems are listed.
#include "pdf/content_lexer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace declass::pdf {

namespace {

constexpr int k_max_nesting = 64;

inline bool is_ws(unsigned char c) { return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32; }
inline bool is_delim(unsigned char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
         c == '%';
}
inline bool is_regular(unsigned char c) { return !is_ws(c) && !is_delim(c); }
inline int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool known_operator(std::string_view k) {
  static const char* const ops[] = {"b",  "B",  "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c",  "cm", "CS", "cs",
                                    "d",  "d0", "d1", "Do", "DP",  "EI", "EMC", "ET", "EX", "f",  "F",  "f*", "G",
                                    "g",  "gs", "h",  "i",  "ID",  "j",  "J",   "K",  "k",  "l",  "m",  "M",  "MP",
                                    "n",  "q",  "Q",  "re", "RG",  "rg", "ri",  "s",  "S",  "SC", "sc", "SCN", "scn",
                                    "sh", "T*", "Tc", "Td", "TD",  "Tf", "Tj",  "TJ", "TL", "Tm", "Tr", "Ts",  "Tw",
                                    "Tz", "v",  "w",  "W",  "W*",  "y",  "'",   "\""};
  for (const char* o : ops)
    if (k == o) return true;
  return false;
}

// Parses a PDF number token (no exponent). Returns false when the token is not a well-formed number;
// `value` then holds the value of the longest valid prefix (0 if none).
bool parse_number_token(std::string_view t, double& value) {
  value = 0;
  std::size_t i = 0;
  bool neg = false;
  bool ok = true;
  // PDF readers accept repeated signs ("--5"); treat as malformed but keep going.
  while (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    if (i > 0) ok = false;
    if (t[i] == '-') neg = !neg;
    ++i;
  }
  char buf[64];
  std::size_t n = 0;
  bool dot = false, digits = false;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (n < sizeof(buf) - 2) buf[n++] = c;
      else if (!dot) {
        value = neg ? -1e300 : 1e300;  // absurdly long integer part
        return false;
      }
    } else if (c == '.' && !dot) {
      dot = true;
      if (n < sizeof(buf) - 2) buf[n++] = c;
    } else {
      ok = false;
      break;
    }
  }
  if (!digits) return false;
  if (n == 0 || (n == 1 && buf[0] == '.')) return false;
  double v = 0;
  auto r = std::from_chars(buf, buf + n, v, std::chars_format::fixed);
  if (r.ec != std::errc()) {
    // e.g. "5." is accepted by from_chars; overflow gives result_out_of_range.
    return false;
  }
  value = neg ? -v : v;
  return ok;
}

class Lexer {
 public:
  Lexer(std::string_view data, ContentParse& out) : m_d(data), m_out(out) {}

  void run() {
    std::vector<Operand> stack;
    std::size_t first_operand = std::string_view::npos;
    while (true) {
      skip_ws_comments();
      if (m_p >= m_d.size()) break;
      unsigned char c = static_cast<unsigned char>(m_d[m_p]);
      std::size_t start = m_p;
      if (c == ')' || c == '>' || c == ']' || c == '{' || c == '}') {
        problem("unexpected '" + std::string(1, static_cast<char>(c)) + "'", m_p);
        ++m_p;
        continue;
      }
      if (is_regular(c) && !starts_number(c)) {
        std::string_view kw = read_regular();
        if (kw == "true" || kw == "false" || kw == "null") {
          Operand o;
          o.raw = std::string(kw);
          if (kw == "null") o.kind = Operand::Kind::null;
          else {
            o.kind = Operand::Kind::boolean;
            o.number = kw == "true" ? 1 : 0;
          }
          if (first_operand == std::string_view::npos) first_operand = start;
          stack.push_back(std::move(o));
          continue;
        }
        ContentOp op;
        op.op = std::string(kw);
        op.begin = first_operand == std::string_view::npos ? start : first_operand;
        if (kw == "BI") {
          if (!stack.empty()) problem("operands before BI", start);
          stack.clear();
          if (!inline_image(op)) {
            m_fatal = true;
            return;
          }
        } else {
          op.operands = std::move(stack);
        }
        stack.clear();
        op.end = m_p;
        first_operand = std::string_view::npos;
        m_out.ops.push_back(std::move(op));
        continue;
      }
      Operand o;
      if (!read_object(o, 0)) {
        if (m_fatal) return;
        continue;
      }
      if (first_operand == std::string_view::npos) first_operand = start;
      stack.push_back(std::move(o));
    }
    if (!stack.empty()) problem("operands without an operator at the end", first_operand);
  }

  bool fatal() const { return m_fatal; }

 private:
  std::string_view m_d;
  ContentParse& m_out;
  std::size_t m_p = 0;
  bool m_fatal = false;

  void problem(const std::string& what, std::size_t at) {
    if (m_out.problems.size() < 100) m_out.problems.push_back(what + " at byte " + std::to_string(at));
  }

  static bool starts_number(unsigned char c) { return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'; }

  void skip_ws_comments() {
    while (m_p < m_d.size()) {
      unsigned char c = static_cast<unsigned char>(m_d[m_p]);
      if (is_ws(c)) {
        ++m_p;
      } else if (c == '%') {
        while (m_p < m_d.size() && m_d[m_p] != '\n' && m_d[m_p] != '\r') ++m_p;
      } else {
        break;
      }
    }
  }

  std::string_view read_regular() {
    std::size_t s = m_p;
    while (m_p < m_d.size() && is_regular(static_cast<unsigned char>(m_d[m_p]))) ++m_p;
    return m_d.substr(s, m_p - s);
  }

  // Reads one object at m_p (not a keyword operator). Returns false on a syntax problem (reported).
  bool read_object(Operand& o, int depth) {
    if (depth > k_max_nesting) {
      problem("nesting deeper than 64", m_p);
      m_fatal = true;
      return false;
    }
    std::size_t start = m_p;
    unsigned char c = static_cast<unsigned char>(m_d[m_p]);
    if (starts_number(c)) {
      std::string_view t = read_regular();
      o.kind = Operand::Kind::number;
      o.raw = std::string(t);
      if (!parse_number_token(t, o.number)) problem("malformed number", start);
      return true;
    }
    if (c == '/') {
      ++m_p;
      std::size_t s = m_p;
      while (m_p < m_d.size() && is_regular(static_cast<unsigned char>(m_d[m_p]))) ++m_p;
      o.kind = Operand::Kind::name;
      o.raw = std::string(m_d.substr(start, m_p - start));
      std::string_view n = m_d.substr(s, m_p - s);
      o.bytes.reserve(n.size());
      for (std::size_t i = 0; i < n.size(); ++i) {
        if (n[i] == '#' && i + 2 < n.size() && hex_value(static_cast<unsigned char>(n[i + 1])) >= 0 &&
            hex_value(static_cast<unsigned char>(n[i + 2])) >= 0) {
          o.bytes += static_cast<char>(hex_value(static_cast<unsigned char>(n[i + 1])) * 16 +
                                       hex_value(static_cast<unsigned char>(n[i + 2])));
          i += 2;
        } else {
          o.bytes += n[i];
        }
      }
      return true;
    }
    if (c == '(') return read_literal(o);
    if (c == '<') {
      if (m_p + 1 < m_d.size() && m_d[m_p + 1] == '<') return read_dict(o, depth);
      return read_hex(o);
    }
    if (c == '[') return read_array(o, depth);
    // Anything else inside an array/dict: a bare keyword or stray delimiter.
    if (is_regular(c)) {
      std::string_view t = read_regular();
      o.raw = std::string(t);
      if (t == "true" || t == "false") {
        o.kind = Operand::Kind::boolean;
        o.number = t == "true" ? 1 : 0;
      } else if (t == "null") {
        o.kind = Operand::Kind::null;
      } else {
        o.kind = Operand::Kind::other;
        problem("keyword inside array or dictionary", start);
      }
      return true;
    }
    problem("unexpected '" + std::string(1, static_cast<char>(c)) + "'", m_p);
    ++m_p;
    return false;
  }

  bool read_literal(Operand& o) {
    std::size_t start = m_p;
    ++m_p;
    o.kind = Operand::Kind::string;
    int level = 1;
    while (m_p < m_d.size()) {
      char c = m_d[m_p];
      if (c == '\\') {
        ++m_p;
        if (m_p >= m_d.size()) break;
        char e = m_d[m_p];
        switch (e) {
          case 'n': o.bytes += '\n'; ++m_p; break;
          case 'r': o.bytes += '\r'; ++m_p; break;
          case 't': o.bytes += '\t'; ++m_p; break;
          case 'b': o.bytes += '\b'; ++m_p; break;
          case 'f': o.bytes += '\f'; ++m_p; break;
          case '\r':
            ++m_p;
            if (m_p < m_d.size() && m_d[m_p] == '\n') ++m_p;
            break;
          case '\n': ++m_p; break;
          default:
            if (e >= '0' && e <= '7') {
              int v = 0, n = 0;
              while (n < 3 && m_p < m_d.size() && m_d[m_p] >= '0' && m_d[m_p] <= '7') {
                v = v * 8 + (m_d[m_p] - '0');
                ++m_p;
                ++n;
              }
              o.bytes += static_cast<char>(v & 0xFF);
            } else {
              o.bytes += e;  // \( \) \\ and unknown escapes: the character itself
              ++m_p;
            }
        }
        continue;
      }
      if (c == '(') {
        ++level;
      } else if (c == ')') {
        if (--level == 0) {
          ++m_p;
          o.raw = std::string(m_d.substr(start, m_p - start));
          return true;
        }
      } else if (c == '\r') {
        // An unescaped end-of-line is a single LF, whatever its spelling.
        o.bytes += '\n';
        ++m_p;
        if (m_p < m_d.size() && m_d[m_p] == '\n') ++m_p;
        continue;
      }
      o.bytes += c;
      ++m_p;
    }
    problem("unterminated string", start);
    o.raw = std::string(m_d.substr(start));
    m_fatal = true;
    return false;
  }

  bool read_hex(Operand& o) {
    std::size_t start = m_p;
    ++m_p;
    o.kind = Operand::Kind::string;
    int pending = -1;
    while (m_p < m_d.size()) {
      unsigned char c = static_cast<unsigned char>(m_d[m_p]);
      if (c == '>') {
        ++m_p;
        if (pending >= 0) o.bytes += static_cast<char>(pending * 16);
        o.raw = std::string(m_d.substr(start, m_p - start));
        return true;
      }
      ++m_p;
      if (is_ws(c)) continue;
      int v = hex_value(c);
      if (v < 0) {
        problem("invalid character in hex string", m_p - 1);
        continue;
      }
      if (pending < 0) pending = v;
      else {
        o.bytes += static_cast<char>(pending * 16 + v);
        pending = -1;
      }
    }
    problem("unterminated hex string", start);
    m_fatal = true;
    return false;
  }

  bool read_array(Operand& o, int depth) {
    std::size_t start = m_p;
    ++m_p;
    o.kind = Operand::Kind::array;
    while (true) {
      skip_ws_comments();
      if (m_p >= m_d.size()) {
        problem("unterminated array", start);
        m_fatal = true;
        return false;
      }
      if (m_d[m_p] == ']') {
        ++m_p;
        o.raw = std::string(m_d.substr(start, m_p - start));
        return true;
      }
      Operand item;
      if (!read_object(item, depth + 1)) {
        if (m_fatal) return false;
        continue;
      }
      o.items.push_back(std::move(item));
    }
  }

  bool read_dict(Operand& o, int depth) {
    std::size_t start = m_p;
    m_p += 2;
    o.kind = Operand::Kind::dict;
    while (true) {
      skip_ws_comments();
      if (m_p >= m_d.size()) {
        problem("unterminated dictionary", start);
        m_fatal = true;
        return false;
      }
      if (m_d[m_p] == '>' && m_p + 1 < m_d.size() && m_d[m_p + 1] == '>') {
        m_p += 2;
        if (o.items.size() % 2 != 0) problem("dictionary with an odd number of items", start);
        o.raw = std::string(m_d.substr(start, m_p - start));
        return true;
      }
      Operand item;
      if (!read_object(item, depth + 1)) {
        if (m_fatal) return false;
        continue;
      }
      o.items.push_back(std::move(item));
    }
  }

  // --- inline images -------------------------------------------------------------------------
  static const Operand* dict_get(const std::vector<Operand>& items, const char* k1, const char* k2) {
    for (std::size_t i = 0; i + 1 < items.size(); i += 2)
      if (items[i].kind == Operand::Kind::name && (items[i].bytes == k1 || items[i].bytes == k2)) return &items[i + 1];
    return nullptr;
  }

  // Data length of an unfiltered inline image, or -1 when it cannot be computed.
  static long long unfiltered_length(const std::vector<Operand>& items) {
    const Operand* f = dict_get(items, "F", "Filter");
    if (f && !(f->kind == Operand::Kind::null || (f->kind == Operand::Kind::array && f->items.empty()))) return -1;
    const Operand* w = dict_get(items, "W", "Width");
    const Operand* h = dict_get(items, "H", "Height");
    if (!w || !h || w->kind != Operand::Kind::number || h->kind != Operand::Kind::number) return -1;
    const Operand* im = dict_get(items, "IM", "ImageMask");
    bool mask = im && im->kind == Operand::Kind::boolean && im->number != 0;
    double bpc = 1;
    int comps = 1;
    if (!mask) {
      const Operand* b = dict_get(items, "BPC", "BitsPerComponent");
      if (!b || b->kind != Operand::Kind::number) return -1;
      bpc = b->number;
      const Operand* cs = dict_get(items, "CS", "ColorSpace");
      if (!cs) return -1;
      std::string n;
      if (cs->kind == Operand::Kind::name) n = cs->bytes;
      else if (cs->kind == Operand::Kind::array && !cs->items.empty() && cs->items[0].kind == Operand::Kind::name)
        n = cs->items[0].bytes;
      else return -1;
      if (n == "G" || n == "DeviceGray" || n == "CalGray" || n == "I" || n == "Indexed") comps = 1;
      else if (n == "RGB" || n == "DeviceRGB" || n == "CalRGB" || n == "Lab") comps = 3;
      else if (n == "CMYK" || n == "DeviceCMYK") comps = 4;
      else return -1;  // a named resource colour space: unknown here
      if (cs->kind == Operand::Kind::name && (n == "I" || n == "Indexed")) return -1;
    }
    if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) return -1;
    double W = w->number, H = h->number;
    if (!(W >= 1 && H >= 1 && W <= 1e6 && H <= 1e6) || W != std::floor(W) || H != std::floor(H)) return -1;
    long long row = (static_cast<long long>(W) * comps * static_cast<long long>(bpc) + 7) / 8;
    return row * static_cast<long long>(H);
  }

  // True when `pos` is the start of "EI" followed by white space, a delimiter or the end.
  bool ei_at(std::size_t pos) const {
    if (pos + 2 > m_d.size() || m_d[pos] != 'E' || m_d[pos + 1] != 'I') return false;
    if (pos + 2 == m_d.size()) return true;
    unsigned char n = static_cast<unsigned char>(m_d[pos + 2]);
    return is_ws(n) || is_delim(n);
  }

  // After a candidate EI ending at `pos`: do the next bytes lex as plausible content?
  bool plausible_after(std::size_t pos) const {
    std::size_t p = 0;
    std::string_view d = m_d.substr(pos, 512);
    int tokens = 0;
    while (p < d.size() && tokens < 24) {
      unsigned char c = static_cast<unsigned char>(d[p]);
      if (is_ws(c)) {
        ++p;
        continue;
      }
      if (c >= 0x80 || (c < 0x20 && !is_ws(c))) return false;
      if (c == '%') {
        while (p < d.size() && d[p] != '\n' && d[p] != '\r') ++p;
        continue;
      }
      ++tokens;
      if (c == '(' || c == '<' || c == '[' || c == ']' || c == '>') {
        // Strings / arrays / dicts: accept and skip a bounded stretch.
        if (c == '(') {
          int lvl = 0;
          while (p < d.size()) {
            if (d[p] == '\\') p += 2;
            else {
              if (d[p] == '(') ++lvl;
              else if (d[p] == ')' && --lvl == 0) {
                ++p;
                break;
              }
              ++p;
            }
          }
        } else {
          ++p;
        }
        continue;
      }
      if (c == '/') {
        ++p;
        while (p < d.size() && is_regular(static_cast<unsigned char>(d[p]))) ++p;
        continue;
      }
      std::size_t s = p;
      while (p < d.size() && is_regular(static_cast<unsigned char>(d[p]))) ++p;
      if (p == s) {
        ++p;
        continue;
      }
      std::string_view t = d.substr(s, p - s);
      if (starts_number(static_cast<unsigned char>(t[0]))) {
        double v;
        if (!parse_number_token(t, v)) return false;
        continue;
      }
      if (t == "true" || t == "false" || t == "null") continue;
      if (p == d.size() && pos + 512 < m_d.size()) return true;  // token cut by the window
      if (!known_operator(t)) return false;
    }
    return true;
  }

  bool inline_image(ContentOp& op) {
    std::size_t bi = op.begin;
    // Dictionary: key value pairs up to the keyword ID.
    while (true) {
      skip_ws_comments();
      if (m_p >= m_d.size()) {
        problem("truncated inline image (no ID)", bi);
        return false;
      }
      unsigned char c = static_cast<unsigned char>(m_d[m_p]);
      if (is_regular(c) && !starts_number(c)) {
        std::size_t s = m_p;
        std::string_view kw = read_regular();
        if (kw == "ID") break;
        m_p = s;
      }
      Operand o;
      if (!read_object(o, 1)) {
        if (m_fatal) return false;
        continue;
      }
      op.operands.push_back(std::move(o));
    }
    if (op.operands.size() % 2 != 0) problem("inline image dictionary with an odd number of items", bi);
    // Exactly one white-space byte follows ID (tolerate none when the data starts right away).
    if (m_p < m_d.size() && is_ws(static_cast<unsigned char>(m_d[m_p]))) {
      ++m_p;
    }
    std::size_t data_start = m_p;
    long long len = unfiltered_length(op.operands);
    if (len >= 0) {
      if (static_cast<unsigned long long>(len) > m_d.size() - data_start) {
        problem("truncated inline image", bi);
        return false;
      }
      std::size_t q = data_start + static_cast<std::size_t>(len);
      std::size_t r = q;
      while (r < m_d.size() && is_ws(static_cast<unsigned char>(m_d[r]))) ++r;
      if (ei_at(r)) {
        op.inline_data = std::string(m_d.substr(data_start, q - data_start));
        m_p = r + 2;
        return true;
      }
      // Length disagrees with the data: fall through to the search, which validates what follows.
    }
    for (std::size_t p = data_start; p + 2 <= m_d.size(); ++p) {
      if (m_d[p] != 'E') continue;
      if (p > data_start && !is_ws(static_cast<unsigned char>(m_d[p - 1]))) continue;
      if (!ei_at(p)) continue;
      if (!plausible_after(p + 2)) continue;
      std::size_t data_end = p;
      if (data_end > data_start && is_ws(static_cast<unsigned char>(m_d[data_end - 1]))) --data_end;
      if (len >= 0) problem("inline image data length differs from its dictionary", bi);
      op.inline_data = std::string(m_d.substr(data_start, data_end - data_start));
      m_p = p + 2;
      return true;
    }
    problem("truncated inline image (no EI)", bi);
    return false;
  }
};

void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += '0';
    return;
  }
  char buf[400];
  int n = std::snprintf(buf, sizeof(buf), "%.6f", v);
  if (n <= 0 || n >= static_cast<int>(sizeof(buf))) {
    out += '0';
    return;
  }
  std::string_view s(buf, static_cast<std::size_t>(n));
  if (s.find('.') != std::string_view::npos) {
    while (!s.empty() && s.back() == '0') s.remove_suffix(1);
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  }
  if (s == "-0" || s.empty()) s = "0";
  out += s;
}

void append_name(std::string& out, std::string_view name) {
  static const char* hex = "0123456789ABCDEF";
  out += '/';
  for (unsigned char c : name) {
    if (c < 0x21 || c > 0x7E || c == '#' || is_delim(c)) {
      out += '#';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
}

void append_operand(std::string& out, const Operand& o) {
  switch (o.kind) {
    case Operand::Kind::number: {
      double v;
      if (!o.raw.empty() && parse_number_token(o.raw, v) && v == o.number) out += o.raw;
      else append_number(out, o.number);
      break;
    }
    case Operand::Kind::name: append_name(out, o.bytes); break;
    case Operand::Kind::string: {
      static const char* hex = "0123456789ABCDEF";
      out += '<';
      for (unsigned char c : o.bytes) {
        out += hex[c >> 4];
        out += hex[c & 15];
      }
      out += '>';
      break;
    }
    case Operand::Kind::array:
      out += '[';
      for (std::size_t i = 0; i < o.items.size(); ++i) {
        if (i) out += ' ';
        append_operand(out, o.items[i]);
      }
      out += ']';
      break;
    case Operand::Kind::dict:
      out += "<<";
      for (std::size_t i = 0; i < o.items.size(); ++i) {
        if (i) out += ' ';
        append_operand(out, o.items[i]);
      }
      out += ">>";
      break;
    case Operand::Kind::boolean: out += o.number != 0 ? "true" : "false"; break;
    case Operand::Kind::null: out += "null"; break;
    case Operand::Kind::other: out += o.raw.empty() ? std::string("null") : o.raw; break;
  }
}

void append_op(std::string& out, const ContentOp& op) {
  if (op.op == "BI") {
    out += "BI";
    for (const auto& o : op.operands) {
      out += ' ';
      append_operand(out, o);
    }
    out += " ID ";
    out += op.inline_data;
    out += "\nEI";
    return;
  }
  for (const auto& o : op.operands) {
    append_operand(out, o);
    out += ' ';
  }
  out += op.op;
}

}  // namespace

ContentParse parse_content(std::string_view data) {
  ContentParse out;
  Lexer lx(data, out);
  lx.run();
  return out;
}

std::string serialize_operand(const Operand& operand) {
  std::string s;
  append_operand(s, operand);
  return s;
}

std::string serialize_op(const ContentOp& op) {
  std::string s;
  append_op(s, op);
  return s;
}

std::string serialize_ops(const std::vector<ContentOp>& ops) {
  std::string s;
  s.reserve(ops.size() * 16);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (i) s += '\n';
    append_op(s, ops[i]);
  }
  return s;
}

Operand make_number(double value) {
  Operand o;
  o.kind = Operand::Kind::number;
  o.number = value;
  return o;
}

Operand make_name(std::string_view name_without_slash) {
  Operand o;
  o.kind = Operand::Kind::name;
  o.bytes = std::string(name_without_slash);
  return o;
}

Operand make_string(std::string_view bytes) {
  Operand o;
  o.kind = Operand::Kind::string;
  o.bytes = std::string(bytes);
  return o;
}

}  // namespace declass::pdf
