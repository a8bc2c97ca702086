// Signing identities: private key + certificate (+ chain) loaded from PEM files or a PKCS#12
// file, with the passphrase taken from "env:VAR" or "file:PATH" (never from the command line).
// OpenSSL types stay behind a pimpl so that only src/crypto includes OpenSSL headers.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace declass::crypto {

// Resolves a passphrase source: "env:VAR" (environment variable) or "file:PATH" (first line
// of the file, trailing CR/LF removed). Anything else → Error(usage) explaining the forms.
std::string read_passphrase(const std::string& spec);

// A private key with its certificate and the intermediate/root certificates to embed.
class SigningIdentity {
 public:
  // PEM (or DER) key and certificate files; chain_path may be empty (PEM bundle, the signer's own
  // certificate in it is skipped). passphrase: for an encrypted key. Throws Error(crypto) with a clear
  // message for a wrong passphrase, an unreadable file, or a key that does not match the certificate.
  static SigningIdentity from_files(const std::string& key_path, const std::string& cert_path,
                                    const std::string& chain_path, const std::optional<std::string>& passphrase);
  // PKCS#12 file (key, certificate and CA certificates). Throws Error(crypto) on a wrong passphrase.
  static SigningIdentity from_p12(const std::string& p12_path, const std::string& passphrase);
  // From PEM text in memory (tests, server).
  static SigningIdentity from_pem(const std::string& key_pem, const std::string& cert_pem,
                                  const std::string& chain_pem, const std::optional<std::string>& passphrase);

  std::string subject() const;          // RFC 2253 subject of the certificate
  std::string common_name() const;      // CN or "" when absent
  std::string cert_sha256_hex() const;  // SHA-256 of the certificate DER
  std::size_t chain_size() const;       // number of extra certificates
  std::size_t approx_der_size() const;  // certificate + chain DER bytes (to size the signature hole)

  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  explicit SigningIdentity(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}
  std::shared_ptr<Impl> m_impl;
};

}  // namespace declass::crypto
