// Tests for the allow-list rebuild (src/pdf/sanitize.cpp): a PDF carrying every forbidden feature
// (annotation, form field value, outline, Info, XMP, attachment, JavaScript, structure tree with
// ActualText, optional content, page labels, thumbnail, incremental update, unused object, unused
// resource) comes out with none of them, with its page text intact and the lint checklist passing.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "pdf/inspect.hpp"
#include "pdf/sanitize.hpp"

using namespace declass::pdf;

namespace {

const std::vector<std::string> k_secrets = {"ANNOTSECRET",  "FIELDSECRET", "OUTLINESECRET", "INFOSECRET",   "XMPSECRET",
                                            "ATTACHSECRET", "JSSECRET",    "STRUCTSECRET",  "OCGSECRET",    "LABELSECRET",
                                            "THUMBSECRET",  "OLDREVSECRET", "ORPHANSECRET", "UNUSEDFONTSECRET", "PIECESECRET"};

QPDFObjectHandle obj(QPDF& q, const std::string& text) { return q.makeIndirectObject(QPDFObjectHandle::parse(text)); }

QPDFObjectHandle stream(QPDF& q, const std::string& data, const std::string& dict = "<< >>") {
  QPDFObjectHandle s = QPDFObjectHandle::newStream(&q, data);
  QPDFObjectHandle d = QPDFObjectHandle::parse(dict);
  for (const auto& k : d.getKeys()) s.getDict().replaceKey(k, d.getKey(k));
  return s;
}

std::string write(QPDF& q) {
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setCompressStreams(false);
  w.setObjectStreamMode(qpdf_o_disable);
  w.setPreserveUnreferencedObjects(true);
  w.setStaticID(true);
  w.write();
  auto b = w.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

// Builds the torture file; the first revision's page content says OLDREVSECRET, an incremental
// update replaces that content stream by the visible text.
std::string torture_pdf() {
  QPDF q;
  q.emptyPDF();
  QPDFObjectHandle font = obj(q, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  QPDFObjectHandle unused_font = obj(q, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Name /F9 >>");
  unused_font.replaceKey("/BaseFont", QPDFObjectHandle::newName("/UNUSEDFONTSECRET"));
  QPDFObjectHandle ocg = obj(q, "<< /Type /OCG /Name (OCGSECRET) >>");
  QPDFObjectHandle content = stream(q, "BT /F1 12 Tf 72 700 Td (OLDREVSECRET) Tj ET\n");
  QPDFObjectHandle thumb = stream(q, "THUMBSECRET-", "<< /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 >>");
  QPDFObjectHandle page = obj(q, "<< /Type /Page /MediaBox [0 0 612 792] >>");
  QPDFObjectHandle res = QPDFObjectHandle::parse("<< /Font << >> /Properties << >> /ProcSet [/PDF /Text] >>");
  res.getKey("/Font").replaceKey("/F1", font);
  res.getKey("/Font").replaceKey("/F9", unused_font);
  res.getKey("/Properties").replaceKey("/MC0", ocg);
  page.replaceKey("/Resources", res);
  page.replaceKey("/Contents", content);
  page.replaceKey("/Thumb", thumb);
  page.replaceKey("/StructParents", QPDFObjectHandle::newInteger(0));
  page.replaceKey("/PieceInfo", QPDFObjectHandle::parse("<< /App << /Private (PIECESECRET) >> >>"));
  QPDFObjectHandle note = obj(q, "<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (ANNOTSECRET) >>");
  QPDFObjectHandle field = obj(q, "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (FIELDSECRET) /Rect [50 50 200 70] >>");
  field.replaceKey("/P", page);
  note.replaceKey("/P", page);
  QPDFObjectHandle annots = QPDFObjectHandle::newArray();
  annots.appendItem(note);
  annots.appendItem(field);
  page.replaceKey("/Annots", annots);
  QPDFPageDocumentHelper(q).addPage(QPDFPageObjectHelper(page), false);

  QPDFObjectHandle root = q.getRoot();
  QPDFObjectHandle acro = QPDFObjectHandle::parse("<< /Fields [] >>");
  acro.getKey("/Fields").appendItem(field);
  root.replaceKey("/AcroForm", acro);
  QPDFObjectHandle outlines = obj(q, "<< /Type /Outlines /Count 1 >>");
  QPDFObjectHandle item = obj(q, "<< /Title (OUTLINESECRET) >>");
  item.replaceKey("/Parent", outlines);
  QPDFObjectHandle dest = QPDFObjectHandle::parse("[null /Fit]");
  dest.setArrayItem(0, page);
  item.replaceKey("/Dest", dest);
  outlines.replaceKey("/First", item);
  outlines.replaceKey("/Last", item);
  root.replaceKey("/Outlines", outlines);
  root.replaceKey("/Metadata", stream(q, "<x:xmpmeta><dc:title>XMPSECRET</dc:title></x:xmpmeta>", "<< /Type /Metadata /Subtype /XML >>"));
  QPDFObjectHandle ef = stream(q, "ATTACHSECRET contents", "<< /Type /EmbeddedFile >>");
  QPDFObjectHandle fs = obj(q, "<< /Type /Filespec /F (notes.txt) /UF (notes.txt) >>");
  fs.replaceKey("/EF", QPDFObjectHandle::parse("<< >>"));
  fs.getKey("/EF").replaceKey("/F", ef);
  QPDFObjectHandle names = QPDFObjectHandle::parse("<< /EmbeddedFiles << /Names [(notes.txt)] >> >>");
  names.getKey("/EmbeddedFiles").getKey("/Names").appendItem(fs);
  root.replaceKey("/Names", names);
  root.replaceKey("/OpenAction", obj(q, "<< /S /JavaScript /JS (app.alert('JSSECRET')) >>"));
  QPDFObjectHandle elem = obj(q, "<< /Type /StructElem /S /P /ActualText (STRUCTSECRET) >>");
  QPDFObjectHandle str = obj(q, "<< /Type /StructTreeRoot >>");
  str.replaceKey("/K", elem);
  elem.replaceKey("/P", str);
  root.replaceKey("/StructTreeRoot", str);
  root.replaceKey("/MarkInfo", QPDFObjectHandle::parse("<< /Marked true >>"));
  QPDFObjectHandle ocp = QPDFObjectHandle::parse("<< /OCGs [] /D << /OFF [] >> >>");
  ocp.getKey("/OCGs").appendItem(ocg);
  ocp.getKey("/D").getKey("/OFF").appendItem(ocg);
  root.replaceKey("/OCProperties", ocp);
  root.replaceKey("/PageLabels", QPDFObjectHandle::parse("<< /Nums [0 << /P (LABELSECRET) >>] >>"));
  q.getTrailer().replaceKey("/Info", obj(q, "<< /Author (INFOSECRET) /Title (Original) >>"));
  obj(q, "(ORPHANSECRET)");  // an unused object, kept by setPreserveUnreferencedObjects
  std::string base = write(q);

  // Incremental update: a new revision of the content stream object.
  QPDF b;
  b.processMemoryFile("base", base.data(), base.size());
  QPDFObjectHandle p0 = QPDFPageDocumentHelper(b).getAllPages().at(0).getObjectHandle();
  const QPDFObjGen content_og = p0.getKey("/Contents").getObjGen();
  const std::size_t sx = base.rfind("startxref");
  const long prev = std::stol(base.substr(sx + 9));
  const std::string new_content = "BT /F1 12 Tf 72 700 Td (Visible text) Tj ET\n /OC /MC0 BDC BT /F1 12 Tf 72 650 Td (Layer text) Tj ET EMC\n";
  std::string upd = "\n";
  const std::size_t obj_off = base.size() + upd.size();
  upd += std::to_string(content_og.getObj()) + " " + std::to_string(content_og.getGen()) + " obj\n<< /Length " +
         std::to_string(new_content.size()) + " >>\nstream\n" + new_content + "\nendstream\nendobj\n";
  const std::size_t xref_off = base.size() + upd.size();
  char entry[32];
  std::snprintf(entry, sizeof entry, "%010zu %05d n \n", obj_off, content_og.getGen());
  QPDFObjectHandle t = b.getTrailer();
  upd += "xref\n" + std::to_string(content_og.getObj()) + " 1\n" + entry + "trailer\n<< /Size " +
         std::to_string(t.getKey("/Size").getIntValue()) + " /Root " + t.getKey("/Root").unparse() + " /Info " +
         t.getKey("/Info").unparse() + " /Prev " + std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref_off) + "\n%%EOF\n";
  return base + upd;
}

// Every object of the last revision (referenced or not) resolved, plus all decoded stream data.
std::string all_objects_text(const std::string& pdf) {
  QPDF q;
  q.setSuppressWarnings(true);
  q.processMemoryFile("scan", pdf.data(), pdf.size());
  std::string out;
  for (auto& o : q.getAllObjects()) {
    out += o.unparseResolved() + "\n";
    if (o.isStream()) {
      auto b = o.getStreamData(qpdf_dl_all);
      out.append(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
      out += "\n";
    }
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("rebuild_document leaves every forbidden feature behind", "[pdf][sanitize]") {
  const std::string input = torture_pdf();
  if (const char* dump = std::getenv("DECLASS_TEST_DUMP")) std::ofstream(std::string(dump) + "/torture.pdf", std::ios::binary) << input;
  // The input really has what we test for.
  PdfInspection before = inspect_pdf(input);
  REQUIRE(before.parsed);
  CHECK(before.startxref_sections == 2);
  const std::string before_objects = all_objects_text(input);
  for (const auto& s : k_secrets) {
    INFO(s);
    if (s != "OLDREVSECRET") CHECK(before_objects.find(s) != std::string::npos);
  }
  CHECK(input.find("OLDREVSECRET") != std::string::npos);
  CHECK(input.find("ORPHANSECRET") != std::string::npos);
  REQUIRE(before.page_text.size() == 1);
  CHECK(before.page_text[0].find("Visible text") != std::string::npos);

  QPDF q;
  q.setSuppressWarnings(true);
  q.processMemoryFile("torture", input.data(), input.size());
  RebuildOptions opt;
  opt.title = "Release 2026-0001";
  opt.creation_time = 1764288000;  // 2025-11-28 00:00:00 UTC
  opt.xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rr=\"urn:declass\"/></x:xmpmeta>";
  opt.attachments.push_back({"release-audit.json", "application/json", "{\"ok\":true}"});
  RebuildResult r = rebuild_document(q, opt);
  REQUIRE_FALSE(r.pdf.empty());
  if (const char* dump = std::getenv("DECLASS_TEST_DUMP")) std::ofstream(std::string(dump) + "/torture-rebuilt.pdf", std::ios::binary) << r.pdf;

  for (const char* f : {"annotations", "form fields", "outline", "JavaScript", "embedded files", "Info", "XMP", "structure tree",
                        "optional content", "page labels", "thumbnails", "earlier revisions", "unused objects"}) {
    INFO(f);
    CHECK(has(r.dropped_features, f));
  }
  CHECK(r.objects_dropped >= 15);

  PdfInspection after = inspect_pdf(r.pdf);
  REQUIRE(after.parsed);
  CHECK(after.warnings.empty());
  CHECK(after.pages == 1);
  CHECK(after.startxref_sections == 1);
  CHECK(after.xref_objects == after.reachable_objects);
  REQUIRE(after.page_text.size() == 1);
  CHECK(after.page_text[0].find("Visible text") != std::string::npos);
  CHECK(after.page_text[0].find("Layer text") != std::string::npos);  // hidden layer content is now plainly visible
  CHECK(after.info.size() == 4);
  CHECK(after.info["Title"] == "Release 2026-0001");
  CHECK(after.info["Producer"] == "declass");
  CHECK(after.info["CreationDate"] == "D:20251128000000Z");
  CHECK(after.xmp == opt.xmp);
  REQUIRE(after.attachments.size() == 1);
  CHECK(after.attachments[0].name == "release-audit.json");
  CHECK(after.attachments[0].data == "{\"ok\":true}");
  CHECK(after.annotation_subtypes.empty());
  CHECK(after.fields.empty());
  CHECK(after.unused_resources.empty());
  const std::string after_objects = all_objects_text(r.pdf);
  for (const auto& s : k_secrets) {
    INFO(s);
    CHECK(after_objects.find(s) == std::string::npos);
    CHECK(r.pdf.find(s) == std::string::npos);
  }
  for (const char* key : {"/Annots", "/AcroForm", "/Outlines", "/OpenAction", "/JavaScript", "/StructTreeRoot", "/StructParents",
                          "/MarkInfo", "/OCProperties", "/PageLabels", "/Thumb", "/PieceInfo", "/Prev"}) {
    INFO(key);
    CHECK(after_objects.find(key) == std::string::npos);
  }
  LintOptions lo;
  lo.terms = k_secrets;
  for (const auto& c : lint_release(after, r.pdf, lo)) {
    INFO(c.name << ": " << c.detail);
    CHECK(c.ok);
  }
  // Deterministic: the same input and options give the same bytes.
  QPDF q2;
  q2.setSuppressWarnings(true);
  q2.processMemoryFile("torture", input.data(), input.size());
  CHECK(rebuild_document(q2, opt).pdf == r.pdf);
}

TEST_CASE("rebuild_document keeps forms, images and inherited page attributes", "[pdf][sanitize]") {
  QPDF q;
  q.emptyPDF();
  QPDFObjectHandle font = obj(q, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  QPDFObjectHandle form = stream(q, "BT /F1 10 Tf 10 10 Td (In the form) Tj ET",
                                 "<< /Type /XObject /Subtype /Form /BBox [0 0 200 50] /StructParent 3 /OC << >> >>");
  form.getDict().replaceKey("/Metadata", stream(q, "<xmp/>", "<< /Type /Metadata /Subtype /XML >>"));
  QPDFObjectHandle fres = QPDFObjectHandle::parse("<< /Font << >> >>");
  fres.getKey("/Font").replaceKey("/F1", font);
  form.getDict().replaceKey("/Resources", fres);
  QPDFObjectHandle img = stream(q, std::string(4 * 3, '\x7f'),
                                "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                                "/Intent /Perceptual /Alternates [] >>");
  QPDFObjectHandle page = obj(q, "<< /Type /Page /Rotate 90 >>");
  page.replaceKey("/Contents", stream(q, "q 1 0 0 1 50 600 cm /Fm0 Do Q q 20 0 0 20 300 300 cm /Im0 Do Q"));
  QPDFPageDocumentHelper(q).addPage(QPDFPageObjectHelper(page), false);
  // Inherited attributes live on the Pages node.
  QPDFObjectHandle pages = q.getRoot().getKey("/Pages");
  pages.replaceKey("/MediaBox", QPDFObjectHandle::parse("[0 0 500 700]"));
  QPDFObjectHandle res = QPDFObjectHandle::parse("<< /XObject << >> >>");
  res.getKey("/XObject").replaceKey("/Fm0", form);
  res.getKey("/XObject").replaceKey("/Im0", img);
  pages.replaceKey("/Resources", res);

  RebuildResult r = rebuild_document(q, RebuildOptions{});
  QPDF out;
  out.processMemoryFile("out", r.pdf.data(), r.pdf.size());
  auto pgs = QPDFPageDocumentHelper(out).getAllPages();
  REQUIRE(pgs.size() == 1);
  QPDFObjectHandle p = pgs[0].getObjectHandle();
  CHECK(p.getKey("/MediaBox").unparse() == "[ 0 0 500 700 ]");
  CHECK(p.getKey("/Rotate").getIntValue() == 90);
  QPDFObjectHandle xo = p.getKey("/Resources").getKey("/XObject");
  REQUIRE(xo.getKey("/Fm0").isStream());
  QPDFObjectHandle fd = xo.getKey("/Fm0").getDict();
  CHECK_FALSE(fd.hasKey("/Metadata"));
  CHECK_FALSE(fd.hasKey("/StructParent"));
  CHECK_FALSE(fd.hasKey("/OC"));
  CHECK(fd.getKey("/BBox").unparse() == "[ 0 0 200 50 ]");
  CHECK(fd.getKey("/Resources").getKey("/Font").getKey("/F1").getKey("/BaseFont").getName() == "/Helvetica");
  REQUIRE(xo.getKey("/Im0").isStream());
  QPDFObjectHandle id = xo.getKey("/Im0").getDict();
  CHECK_FALSE(id.hasKey("/Intent"));
  CHECK_FALSE(id.hasKey("/Alternates"));
  CHECK(id.getKey("/Width").getIntValue() == 2);
  auto data = xo.getKey("/Im0").getStreamData(qpdf_dl_all);
  CHECK(std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()) == std::string(12, '\x7f'));
  auto fdata = xo.getKey("/Fm0").getStreamData(qpdf_dl_all);
  CHECK(std::string(reinterpret_cast<const char*>(fdata->getBuffer()), fdata->getSize()) == "BT /F1 10 Tf 10 10 Td (In the form) Tj ET");
  CHECK(p.getKey("/Contents").isStream());
}

TEST_CASE("rebuild_document prunes unused resources but keeps those a resource-less form needs", "[pdf][sanitize]") {
  QPDF q;
  q.emptyPDF();
  QPDFObjectHandle f1 = obj(q, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  QPDFObjectHandle f2 = obj(q, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>");
  // PDF 1.1 style form without /Resources: it draws with the page's /F1.
  QPDFObjectHandle form = stream(q, "BT /F1 10 Tf (x) Tj ET", "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] >>");
  QPDFObjectHandle page = obj(q, "<< /Type /Page /MediaBox [0 0 100 100] >>");
  QPDFObjectHandle res = QPDFObjectHandle::parse("<< /Font << >> /XObject << >> >>");
  res.getKey("/Font").replaceKey("/F1", f1);
  res.getKey("/Font").replaceKey("/F2", f2);
  res.getKey("/XObject").replaceKey("/Fm0", form);
  res.getKey("/XObject").replaceKey("/Fm1", form);
  page.replaceKey("/Resources", res);
  page.replaceKey("/Contents", stream(q, "/Fm0 Do"));
  QPDFPageDocumentHelper(q).addPage(QPDFPageObjectHelper(page), false);
  RebuildResult r = rebuild_document(q, RebuildOptions{});
  QPDF out;
  out.processMemoryFile("out", r.pdf.data(), r.pdf.size());
  QPDFObjectHandle ores = QPDFPageDocumentHelper(out).getAllPages().at(0).getObjectHandle().getKey("/Resources");
  CHECK(ores.getKey("/XObject").hasKey("/Fm0"));
  CHECK_FALSE(ores.getKey("/XObject").hasKey("/Fm1"));
  CHECK(ores.getKey("/Font").hasKey("/F1"));
  CHECK_FALSE(ores.getKey("/Font").hasKey("/F2"));
  CHECK(r.pdf.find("Courier") == std::string::npos);
}

TEST_CASE("rebuild_document terminates on a self-referencing form and refuses a page-less file", "[pdf][sanitize]") {
  QPDF q;
  q.emptyPDF();
  QPDFObjectHandle form = stream(q, "/Fm0 Do", "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] >>");
  QPDFObjectHandle fres = QPDFObjectHandle::parse("<< /XObject << >> >>");
  fres.getKey("/XObject").replaceKey("/Fm0", form);
  form.getDict().replaceKey("/Resources", fres);
  QPDFObjectHandle page = obj(q, "<< /Type /Page /MediaBox [0 0 100 100] >>");
  page.replaceKey("/Resources", fres);
  page.replaceKey("/Contents", stream(q, "/Fm0 Do"));
  QPDFPageDocumentHelper(q).addPage(QPDFPageObjectHelper(page), false);
  RebuildResult r = rebuild_document(q, RebuildOptions{});
  QPDF out;
  out.processMemoryFile("out", r.pdf.data(), r.pdf.size());
  QPDFObjectHandle f = QPDFPageDocumentHelper(out).getAllPages().at(0).getObjectHandle().getKey("/Resources").getKey("/XObject").getKey("/Fm0");
  REQUIRE(f.isStream());
  // the copy refers to itself, as the original did
  CHECK(f.getDict().getKey("/Resources").getKey("/XObject").getKey("/Fm0").getObjGen() == f.getObjGen());

  QPDF empty;
  empty.emptyPDF();
  CHECK_THROWS(rebuild_document(empty, RebuildOptions{}));
}
