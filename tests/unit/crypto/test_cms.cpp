// CAdES detached CMS: round trip over split parts, tampered data, PAdES attribute rules
// (signingCertificateV2 present, no signingTime), DER length parsing, PEM loading errors.
// Keys are made with the openssl CLI at test time (skipped when openssl is absent).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "crypto/cms.hpp"
#include "crypto/keys.hpp"

using namespace declass;

namespace {
std::string read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
bool make_keys() {
  if (std::filesystem::exists("cms_test/ca.pem")) return true;
  std::filesystem::create_directories("cms_test");
  return std::system("cd cms_test && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=TestCA "
                     "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1 && "
                     "openssl req -newkey rsa:2048 -nodes -keyout s.key -out s.csr -subj /CN=Signer >/dev/null 2>&1 && "
                     "openssl x509 -req -in s.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out s.pem >/dev/null 2>&1 && "
                     "openssl pkey -in s.key -aes256 -passout pass:pw -out s_enc.key >/dev/null 2>&1") == 0;
}
}  // namespace

TEST_CASE("der_object_length") {
  CHECK(crypto::der_object_length(std::string("\x30\x03\x01\x01\xff\x00\x00", 7)) == 5);
  CHECK(crypto::der_object_length(std::string("\x30\x82\x01\x00", 4)) == 0);  // claims 256 bytes, has 0
  CHECK(crypto::der_object_length("") == 0);
  std::string big = std::string("\x30\x81\x80", 3) + std::string(128, 'a');
  CHECK(crypto::der_object_length(big) == 131);
}

TEST_CASE("CAdES detached signature round trip") {
  if (!make_keys()) {
    WARN("openssl CLI not available");
    return;
  }
  auto id = crypto::SigningIdentity::from_files("cms_test/s.key", "cms_test/s.pem", "cms_test/ca.pem", std::nullopt);
  CHECK(id.common_name() == "Signer");
  std::string a = "first part of the file ", b = "second part";
  std::string der = crypto::cades_sign_detached(id, {a, b});
  std::string ca = read("cms_test/ca.pem");
  auto r = crypto::cms_verify_detached(der, {a, b}, ca);
  CHECK(r.signature_valid);
  CHECK(r.chain_trusted);
  CHECK(r.has_signing_certificate_v2);
  CHECK(r.signing_certificate_matches);
  CHECK_FALSE(r.has_signing_time);
  CHECK(r.digest_algorithm == "SHA256");
  CHECK(r.failures.empty());
  // same bytes split differently verify too; changed bytes do not
  CHECK(crypto::cms_verify_detached(der, {a + b}, ca).signature_valid);
  auto bad = crypto::cms_verify_detached(der, {a, "second parT"}, ca);
  CHECK_FALSE(bad.signature_valid);
  CHECK_FALSE(bad.failures.empty());
  // garbage is reported, not crashed on
  auto g = crypto::cms_verify_detached("garbage", {a}, ca);
  CHECK_FALSE(g.parsed);
}

TEST_CASE("encrypted keys need the right passphrase") {
  if (!make_keys()) return;
  CHECK_NOTHROW(crypto::SigningIdentity::from_files("cms_test/s_enc.key", "cms_test/s.pem", "", std::string("pw")));
  try {
    crypto::SigningIdentity::from_files("cms_test/s_enc.key", "cms_test/s.pem", "", std::string("nope"));
    FAIL("wrong passphrase accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("wrong passphrase") != std::string::npos);
    CHECK(e.where() == "cms_test/s_enc.key");
  }
  try {
    crypto::SigningIdentity::from_files("cms_test/s_enc.key", "cms_test/s.pem", "", std::nullopt);
    FAIL("missing passphrase accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("encrypted") != std::string::npos);
  }
  CHECK_THROWS_AS(crypto::SigningIdentity::from_files("cms_test/s.pem", "cms_test/s.pem", "", std::nullopt), Error);
}
