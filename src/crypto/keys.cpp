// Loading signing identities and passphrases (see keys.hpp). Wrong passphrases, unreadable
// files and key/certificate mismatches become Error(crypto) messages that say how to fix them.
#include "crypto/keys.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"
#include "crypto/identity_impl.hpp"

namespace declass::crypto {

std::string openssl_error_text() {
  std::string out;
  unsigned long e = 0;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

std::string read_passphrase(const std::string& spec) {
  auto strip = [](std::string s) {
    auto nl = s.find_first_of("\r\n");
    if (nl != std::string::npos) s.resize(nl);
    return s;
  };
  if (spec.rfind("env:", 0) == 0) {
    std::string var = spec.substr(4);
    const char* v = var.empty() ? nullptr : std::getenv(var.c_str());
    if (!v)
      throw Error(ErrorCategory::usage, "--pass " + spec,
                  "environment variable '" + var + "' is not set; export it or use --pass file:PATH");
    return v;
  }
  if (spec.rfind("file:", 0) == 0) {
    std::string path = spec.substr(5);
    if (path.empty()) throw Error(ErrorCategory::usage, "--pass", "file: needs a path, e.g. --pass file:/run/secrets/p12pass");
    return strip(io::read_file(path, 64 * 1024));
  }
  throw Error(ErrorCategory::usage, "--pass",
              "passphrase source must be env:VAR or file:PATH (a passphrase is never accepted on the command line)");
}

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr mem_bio(const std::string& data) {
  BioPtr b(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!b) throw Error(ErrorCategory::crypto, "openssl", "out of memory");
  return b;
}

int pass_cb(char* buf, int size, int /*rwflag*/, void* u) {
  auto* p = static_cast<const std::optional<std::string>*>(u);
  if (!p || !p->has_value()) return -1;  // encrypted key but no passphrase
  const std::string& s = **p;
  if (static_cast<int>(s.size()) > size) return -1;
  std::copy(s.begin(), s.end(), buf);
  return static_cast<int>(s.size());
}

X509* read_cert(const std::string& data, const std::string& where) {
  auto b = mem_bio(data);
  X509* c = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr);
  if (!c) {
    ERR_clear_error();
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    c = d2i_X509(nullptr, &p, static_cast<long>(data.size()));
  }
  if (!c) {
    ERR_clear_error();
    throw Error(ErrorCategory::crypto, where, "not a PEM or DER X.509 certificate");
  }
  return c;
}

void check_pair(const SigningIdentity::Impl& im, const std::string& where) {
  if (X509_check_private_key(im.cert, im.key) != 1) {
    ERR_clear_error();
    throw Error(ErrorCategory::crypto, where,
                "the private key does not match the certificate; give the key that belongs to this certificate");
  }
}

}  // namespace

SigningIdentity SigningIdentity::from_pem(const std::string& key_pem, const std::string& cert_pem,
                                          const std::string& chain_pem, const std::optional<std::string>& passphrase) {
  auto im = std::make_shared<Impl>();
  {
    auto b = mem_bio(key_pem);
    ERR_clear_error();
    im->key = PEM_read_bio_PrivateKey(b.get(), nullptr, pass_cb, const_cast<std::optional<std::string>*>(&passphrase));
    if (!im->key) {
      std::string err = openssl_error_text();
      const auto* p = reinterpret_cast<const unsigned char*>(key_pem.data());
      im->key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(key_pem.size()));
      ERR_clear_error();
      if (!im->key) {
        bool encrypted = key_pem.find("ENCRYPTED") != std::string::npos;
        if (encrypted && !passphrase)
          throw Error(ErrorCategory::crypto, "key", "the private key is encrypted; give its passphrase with --pass env:VAR or file:PATH");
        if (encrypted)
          throw Error(ErrorCategory::crypto, "key", "cannot decrypt the private key: wrong passphrase");
        throw Error(ErrorCategory::crypto, "key", "not a PEM or DER private key (" + err + ")");
      }
    }
  }
  im->cert = read_cert(cert_pem, "certificate");
  if (!chain_pem.empty()) {
    auto b = mem_bio(chain_pem);
    while (X509* c = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr)) {
      if (X509_cmp(c, im->cert) == 0) {
        X509_free(c);
        continue;
      }
      sk_X509_push(im->chain, c);
    }
    ERR_clear_error();
    if (sk_X509_num(im->chain) == 0 && chain_pem.find("BEGIN CERTIFICATE") == std::string::npos)
      throw Error(ErrorCategory::crypto, "chain", "no PEM certificate found in the chain file");
  }
  check_pair(*im, "key/certificate");
  return SigningIdentity(im);
}

SigningIdentity SigningIdentity::from_files(const std::string& key_path, const std::string& cert_path,
                                            const std::string& chain_path, const std::optional<std::string>& passphrase) {
  std::string key = io::read_file(key_path, 1 << 20);
  std::string cert = io::read_file(cert_path, 1 << 20);
  std::string chain = chain_path.empty() ? std::string() : io::read_file(chain_path, 4 << 20);
  try {
    return from_pem(key, cert, chain, passphrase);
  } catch (const Error& e) {
    std::string where = e.where() == "key" ? key_path : e.where() == "certificate" ? cert_path
                        : e.where() == "chain" ? chain_path : key_path + " + " + cert_path;
    throw Error(e.category(), where, e.message());
  }
}

SigningIdentity SigningIdentity::from_p12(const std::string& p12_path, const std::string& passphrase) {
  std::string data = io::read_file(p12_path, 4 << 20);
  auto b = mem_bio(data);
  PKCS12* p12 = d2i_PKCS12_bio(b.get(), nullptr);
  if (!p12) {
    ERR_clear_error();
    throw Error(ErrorCategory::crypto, p12_path, "not a PKCS#12 (.p12/.pfx) file");
  }
  auto im = std::make_shared<Impl>();
  STACK_OF(X509)* ca = nullptr;
  int ok = PKCS12_parse(p12, passphrase.c_str(), &im->key, &im->cert, &ca);
  PKCS12_free(p12);
  if (ok != 1) {
    unsigned long e = ERR_peek_last_error();
    std::string text = openssl_error_text();
    bool mac = ERR_GET_REASON(e) == PKCS12_R_MAC_VERIFY_FAILURE || text.find("mac verify") != std::string::npos;
    throw Error(ErrorCategory::crypto, p12_path,
                mac ? "wrong passphrase for the PKCS#12 file (MAC verification failed)"
                    : "cannot read the PKCS#12 file (" + text + "); wrong passphrase or unsupported algorithm");
  }
  if (ca) {
    while (sk_X509_num(ca) > 0) sk_X509_push(im->chain, sk_X509_shift(ca));
    sk_X509_free(ca);
  }
  if (!im->key || !im->cert) throw Error(ErrorCategory::crypto, p12_path, "the PKCS#12 file has no private key or no certificate");
  check_pair(*im, p12_path);
  return SigningIdentity(im);
}

std::string SigningIdentity::subject() const {
  BioPtr b(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(b.get(), X509_get_subject_name(m_impl->cert), 0, XN_FLAG_RFC2253);
  char* p = nullptr;
  long n = BIO_get_mem_data(b.get(), &p);
  return std::string(p, static_cast<std::size_t>(n));
}

std::string SigningIdentity::common_name() const {
  char buf[256] = {0};
  int n = X509_NAME_get_text_by_NID(X509_get_subject_name(m_impl->cert), NID_commonName, buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

static std::string cert_der(X509* c) {
  unsigned char* der = nullptr;
  int n = i2d_X509(c, &der);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string SigningIdentity::cert_sha256_hex() const { return sha256_hex(cert_der(m_impl->cert)); }
std::size_t SigningIdentity::chain_size() const { return static_cast<std::size_t>(sk_X509_num(m_impl->chain)); }
std::size_t SigningIdentity::approx_der_size() const {
  std::size_t n = cert_der(m_impl->cert).size();
  for (int i = 0; i < sk_X509_num(m_impl->chain); ++i) n += cert_der(sk_X509_value(m_impl->chain, i)).size();
  return n;
}

}  // namespace declass::crypto
