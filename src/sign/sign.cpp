// PAdES signing with PoDoFo 0.9.8 (see sign.hpp): load the unsigned bytes for update, add an invisible
// signature widget + field (no default appearance font), write one incremental update through
// PdfSignOutputDevice (beacon + ByteRange), then sign the two byte ranges in-process with
// crypto::cades_sign_detached and write the DER as hex into the reserved /Contents hole.
#include "sign/sign.hpp"

#include <podofo/podofo.h>


#include "core/error.hpp"

namespace declass::sign {

namespace {

struct ByteRange {
  std::size_t a = 0, b = 0, c = 0, d = 0;
};

// Finds the last "/ByteRange [a b c d]" in the file (the one PoDoFo just adjusted).
ByteRange last_byte_range(const std::string& f) {
  std::size_t p = f.rfind("/ByteRange");
  if (p == std::string::npos) throw Error(ErrorCategory::pdf, "sign", "no /ByteRange written");
  std::size_t q = f.find('[', p);
  std::size_t e = q == std::string::npos ? q : f.find(']', q);
  if (q == std::string::npos || e == std::string::npos || e - q > 100) throw Error(ErrorCategory::pdf, "sign", "malformed /ByteRange");
  std::vector<std::size_t> v;
  std::size_t cur = 0;
  bool in = false;
  for (std::size_t i = q + 1; i < e; ++i) {
    char ch = f[i];
    if (ch >= '0' && ch <= '9') {
      cur = cur * 10 + static_cast<std::size_t>(ch - '0');
      in = true;
    } else if (in) {
      v.push_back(cur);
      cur = 0;
      in = false;
    }
  }
  if (in) v.push_back(cur);
  if (v.size() != 4) throw Error(ErrorCategory::pdf, "sign", "/ByteRange does not have 4 numbers");
  return {v[0], v[1], v[2], v[3]};
}

}  // namespace

std::string sign_pdf(std::string_view unsigned_pdf, const SignerConfig& cfg) {
  if (!cfg.identity) throw Error(ErrorCategory::usage, "sign", "no signing identity given");
  using namespace PoDoFo;
  std::size_t reserve = cfg.identity->approx_der_size() + 4096;
  if (cfg.tsa) reserve += (cfg.tsa->local ? cfg.tsa->local->approx_der_size() : 6000) + 4096;
  if (reserve < 8192) reserve = 8192;
  std::string out;
  PdfError::EnableDebug(false);  // PoDoFo would print trailers and debug text to stdout
  PdfError::EnableLogging(false);
  try {
    PdfMemDocument doc;
    doc.LoadFromBuffer(unsigned_pdf.data(), static_cast<long>(unsigned_pdf.size()), true);
    if (doc.GetPageCount() < 1) throw Error(ErrorCategory::pdf, "sign", "the document has no page");
    PdfPage* page = doc.GetPage(0);
    PdfAcroForm* acro = doc.GetAcroForm(true, ePdfAcroFormDefaultAppearance_None);
    acro->GetObject()->GetDictionary().AddKey(PdfName("SigFlags"), PdfObject(static_cast<pdf_int64>(3)));
    if (acro->GetObject()->GetDictionary().HasKey(PdfName("NeedAppearances")))
      acro->GetObject()->GetDictionary().RemoveKey(PdfName("NeedAppearances"));
    PdfAnnotation* annot = page->CreateAnnotation(ePdfAnnotation_Widget, PdfRect(0, 0, 0, 0));
    annot->SetFlags(static_cast<pdf_uint32>(ePdfAnnotationFlags_Hidden | ePdfAnnotationFlags_Print | ePdfAnnotationFlags_Locked));
    PdfSignatureField field(annot, acro, &doc);
    field.SetFieldName(PdfString(cfg.field_name));
    if (!cfg.reason.empty()) field.SetSignatureReason(PdfString(reinterpret_cast<const pdf_utf8*>(cfg.reason.c_str())));
    if (!cfg.location.empty()) field.SetSignatureLocation(PdfString(reinterpret_cast<const pdf_utf8*>(cfg.location.c_str())));
    field.SetSignatureDate(PdfDate(static_cast<time_t>(cfg.signing_time)));
    field.EnsureSignatureObject();
    field.GetSignatureObject()->GetDictionary().AddKey(PdfName("SubFilter"), PdfName("ETSI.CAdES.detached"));

    PdfRefCountedBuffer buf;
    PdfOutputDevice dev(&buf);
    PdfSignOutputDevice signer(&dev);
    signer.SetSignatureSize(reserve);
    field.SetSignature(*signer.GetSignatureBeacon());
    doc.WriteUpdate(&signer, true);
    if (!signer.HasSignaturePosition()) throw Error(ErrorCategory::pdf, "sign", "signature placeholder not found in the output");
    signer.AdjustByteRange();
    signer.Flush();
    out.assign(buf.GetBuffer(), dev.GetLength());
  } catch (const PdfError& e) {
    throw Error(ErrorCategory::pdf, "sign", std::string("PoDoFo: ") + PdfError::ErrorMessage(e.GetError()));
  }
  // The hole is out[b, c): "<" + beacon + ">".
  ByteRange br = last_byte_range(out);
  if (br.a != 0 || br.b >= br.c || br.c + br.d != out.size() || out[br.b] != '<' || out[br.c - 1] != '>')
    throw Error(ErrorCategory::pdf, "sign", "the ByteRange written by PoDoFo does not frame the /Contents hole");
  std::string_view all(out);
  std::string der = crypto::cades_sign_detached(*cfg.identity, {all.substr(0, br.b), all.substr(br.c, br.d)}, cfg.tsa);
  std::size_t hole = br.c - br.b - 2;
  if (der.size() * 2 > hole)
    throw Error(ErrorCategory::crypto, "sign",
                "the signature (" + std::to_string(der.size()) + " bytes) is larger than the reserved space (" + std::to_string(hole / 2) + ")");
  static const char* hex = "0123456789abcdef";
  std::size_t p = br.b + 1;
  for (unsigned char ch : der) {
    out[p++] = hex[ch >> 4];
    out[p++] = hex[ch & 15];
  }
  while (p < br.c - 1) out[p++] = '0';
  return out;
}

}  // namespace declass::sign
