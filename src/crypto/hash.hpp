// Hashing with OpenSSL (the only module that includes OpenSSL headers).
// SHA-256 of byte strings, as lowercase hex or raw bytes, one-shot or incremental.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace declass::crypto {

std::string sha256_hex(std::string_view data);
std::string sha256_raw(std::string_view data);  // 32 bytes
std::string to_hex(std::string_view bytes);

class Sha256 {  // incremental
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string final_hex();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace declass::crypto
