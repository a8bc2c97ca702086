// The shared final stage of declass's PDF output (see qpdf_finalize.hpp): new catalog, XMP,
// attachments, Info, trailer clean-up and the deterministic QPDFWriter settings.
#include "pdf/qpdf_finalize.hpp"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

namespace declass::pdf {

std::string finalize_and_write(QPDF& q, QPDFObjectHandle pages, const FinalizeSpec& spec) {
  // New catalog from scratch: only what we decide to keep.
  QPDFObjectHandle cat = QPDFObjectHandle::newDictionary();
  cat.replaceKey("/Type", QPDFObjectHandle::newName("/Catalog"));
  cat.replaceKey("/Pages", pages);
  if (!spec.xmp.empty()) {
    QPDFObjectHandle md = QPDFObjectHandle::newStream(&q, spec.xmp);
    md.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
    md.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
    cat.replaceKey("/Metadata", md);
  }
  QPDFObjectHandle cat_ind = q.makeIndirectObject(cat);
  q.getTrailer().replaceKey("/Root", cat_ind);
  if (!spec.attachments.empty()) {
    QPDFEmbeddedFileDocumentHelper efdh(q);
    for (const auto& a : spec.attachments) {
      auto ef = QPDFEFStreamObjectHelper::createEFStream(q, a.data);
      if (!a.mime.empty()) ef.setSubtype(a.mime);
      ef.setModDate(pdf_date(spec.creation_time));
      auto fs = QPDFFileSpecObjectHelper::createFileSpec(q, a.name, ef);
      if (!a.description.empty()) fs.setDescription(a.description);
      fs.getObjectHandle().replaceKey("/AFRelationship", QPDFObjectHandle::newName("/Supplement"));
      efdh.replaceEmbeddedFile(a.name, fs);
    }
  }
  QPDFObjectHandle info = QPDFObjectHandle::newDictionary();
  if (!spec.title.empty()) info.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(spec.title));
  if (!spec.producer.empty()) info.replaceKey("/Producer", QPDFObjectHandle::newUnicodeString(spec.producer));
  info.replaceKey("/CreationDate", QPDFObjectHandle::newString(pdf_date(spec.creation_time)));
  info.replaceKey("/ModDate", QPDFObjectHandle::newString(pdf_date(spec.creation_time)));
  QPDFObjectHandle trailer = q.getTrailer();
  for (const auto& k : trailer.getKeys())
    if (k != "/Root" && k != "/Size") trailer.removeKey(k);
  trailer.replaceKey("/Info", q.makeIndirectObject(info));
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setDeterministicID(true);
  w.setObjectStreamMode(qpdf_o_disable);
  w.setCompressStreams(true);
  w.setNewlineBeforeEndstream(true);
  w.setMinimumPDFVersion("1.7");
  w.write();
  auto b = w.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

}  // namespace declass::pdf
