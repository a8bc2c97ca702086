// Little-endian, length-prefixed binary fields for data that crosses a process boundary (worker
// results, job arguments): WireWriter appends through a position into a buffer sized by doubling,
// WireReader reads them back with every length checked against what is left, throwing
// Error(internal, what, ...) on truncated or malformed data. Header-only: it sits in hot loops.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace declass {

// (not std::endian: the pdf module also builds as C++17 for the clang fuzz targets)
inline constexpr bool k_little_endian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

class WireWriter {
 public:
  [[gnu::always_inline]] void put(const void* data, std::size_t n) {
    if (n > m_buf.size() - m_pos) m_buf.resize(std::max(m_buf.size() * 2, m_pos + n));
    if (n) std::memcpy(m_buf.data() + m_pos, data, n);
    m_pos += n;
  }
  [[gnu::always_inline]] void u8(unsigned char c) { put(&c, 1); }
  [[gnu::always_inline]] void u32(std::uint32_t v) { little_endian(v); }
  [[gnu::always_inline]] void i32(int v) { u32(static_cast<std::uint32_t>(v)); }
  [[gnu::always_inline]] void u64(std::uint64_t v) { little_endian(v); }
  [[gnu::always_inline]] void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  [[gnu::always_inline]] void f64(double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, 8);
    u64(u);
  }
  [[gnu::always_inline]] void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    put(s.data(), s.size());
  }
  void strings(const std::vector<std::string>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) str(s);
  }
  // Room for about `n` bytes up front (an estimate; the buffer still grows if it falls short).
  void reserve(std::size_t n) {
    if (m_buf.size() < n) m_buf.resize(n);
  }
  // What has been written so far; clear() starts over keeping the buffer.
  std::string_view view() const { return std::string_view(m_buf.data(), m_pos); }
  std::string take() {
    m_buf.resize(m_pos);
    m_pos = 0;
    return std::move(m_buf);
  }
  void clear() { m_pos = 0; }

 private:
  template <class Unsigned>
  [[gnu::always_inline]] void little_endian(Unsigned v) {
    if constexpr (k_little_endian) return put(&v, sizeof v);
    char b[sizeof v];
    for (std::size_t i = 0; i < sizeof v; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    put(b, sizeof v);
  }

  std::string m_buf;
  std::size_t m_pos = 0;
};

class WireReader {
 public:
  // `what` names the data in errors ("glyph transfer", "job arguments").
  WireReader(std::string_view data, const char* what) : m_d(data), m_what(what) {}
  [[gnu::always_inline]] unsigned u8() {
    need(1);
    return static_cast<unsigned char>(m_d[m_p++]);
  }
  [[gnu::always_inline]] std::uint32_t u32() { return little_endian<std::uint32_t>(); }
  [[gnu::always_inline]] int i32() { return static_cast<int>(u32()); }
  [[gnu::always_inline]] std::uint64_t u64() { return little_endian<std::uint64_t>(); }
  [[gnu::always_inline]] std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  [[gnu::always_inline]] double f64() {
    std::uint64_t u = u64();
    double v;
    std::memcpy(&v, &u, 8);
    return v;
  }
  [[gnu::always_inline]] std::string_view str_view() {
    std::uint32_t n = u32();
    need(n);
    std::string_view s = m_d.substr(m_p, n);
    m_p += n;
    return s;
  }
  [[gnu::always_inline]] std::string str() { return std::string(str_view()); }
  // A count of items each at least `min_size` bytes long: it must fit in what is left.
  std::uint32_t count(std::size_t min_size) {
    std::uint32_t n = u32();
    if (static_cast<std::uint64_t>(n) * min_size > m_d.size() - m_p) fail();
    return n;
  }
  std::vector<std::string> strings() {
    std::uint32_t n = count(4);
    std::vector<std::string> v;
    v.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) v.push_back(str());
    return v;
  }
  // Everything not read yet (for a trailing blob such as a file's bytes).
  std::string_view rest() {
    std::string_view r = m_d.substr(m_p);
    m_p = m_d.size();
    return r;
  }
  [[gnu::always_inline]] void need(std::size_t n) const {
    if (n > m_d.size() - m_p) fail();
  }
  bool done() const { return m_p == m_d.size(); }
  [[noreturn]] void fail() const { throw Error(ErrorCategory::internal, m_what, "malformed data"); }

 private:
  template <class Unsigned>
  [[gnu::always_inline]] Unsigned little_endian() {
    need(sizeof(Unsigned));
    Unsigned v = 0;
    if constexpr (k_little_endian) {
      std::memcpy(&v, m_d.data() + m_p, sizeof v);
    } else {
      for (std::size_t i = 0; i < sizeof v; ++i) v |= static_cast<Unsigned>(static_cast<unsigned char>(m_d[m_p + i])) << (8 * i);
    }
    m_p += sizeof v;
    return v;
  }

  std::string_view m_d;
  const char* m_what;
  std::size_t m_p = 0;
};

}  // namespace declass
