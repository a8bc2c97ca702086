// Base64 and PEM decoding (see base64.hpp).
#include "server/base64.hpp"

namespace declass::server {

namespace {
int value_of(char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+') return 62;
  if (ch == '/') return 63;
  return -1;
}
}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char ch : text)
    if (ch != '\n' && ch != '\r' && ch != ' ' && ch != '\t') clean += ch;
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(clean.size() / 4 * 3);
  for (std::size_t i = 0; i < clean.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char ch = clean[i + static_cast<std::size_t>(k)];
      if (ch == '=') {
        // padding only in the last group, only in its last two places, and nothing after it
        if (i + 4 != clean.size() || k < 2) return std::nullopt;
        ++pad;
        v[k] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;
      v[k] = value_of(ch);
      if (v[k] < 0) return std::nullopt;
    }
    unsigned triple = static_cast<unsigned>(v[0]) << 18 | static_cast<unsigned>(v[1]) << 12 | static_cast<unsigned>(v[2]) << 6 |
                      static_cast<unsigned>(v[3]);
    out += static_cast<char>((triple >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((triple >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(triple & 0xFF);
  }
  return out;
}

std::optional<std::string> pem_certificate_der(std::string_view pem) {
  const std::string_view begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
  std::size_t b = pem.find(begin);
  if (b == std::string_view::npos) return std::nullopt;
  b += begin.size();
  std::size_t e = pem.find(end, b);
  if (e == std::string_view::npos) return std::nullopt;
  return base64_decode(pem.substr(b, e - b));
}

}  // namespace declass::server
