// CAdES detached signing and verification with the OpenSSL 3 CMS and TS APIs (see cms.hpp).
// OpenSSL always adds signingTime when it signs; PAdES forbids it, so it is deleted afterwards and the
// signed attributes are re-encoded (DER SET OF, sorted) and signed again with EVP_DigestSign.
#include "crypto/cms.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/http.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "crypto/identity_impl.hpp"

namespace declass::crypto {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  std::string e = openssl_error_text();
  throw Error(ErrorCategory::crypto, where, what + (e.empty() ? "" : " (" + e + ")"));
}

std::string join_parts(const std::vector<std::string_view>& parts) {
  std::size_t n = 0;
  for (auto p : parts) n += p.size();
  std::string all;
  all.reserve(n);
  for (auto p : parts) all.append(p.data(), p.size());
  return all;
}

std::string der_length(std::size_t n) {
  std::string out;
  if (n < 128) {
    out += static_cast<char>(n);
    return out;
  }
  std::string bytes;
  while (n > 0) {
    bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
    n >>= 8;
  }
  out += static_cast<char>(0x80 | bytes.size());
  return out + bytes;
}

// DER of the signed attributes as the SET OF that the signature covers.
std::string signed_attrs_der(CMS_SignerInfo* si) {
  std::vector<std::string> items;
  int n = CMS_signed_get_attr_count(si);
  for (int i = 0; i < n; ++i) {
    X509_ATTRIBUTE* a = CMS_signed_get_attr(si, i);
    unsigned char* der = nullptr;
    int len = i2d_X509_ATTRIBUTE(a, &der);
    if (len <= 0) fail("cms", "cannot encode a signed attribute");
    items.emplace_back(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
  }
  std::sort(items.begin(), items.end());
  std::string content;
  for (auto& s : items) content += s;
  return std::string(1, '\x31') + der_length(content.size()) + content;
}

std::string digest_sign(EVP_PKEY* key, const std::string& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) fail("sign", "out of memory");
  std::size_t len = 0;
  std::string sig;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) fail("sign", "signing the attributes failed");
  return sig;
}

// ---- RFC 3161 -------------------------------------------------------------------------------

std::string make_ts_request(const std::string& imprint_sha256) {
  TS_REQ* req = TS_REQ_new();
  TS_MSG_IMPRINT* mi = TS_MSG_IMPRINT_new();
  X509_ALGOR* alg = X509_ALGOR_new();
  std::string out;
  bool ok = req && mi && alg;
  if (ok) {
    X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
    ok = TS_MSG_IMPRINT_set_algo(mi, alg) == 1 &&
         TS_MSG_IMPRINT_set_msg(mi, reinterpret_cast<unsigned char*>(const_cast<char*>(imprint_sha256.data())),
                                static_cast<int>(imprint_sha256.size())) == 1 &&
         TS_REQ_set_version(req, 1) == 1 && TS_REQ_set_msg_imprint(req, mi) == 1 && TS_REQ_set_cert_req(req, 1) == 1;
  }
  if (ok) {
    unsigned char* der = nullptr;
    int len = i2d_TS_REQ(req, &der);
    if (len > 0) {
      out.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
      OPENSSL_free(der);
    }
  }
  X509_ALGOR_free(alg);
  TS_MSG_IMPRINT_free(mi);
  TS_REQ_free(req);
  if (out.empty()) fail("timestamp", "cannot build the RFC 3161 request");
  return out;
}

struct TsCallbackData {
  std::int64_t unix_time;
  std::string serial_seed;
};

ASN1_INTEGER* serial_cb(TS_RESP_CTX*, void* data) {
  auto* d = static_cast<TsCallbackData*>(data);
  std::string h = sha256_raw(d->serial_seed);
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(h.data()), 8, nullptr);
  ASN1_INTEGER* i = bn ? BN_to_ASN1_INTEGER(bn, nullptr) : nullptr;
  BN_free(bn);
  return i;
}

int time_cb(TS_RESP_CTX*, void* data, long* sec, long* usec) {
  *sec = static_cast<long>(static_cast<TsCallbackData*>(data)->unix_time);
  *usec = 0;
  return 1;
}

// Returns the DER token (a PKCS#7 SignedData) from a DER TimeStampResp.
std::string token_from_response(TS_RESP* resp, const std::string& where) {
  TS_STATUS_INFO* st = TS_RESP_get_status_info(resp);
  long status = st ? ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(st)) : -1;
  if (status != 0 && status != 1) fail(where, "the TSA refused the request (status " + std::to_string(status) + ")");
  PKCS7* tok = TS_RESP_get_token(resp);
  if (!tok) fail(where, "the TSA response has no token");
  unsigned char* der = nullptr;
  int len = i2d_PKCS7(tok, &der);
  if (len <= 0) fail(where, "cannot encode the timestamp token");
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string local_timestamp(const SigningIdentity& tsa, std::int64_t unix_time, const std::string& request) {
  TS_RESP_CTX* ctx = TS_RESP_CTX_new();
  if (!ctx) fail("timestamp", "out of memory");
  TsCallbackData cb{unix_time, request};
  ASN1_OBJECT* policy = OBJ_txt2obj("1.3.6.1.4.1.99999.1.1", 1);
  bool ok = TS_RESP_CTX_set_signer_cert(ctx, tsa.impl().cert) == 1 && TS_RESP_CTX_set_signer_key(ctx, tsa.impl().key) == 1 &&
            policy && TS_RESP_CTX_set_def_policy(ctx, policy) == 1 && TS_RESP_CTX_add_md(ctx, EVP_sha256()) == 1 &&
            TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256()) == 1 && TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()) == 1 &&
            TS_RESP_CTX_set_certs(ctx, tsa.impl().chain) == 1;
  ASN1_OBJECT_free(policy);
  if (!ok) {
    TS_RESP_CTX_free(ctx);
    fail("timestamp", "cannot set up the local TSA (is the certificate a timeStamping certificate with its key?)");
  }
  TS_RESP_CTX_set_serial_cb(ctx, serial_cb, &cb);
  TS_RESP_CTX_set_time_cb(ctx, time_cb, &cb);
  BioPtr in(BIO_new_mem_buf(request.data(), static_cast<int>(request.size())));
  TS_RESP* resp = TS_RESP_create_response(ctx, in.get());
  TS_RESP_CTX_free(ctx);
  if (!resp) fail("timestamp", "the local TSA could not create a response");
  std::string tok;
  try {
    tok = token_from_response(resp, "local TSA");
  } catch (...) {
    TS_RESP_free(resp);
    throw;
  }
  TS_RESP_free(resp);
  return tok;
}

std::string remote_timestamp(const std::string& url, int timeout, const std::string& request) {
  int use_ssl = 0;
  char *host = nullptr, *port = nullptr, *path = nullptr;
  if (OSSL_HTTP_parse_url(url.c_str(), &use_ssl, nullptr, &host, &port, nullptr, &path, nullptr, nullptr) != 1)
    fail(url, "not a valid TSA URL");
  std::string h = host, p = port, pa = path;
  OPENSSL_free(host);
  OPENSSL_free(port);
  OPENSSL_free(path);
  if (use_ssl) fail(url, "https TSA URLs are not supported; use the TSA's http:// URL (the reply is itself signed)");
  BioPtr req(BIO_new_mem_buf(request.data(), static_cast<int>(request.size())));
  BIO* rsp = OSSL_HTTP_transfer(nullptr, h.c_str(), p.c_str(), pa.c_str(), 0, nullptr, nullptr, nullptr, nullptr, nullptr,
                                nullptr, 0, nullptr, "application/timestamp-query", req.get(), "application/timestamp-reply",
                                1, 1 << 20, timeout, 0);
  if (!rsp) fail(url, "the TSA did not answer (network, URL or content type)");
  TS_RESP* resp = d2i_TS_RESP_bio(rsp, nullptr);
  BIO_free_all(rsp);
  if (!resp) fail(url, "the TSA answer is not an RFC 3161 response");
  std::string tok;
  try {
    tok = token_from_response(resp, url);
  } catch (...) {
    TS_RESP_free(resp);
    throw;
  }
  TS_RESP_free(resp);
  return tok;
}

X509_STORE* store_from_pem(const std::string& pem) {
  X509_STORE* st = X509_STORE_new();
  BioPtr b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  int n = 0;
  while (X509* c = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(st, c);
    X509_free(c);
    ++n;
  }
  ERR_clear_error();
  if (n == 0) {
    X509_STORE_free(st);
    return nullptr;
  }
  return st;
}

std::string generalized_time_iso(const ASN1_GENERALIZEDTIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::size_t der_object_length(std::string_view der) {
  if (der.size() < 2) return 0;
  auto b1 = static_cast<unsigned char>(der[1]);
  std::size_t len = 0, hdr = 2;
  if (b1 < 0x80) {
    len = b1;
  } else {
    std::size_t k = b1 & 0x7f;
    if (k == 0 || k > 4 || der.size() < 2 + k) return 0;
    for (std::size_t i = 0; i < k; ++i) len = (len << 8) | static_cast<unsigned char>(der[2 + i]);
    hdr += k;
  }
  if (len > der.size() - hdr) return 0;
  return hdr + len;
}

std::string cades_sign_detached(const SigningIdentity& id, const std::vector<std::string_view>& parts,
                                const TimestampSource* tsa) {
  ERR_clear_error();
  const auto& im = id.impl();
  std::string data = join_parts(parts);
  const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_PARTIAL;
  CmsPtr cms(CMS_sign(nullptr, nullptr, im.chain, nullptr, flags));
  if (!cms) fail("cms", "CMS_sign failed");
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), im.cert, im.key, EVP_sha256(), flags | CMS_CADES);
  if (!si) fail("cms", "cannot add the signer (unsupported key type?)");
  BioPtr in(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (CMS_final(cms.get(), in.get(), nullptr, flags) != 1) fail("cms", "CMS_final failed");
  // PAdES: no signingTime → delete it, then sign the re-encoded attributes again.
  int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (idx >= 0) {
    X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, idx));
    std::string sig = digest_sign(im.key, signed_attrs_der(si));
    ASN1_OCTET_STRING* os = CMS_SignerInfo_get0_signature(si);
    if (!os || ASN1_STRING_set(os, sig.data(), static_cast<int>(sig.size())) != 1) fail("cms", "cannot set the signature value");
  }
  if (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) < 0)
    fail("cms", "signingCertificateV2 attribute missing");
  if (tsa) {
    ASN1_OCTET_STRING* os = CMS_SignerInfo_get0_signature(si);
    std::string sigval(reinterpret_cast<const char*>(ASN1_STRING_get0_data(os)), static_cast<std::size_t>(ASN1_STRING_length(os)));
    std::string request = make_ts_request(sha256_raw(sigval));
    std::string token = tsa->local ? local_timestamp(*tsa->local, tsa->unix_time, request)
                                   : remote_timestamp(tsa->url, tsa->timeout_seconds, request);
    if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data(),
                                      static_cast<int>(token.size())) != 1)
      fail("cms", "cannot add the timestamp token");
  }
  unsigned char* der = nullptr;
  int len = i2d_CMS_ContentInfo(cms.get(), &der);
  if (len <= 0) fail("cms", "cannot encode the signature");
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

CmsVerifyResult cms_verify_detached(std::string_view cms_der, const std::vector<std::string_view>& parts,
                                    const std::string& trust_pem) {
  ERR_clear_error();
  CmsVerifyResult r;
  const auto* p = reinterpret_cast<const unsigned char*>(cms_der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    ERR_clear_error();
    r.failures.push_back("signature: /Contents is not a CMS SignedData structure");
    return r;
  }
  r.parsed = true;
  STACK_OF(CMS_SignerInfo)* sis = CMS_get0_SignerInfos(cms.get());
  if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
    r.failures.push_back("signature: expected exactly one SignerInfo");
    return r;
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(sis, 0);
  STACK_OF(X509)* certs = CMS_get1_certs(cms.get());
  r.certificates = certs ? static_cast<std::size_t>(sk_X509_num(certs)) : 0;
  X509* signer = nullptr;
  for (int i = 0; certs && i < sk_X509_num(certs); ++i)
    if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0) signer = sk_X509_value(certs, i);
  if (!signer) r.failures.push_back("signature: the signer certificate is not embedded");
  else {
    char buf[512] = {0};
    X509_NAME_oneline(X509_get_subject_name(signer), buf, sizeof buf);
    r.signer_subject = buf;
  }
  X509_ALGOR* dig = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &dig, nullptr);
  if (dig) {
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, dig);
    r.digest_algorithm = OBJ_nid2sn(OBJ_obj2nid(obj));
  }
  r.has_signing_time = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) >= 0;
  if (r.has_signing_time) r.failures.push_back("signature: has a signing-time attribute (PAdES forbids it)");
  r.has_signing_certificate_v2 = CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0;
  if (!r.has_signing_certificate_v2) r.failures.push_back("signature: signing-certificate-v2 attribute missing (CAdES)");

  std::string data = join_parts(parts);
  {
    BioPtr in(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    int ok = CMS_verify(cms.get(), nullptr, nullptr, in.get(), nullptr, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY);
    r.signature_valid = ok == 1;
    if (!ok) {
      std::string e = openssl_error_text();
      r.failures.push_back("signature: not valid over the signed byte ranges (" + (e.empty() ? "digest mismatch" : e) + ")");
    }
  }
  if (r.has_signing_certificate_v2 && signer) {
    // ESS signingCertificateV2 must name the signer certificate (hash + issuer/serial).
    ASN1_STRING* v = static_cast<ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE));
    ESS_SIGNING_CERT_V2* ss = nullptr;
    if (v) {
      const unsigned char* q = ASN1_STRING_get0_data(v);
      ss = d2i_ESS_SIGNING_CERT_V2(nullptr, &q, ASN1_STRING_length(v));
    }
    STACK_OF(X509)* chain = sk_X509_new_null();
    sk_X509_push(chain, signer);
    r.signing_certificate_matches = ss && OSSL_ESS_check_signing_certs(nullptr, ss, chain, 1) > 0;
    if (!r.signing_certificate_matches) r.failures.push_back("signature: signing-certificate-v2 does not match the signer certificate");
    sk_X509_free(chain);
    ESS_SIGNING_CERT_V2_free(ss);
    ERR_clear_error();
  }
  if (!trust_pem.empty()) {
    r.chain_checked = true;
    X509_STORE* st = store_from_pem(trust_pem);
    if (!st) r.failures.push_back("certificate: the trust anchor file holds no PEM certificate");
    else if (signer) {
      X509_STORE_CTX* ctx = X509_STORE_CTX_new();
      if (ctx && X509_STORE_CTX_init(ctx, st, signer, certs) == 1) {
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
        r.chain_trusted = X509_verify_cert(ctx) == 1;
        if (!r.chain_trusted)
          r.failures.push_back(std::string("certificate: does not chain to the trust anchor (") +
                               X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)) + ")");
      }
      X509_STORE_CTX_free(ctx);
    }
    if (st) X509_STORE_free(st);
  }
  // Timestamp token (unsigned attribute).
  int ti = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  if (ti >= 0) {
    r.has_timestamp = true;
    X509_ATTRIBUTE* a = CMS_unsigned_get_attr(si, ti);
    ASN1_TYPE* t = a ? X509_ATTRIBUTE_get0_type(a, 0) : nullptr;
    PKCS7* tok = nullptr;
    if (t && t->type == V_ASN1_SEQUENCE) {
      const unsigned char* q = t->value.sequence->data;
      tok = d2i_PKCS7(nullptr, &q, t->value.sequence->length);
    }
    if (!tok) r.failures.push_back("timestamp: the token cannot be decoded");
    else {
      TS_TST_INFO* info = PKCS7_to_TS_TST_INFO(tok);
      if (info) {
        r.timestamp_time = generalized_time_iso(TS_TST_INFO_get_time(info));
        TS_TST_INFO_free(info);
      }
      if (!trust_pem.empty()) {
        ASN1_OCTET_STRING* os = CMS_SignerInfo_get0_signature(si);
        std::string sigval(reinterpret_cast<const char*>(ASN1_STRING_get0_data(os)), static_cast<std::size_t>(ASN1_STRING_length(os)));
        std::string imprint = sha256_raw(sigval);
        TS_VERIFY_CTX* vctx = TS_VERIFY_CTX_new();
        X509_STORE* st = store_from_pem(trust_pem);
        if (vctx && st) {
          auto* mi = static_cast<unsigned char*>(OPENSSL_malloc(imprint.size()));
          std::memcpy(mi, imprint.data(), imprint.size());
          TS_VERIFY_CTX_set_imprint(vctx, mi, static_cast<long>(imprint.size()));
          TS_VERIFY_CTX_set_store(vctx, st);  // takes ownership
          st = nullptr;
          TS_VERIFY_CTX_add_flags(vctx, TS_VFY_VERSION | TS_VFY_SIGNER | TS_VFY_IMPRINT | TS_VFY_SIGNATURE);
          r.timestamp_valid = TS_RESP_verify_token(vctx, tok) == 1;
          if (!r.timestamp_valid) r.failures.push_back("timestamp: token not valid (" + openssl_error_text() + ")");
        }
        if (st) X509_STORE_free(st);
        TS_VERIFY_CTX_free(vctx);
      }
      PKCS7_free(tok);
    }
  }
  sk_X509_pop_free(certs, X509_free);
  ERR_clear_error();
  return r;
}

}  // namespace declass::crypto
