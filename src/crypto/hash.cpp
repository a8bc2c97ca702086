// SHA-256 through OpenSSL EVP (see hash.hpp).
#include "crypto/hash.hpp"

#include <openssl/evp.h>

#include "core/error.hpp"

namespace declass::crypto {

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string sha256_raw(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorCategory::crypto, "sha256", "digest failed");
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256_raw(data)); }

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {
  m_impl->ctx = EVP_MD_CTX_new();
  if (!m_impl->ctx || EVP_DigestInit_ex(m_impl->ctx, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorCategory::crypto, "sha256", "init failed");
}

Sha256::~Sha256() { EVP_MD_CTX_free(m_impl->ctx); }

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(m_impl->ctx, data.data(), data.size()) != 1)
    throw Error(ErrorCategory::crypto, "sha256", "update failed");
}

std::string Sha256::final_hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(m_impl->ctx, md, &len) != 1) throw Error(ErrorCategory::crypto, "sha256", "final failed");
  return to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

}  // namespace declass::crypto
