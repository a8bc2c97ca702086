// PAdES signing and verification: a PDF written by pdf::write_document is signed with the test PKI
// (shared make_test_pki.sh, generated at test time), verified natively and — when installed — by
// pdfsig/qpdf/openssl via check_signed_release.sh; tampering, appended bytes, wrong trust anchors,
// wrong passphrases and mismatched keys are all detected and named.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "pdf/writer.hpp"
#include "sign/sign.hpp"

using namespace declass;

namespace {

const std::string pki = "sign_test_pki";

std::string read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The shared tools sit beside the checkout (CI: a copy of shared/ next to the clone).
std::string shared_tools() {
  for (std::string d : {std::string(DECLASS_SOURCE_DIR) + "/../shared/tools", std::string("/work/shared/tools")})
    if (std::filesystem::exists(d + "/make_test_pki.sh")) return d;
  return "";
}

bool have_pki() {
  static int state = -1;
  if (state < 0) {
    if (!std::filesystem::exists(pki + "/signer.pem")) {
      if (shared_tools().empty()) {
        WARN("shared/tools not found beside the checkout: signature tests that need the test PKI are skipped");
        return (state = 0) == 1;
      }
      std::system((shared_tools() + "/make_test_pki.sh " + pki + " >/dev/null 2>&1").c_str());
      std::system(("openssl pkcs12 -export -inkey " + pki + "/signer.key -in " + pki + "/signer.pem -certfile " + pki +
                   "/ca.pem -passout pass:correct-horse -out " + pki + "/signer.p12 2>/dev/null").c_str());
    }
    state = std::filesystem::exists(pki + "/signer.pem") ? 1 : 0;
  }
  return state == 1;
}

// One audit event encoded by hand following store/audit_chain.hpp ("declass-audit/2").
std::string audit_excerpt() {
  std::string payload = R"({"decision":"release"})";
  std::string prev(64, '0');
  std::string canon = "declass-audit/2\nseq=1:1\nat=20:2025-11-28T00:00:00Z\nactor=5:alice\nrole=8:reviewer\naction=14:release.record\n"
                      "case=12:F-2017-13804\nsubject=11:document:D1\npayload_sha256=64:" + crypto::sha256_hex(payload) +
                      "\nprev=64:" + prev + "\n";
  std::string h = crypto::sha256_hex(canon);
  return R"({"format":"declass-audit-excerpt/1","document":"D1","events":[{"seq":1,"at":"2025-11-28T00:00:00Z","actor":"alice",)"
         R"("role":"reviewer","action":"release.record","case":"F-2017-13804","subject":"document:D1","payload":)" +
         Json(payload).dump() + R"(,"prev":")" + prev + R"(","hash":")" + h + "\"}]}";
}

std::string unsigned_pdf() {
  pdf::DocumentSpec s;
  s.title = "Signed test";
  s.creation_time = 1764288000;
  std::string audit = audit_excerpt();
  s.xmp = "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/' xmlns:rr='urn:declass:release:1.0#'>"
          "<rr:AuditSha256>" + crypto::sha256_hex(audit) + "</rr:AuditSha256></x:xmpmeta><?xpacket end='r'?>";
  s.attachments.push_back({"release-audit.json", "application/json", "audit", audit});
  pdf::PageSpec p;
  pdf::DrawOp t;
  t.text = "RELEASED TEXT ONLY";
  t.x = 100;
  t.y = 700;
  p.ops.push_back(t);
  s.pages.push_back(p);
  return pdf::write_document(s);
}

sign::SignerConfig config(const crypto::SigningIdentity& id) {
  sign::SignerConfig c;
  c.identity = &id;
  c.signing_time = 1764288000;
  return c;
}

bool has_failure(const sign::VerifyReport& r, const std::string& part) {
  for (const auto& f : r.failures)
    if (f.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("audit excerpt hashes are recomputed") {
  CHECK(sign::check_audit_excerpt(audit_excerpt()).empty());
  std::string bad = audit_excerpt();
  bad.replace(bad.find("alice"), 5, "mallo");
  CHECK(!sign::check_audit_excerpt(bad).empty());
  CHECK(!sign::check_audit_excerpt("not json").empty());
}

TEST_CASE("sign and verify a release PDF") {
  if (!have_pki()) {
    WARN("openssl not available: skipped");
    return;
  }
  auto id = crypto::SigningIdentity::from_files(pki + "/signer.key", pki + "/signer.pem", pki + "/ca.pem", std::nullopt);
  std::string ca = read(pki + "/ca.pem");
  std::string in = unsigned_pdf();
  std::string out = sign::sign_pdf(in, config(id));
  REQUIRE(out.size() > in.size());
  CHECK(out.compare(0, in.size(), in) == 0);  // the verified unsigned bytes are kept as the first revision

  sign::VerifyOptions vo;
  vo.trust_pem = ca;
  vo.withheld_terms = {"CHIKVISHVILI"};
  auto r = sign::verify_pdf(out, vo);
  std::string all_failures;
  for (const auto& f : r.failures) all_failures += f + "\n";
  INFO(all_failures);
  CHECK(r.valid);
  CHECK(r.covers_whole_file);
  CHECK(r.sub_filter == "/ETSI.CAdES.detached");
  CHECK(r.signer.find("Review Authority 1") != std::string::npos);
  CHECK(r.to_json()["valid"] == true);
  std::ofstream("signed_test.pdf", std::ios::binary) << out;

  SECTION("one changed byte is detected") {
    std::string t = out;
    auto p = t.find("RELEASED TEXT ONLY");
    if (p == std::string::npos) p = 200;  // content is compressed: flip a byte inside the first range
    t[p] = static_cast<char>(t[p] ^ 0x01);
    auto rt = sign::verify_pdf(t, vo);
    CHECK(!rt.valid);
    CHECK(has_failure(rt, "CMS signature valid"));
  }
  SECTION("appended bytes are detected") {
    auto ra = sign::verify_pdf(out + "\n% appended\n", vo);
    CHECK(!ra.valid);
    CHECK(has_failure(ra, "covers the whole file"));
  }
  SECTION("another trust anchor is refused") {
    sign::VerifyOptions v2 = vo;
    v2.trust_pem = read(pki + "/selfsigned.pem");
    auto rw = sign::verify_pdf(out, v2);
    CHECK(!rw.valid);
    CHECK(has_failure(rw, "chains to the trust anchor"));
  }
  SECTION("a withheld term in the file is named") {
    sign::VerifyOptions v3 = vo;
    v3.withheld_terms = {"RELEASED TEXT"};
    auto rl = sign::verify_pdf(out, v3);
    CHECK(!rl.valid);
    CHECK(has_failure(rl, "absent from extracted text"));
  }
  SECTION("an unsigned file is invalid") {
    auto ru = sign::verify_pdf(in, vo);
    CHECK(!ru.valid);
    CHECK(has_failure(ru, "exactly one signature"));
  }
  SECTION("independent tools agree") {
    if (std::system("command -v pdfsig >/dev/null && command -v certutil >/dev/null && command -v qpdf >/dev/null && command -v mutool >/dev/null") != 0) {
      WARN("poppler-utils / libnss3-tools / qpdf / mupdf-tools missing: independent check skipped");
      return;
    }
    CHECK(std::system((shared_tools() + "/check_signed_release.sh signed_test.pdf " + pki + "/ca.pem CHIKVISHVILI > check_signed.txt 2>&1").c_str()) == 0);
  }
}

TEST_CASE("local RFC 3161 timestamp") {
  if (!have_pki()) return;
  auto id = crypto::SigningIdentity::from_files(pki + "/signer.key", pki + "/signer.pem", pki + "/ca.pem", std::nullopt);
  crypto::TimestampSource ts;
  ts.local = crypto::SigningIdentity::from_files(pki + "/tsa.key", pki + "/tsa.pem", "", std::nullopt);
  ts.unix_time = 1764288000;
  auto cfg = config(id);
  cfg.tsa = &ts;
  std::string out = sign::sign_pdf(unsigned_pdf(), cfg);
  sign::VerifyOptions vo;
  vo.trust_pem = read(pki + "/ca.pem");
  auto r = sign::verify_pdf(out, vo);
  std::string all_failures;
  for (const auto& f : r.failures) all_failures += f + "\n";
  INFO(all_failures);
  CHECK(r.valid);
  CHECK(r.has_timestamp);
  CHECK(r.timestamp_time == "2025-11-28T00:00:00Z");
  std::ofstream("signed_test_ts.pdf", std::ios::binary) << out;
  if (std::system("command -v openssl >/dev/null") == 0)
    CHECK(std::system((shared_tools() + "/verify_sig.sh signed_test_ts.pdf " + pki + "/ca.pem " + pki + "/tsa.pem > verify_sig_ts.txt 2>&1").c_str()) == 0);
}

TEST_CASE("key problems are clear errors") {
  if (!have_pki()) return;
  SECTION("key does not match the certificate") {
    try {
      crypto::SigningIdentity::from_files(pki + "/selfsigned.key", pki + "/signer.pem", "", std::nullopt);
      FAIL("mismatch accepted");
    } catch (const Error& e) {
      CHECK(e.category() == ErrorCategory::crypto);
      CHECK(std::string(e.what()).find("does not match the certificate") != std::string::npos);
    }
  }
  SECTION("PKCS#12 with the right and a wrong passphrase") {
    auto id = crypto::SigningIdentity::from_p12(pki + "/signer.p12", "correct-horse");
    CHECK(id.common_name() == "Review Authority 1");
    CHECK(id.chain_size() == 1);
    try {
      crypto::SigningIdentity::from_p12(pki + "/signer.p12", "wrong");
      FAIL("wrong passphrase accepted");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find("wrong passphrase") != std::string::npos);
    }
  }
  SECTION("passphrase sources") {
    setenv("DECLASS_TEST_PASS", "s3cret", 1);
    CHECK(crypto::read_passphrase("env:DECLASS_TEST_PASS") == "s3cret");
    std::ofstream("pass.txt") << "from-file\n";
    CHECK(crypto::read_passphrase("file:pass.txt") == "from-file");
    CHECK_THROWS_AS(crypto::read_passphrase("s3cret"), Error);
    CHECK_THROWS_AS(crypto::read_passphrase("env:DECLASS_NOT_SET_XYZ"), Error);
  }
}
