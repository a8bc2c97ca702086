// Internal to src/crypto: the OpenSSL objects behind SigningIdentity (keys.hpp), shared by keys.cpp
// and cms.cpp. Not to be included outside src/crypto (it pulls in OpenSSL headers).
#pragma once
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "crypto/keys.hpp"

namespace declass::crypto {

struct SigningIdentity::Impl {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;  // extra certificates (never null after construction)
  Impl() : chain(sk_X509_new_null()) {}
  ~Impl() {
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
};

// Last OpenSSL error as text ("" when none); clears the queue.
std::string openssl_error_text();

}  // namespace declass::crypto
