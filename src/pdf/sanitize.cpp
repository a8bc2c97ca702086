// The allow-list rebuild (see sanitize.hpp): copies pages and the resources they use into a new
// qpdf document through per-type key allow-lists (resources, fonts, images, forms, streams), reports
// which features of the input were left behind, and hands the result to the shared final stage.
#include "pdf/sanitize.hpp"

#include <qpdf/QPDFObjGen.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "pdf/content_lexer.hpp"
#include "pdf/qpdf_finalize.hpp"

namespace declass::pdf {

namespace {

constexpr int k_max_depth = 200;  // ~3 levels per nested form: far beyond any real file

// What a copied object is, which decides the keys it may keep.
enum class Ctx { generic, resources, xobject, font, font_descriptor, font_file, cmap, content, properties_value,
                 map_generic, map_xobject, map_font, map_properties, map_content };

// Keys never carried anywhere (metadata, structure, optional content, interactivity, external data).
const std::set<std::string>& forbidden_keys() {
  static const std::set<std::string> k = {"/Metadata", "/PieceInfo", "/OC",     "/StructParent", "/StructParents", "/Annots",
                                          "/AA",       "/Thumb",     "/B",      "/ID",           "/PZ",            "/SeparationInfo",
                                          "/AF",       "/LastModified", "/Alternates", "/OPI", "/Parent",        "/P",
                                          "/A",        "/JS",        "/URI",    "/OpenAction",   "/Ref",           "/Length",
                                          "/DL",       "/F",         "/FFilter", "/FDecodeParms", "/ActualText",   "/Alt",
                                          "/E",        "/Lang",      "/Name",   "/NM",           "/Contents",      "/T",
                                          "/TU",       "/V",         "/RichText"};
  return k;
}

// Dictionary types that are never part of what a page draws.
const std::set<std::string>& forbidden_types() {
  static const std::set<std::string> k = {"/Page",     "/Pages",     "/Catalog", "/Annot",      "/Action",        "/Outlines",
                                          "/Filespec", "/EmbeddedFile", "/StructElem", "/StructTreeRoot", "/OCG", "/OCMD",
                                          "/Metadata", "/Sig",       "/Thread",  "/Bead",       "/MCR",           "/OBJR"};
  return k;
}

const std::set<std::string>& allowed(Ctx ctx, bool image) {
  static const std::set<std::string> resources = {"/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font",
                                                  "/ProcSet", "/Properties"};
  static const std::set<std::string> form = {"/Type", "/Subtype", "/BBox", "/Matrix", "/Resources", "/Group", "/FormType"};
  static const std::set<std::string> img = {"/Type", "/Subtype", "/Width", "/Height", "/ColorSpace", "/BitsPerComponent",
                                            "/ImageMask", "/Mask", "/Decode", "/Interpolate", "/SMask", "/SMaskInData", "/Matte"};
  static const std::set<std::string> font = {"/Type",  "/Subtype", "/BaseFont", "/FirstChar",      "/LastChar", "/Widths",
                                             "/FontDescriptor", "/Encoding", "/ToUnicode", "/DescendantFonts", "/CIDSystemInfo",
                                             "/DW",    "/W",       "/DW2",     "/W2",              "/CIDToGIDMap", "/FontBBox",
                                             "/FontMatrix", "/CharProcs", "/Resources"};
  static const std::set<std::string> fd = {"/Type",     "/FontName",  "/FontFamily", "/FontStretch", "/FontWeight", "/Flags",
                                           "/FontBBox", "/ItalicAngle", "/Ascent",   "/Descent",     "/Leading",    "/CapHeight",
                                           "/XHeight",  "/StemV",     "/StemH",      "/AvgWidth",    "/MaxWidth",   "/MissingWidth",
                                           "/FontFile", "/FontFile2", "/FontFile3",  "/CharSet",     "/Style",      "/FD",
                                           "/CIDSet"};
  static const std::set<std::string> font_file = {"/Length1", "/Length2", "/Length3", "/Subtype"};
  static const std::set<std::string> cmap = {"/Type", "/CMapName", "/CIDSystemInfo", "/UseCMap", "/WMode"};
  static const std::set<std::string> none = {};
  switch (ctx) {
    case Ctx::resources: return resources;
    case Ctx::xobject: return image ? img : form;
    case Ctx::font: return font;
    case Ctx::font_descriptor: return fd;
    case Ctx::font_file: return font_file;
    case Ctx::cmap: return cmap;
    default: return none;
  }
}

// Context of the value under `key` in an object of context `ctx`.
Ctx child_ctx(Ctx ctx, const std::string& key) {
  if (key == "/Resources") return Ctx::resources;
  switch (ctx) {
    case Ctx::resources:
      if (key == "/XObject") return Ctx::map_xobject;
      if (key == "/Font") return Ctx::map_font;
      if (key == "/Properties") return Ctx::map_properties;
      if (key == "/ProcSet") return Ctx::generic;
      return Ctx::map_generic;
    case Ctx::xobject:
      if (key == "/SMask" || key == "/Mask") return Ctx::xobject;  // arrays (colour key) fall back to generic
      return Ctx::generic;
    case Ctx::font:
      if (key == "/FontDescriptor") return Ctx::font_descriptor;
      if (key == "/ToUnicode") return Ctx::cmap;
      if (key == "/CharProcs") return Ctx::map_content;
      return Ctx::generic;  // /DescendantFonts: generic routes /Type /Font dictionaries back to Ctx::font
    case Ctx::font_descriptor:
      if (key == "/FontFile" || key == "/FontFile2" || key == "/FontFile3") return Ctx::font_file;
      return Ctx::generic;
    default: return Ctx::generic;
  }
}

void collect_names(const Operand& o, std::set<std::string>& names, int depth) {
  if (o.kind == Operand::Kind::name) names.insert("/" + o.bytes);
  if (depth < 64)
    for (const auto& i : o.items) collect_names(i, names, depth + 1);
}

// Names used as operands (or inline-image dictionary values) by a page's or form's content, read
// with our own content lexer; false when the content cannot be decoded (then the caller keeps every
// resource rather than guessing). A syntax problem does not matter here: names are only collected.
bool content_names(QPDFObjectHandle content, std::set<std::string>& names) {
  try {
    std::string data;
    auto append = [&](QPDFObjectHandle s) {
      if (!s.isStream()) return;
      auto b = s.getStreamData(qpdf_dl_generalized);
      data.append(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
      data += '\n';
    };
    if (content.isArray()) {
      for (int i = 0; i < content.getArrayNItems(); ++i) append(content.getArrayItem(i));
    } else {
      append(content);
    }
    ContentParse parse = parse_content(data);
    for (const auto& op : parse.ops)
      for (const auto& o : op.operands) collect_names(o, names, 0);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Forms and Type3 fonts without their own /Resources draw with the resources of the stream that
// uses them (PDF 1.1 style): the names their content uses count as used by that stream too.
void add_inherited_names(QPDFObjectHandle res, std::set<std::string>& names) {
  if (!res.isDictionary()) return;
  std::set<QPDFObjGen> done;
  for (int round = 0; round < 8; ++round) {
    const std::size_t before = names.size();
    QPDFObjectHandle xo = res.getKey("/XObject");
    QPDFObjectHandle fonts = res.getKey("/Font");
    std::vector<QPDFObjectHandle> streams;
    if (xo.isDictionary())
      for (const auto& k : xo.getKeys()) {
        QPDFObjectHandle f = xo.getKey(k);
        if (!names.count(k) || !f.isStream() || f.getDict().getKey("/Resources").isDictionary()) continue;
        QPDFObjectHandle st = f.getDict().getKey("/Subtype");
        if (st.isName() && st.getName() == "/Form") streams.push_back(f);
      }
    if (fonts.isDictionary())
      for (const auto& k : fonts.getKeys()) {
        QPDFObjectHandle f = fonts.getKey(k);
        if (!names.count(k) || !f.isDictionary() || f.getKey("/Resources").isDictionary()) continue;
        QPDFObjectHandle procs = f.getKey("/CharProcs");
        if (procs.isDictionary())
          for (const auto& g : procs.getKeys())
            if (procs.getKey(g).isStream()) streams.push_back(procs.getKey(g));
      }
    for (auto& st : streams) {
      if (st.isIndirect() && !done.insert(st.getObjGen()).second) continue;
      std::set<std::string> more;
      if (content_names(st, more)) names.insert(more.begin(), more.end());
    }
    if (names.size() == before) break;
  }
}

class Copier {
 public:
  explicit Copier(QPDF& dest) : m_dest(dest) {}

  QPDFObjectHandle copy(QPDFObjectHandle src, Ctx ctx, int depth) {
    if (depth > k_max_depth) {
      m_too_deep = true;
      return QPDFObjectHandle::newNull();
    }
    if (src.isNull()) return QPDFObjectHandle::newNull();
    if (src.isBool()) return QPDFObjectHandle::newBool(src.getBoolValue());
    if (src.isInteger()) return QPDFObjectHandle::newInteger(src.getIntValue());
    if (src.isReal()) return QPDFObjectHandle::newReal(src.getRealValue());
    if (src.isName()) return QPDFObjectHandle::newName(src.getName());
    if (src.isString()) return QPDFObjectHandle::newString(src.getStringValue());
    if (!src.isArray() && !src.isDictionary() && !src.isStream()) return QPDFObjectHandle::newNull();

    // Context refinements that depend on the object itself.
    if (ctx == Ctx::properties_value) return QPDFObjectHandle::newDictionary();  // marked-content property lists: emptied
    if (ctx == Ctx::generic) {
      if (src.isStream()) {
        QPDFObjectHandle st = src.getDict().getKey("/Subtype");
        if (st.isName() && (st.getName() == "/Image" || st.getName() == "/Form")) ctx = Ctx::xobject;
      } else if (src.isDictionary()) {
        QPDFObjectHandle ty = src.getKey("/Type");
        if (ty.isName() && forbidden_types().count(ty.getName())) return QPDFObjectHandle::newNull();
        if (ty.isName() && ty.getName() == "/Font") ctx = Ctx::font;
      }
    }
    if (ctx == Ctx::xobject) {
      if (!src.isStream()) {
        if (src.isArray()) ctx = Ctx::generic;  // colour-key /Mask
        else return QPDFObjectHandle::newNull();
      } else {
        QPDFObjectHandle st = src.getDict().getKey("/Subtype");
        if (!st.isName() || (st.getName() != "/Image" && st.getName() != "/Form")) return QPDFObjectHandle::newNull();  // /PS ...
      }
    }
    if ((ctx == Ctx::font_file || ctx == Ctx::cmap || ctx == Ctx::content) && !src.isStream()) {
      if (ctx == Ctx::cmap) return QPDFObjectHandle::newNull();
      ctx = Ctx::generic;  // e.g. a name
    }
    const bool indirect = src.isIndirect();
    const auto key = std::make_pair(src.getObjGen(), static_cast<int>(ctx));
    if (indirect) {
      auto it = m_memo.find(key);
      if (it != m_memo.end()) return it->second;
    }
    QPDFObjectHandle out;
    if (src.isStream()) {
      out = QPDFObjectHandle::newStream(&m_dest);
    } else if (src.isArray()) {
      out = QPDFObjectHandle::newArray();
      if (indirect) out = m_dest.makeIndirectObject(out);
    } else {
      out = QPDFObjectHandle::newDictionary();
      if (indirect) out = m_dest.makeIndirectObject(out);
    }
    if (indirect) {
      m_memo.emplace(key, out);
      m_carried.insert(src.getObjGen());
    }
    if (src.isArray()) {
      const int n = src.getArrayNItems();
      for (int i = 0; i < n; ++i) out.appendItem(copy(src.getArrayItem(i), ctx == Ctx::map_content ? Ctx::content : ctx, depth + 1));
      return out;
    }
    if (src.isStream()) {
      fill_stream(src, out, ctx, depth);
      return out;
    }
    fill_dict(src, out, ctx, depth);
    return out;
  }

  // A resource dictionary for one content stream: with `used`, the named categories keep only the
  // entries whose name the content mentions (unused resources are never carried).
  QPDFObjectHandle copy_resources(QPDFObjectHandle src, const std::set<std::string>* used, int depth) {
    if (!used || !src.isDictionary()) return copy(src, Ctx::resources, depth);
    std::set<std::string> all_used = *used;
    add_inherited_names(src, all_used);
    used = &all_used;
    if (src.isIndirect()) m_carried.insert(src.getObjGen());
    QPDFObjectHandle out = QPDFObjectHandle::newDictionary();
    for (const auto& k : src.getKeys()) {
      if (!allowed(Ctx::resources, false).count(k)) continue;
      const Ctx map_ctx = child_ctx(Ctx::resources, k);
      QPDFObjectHandle m = src.getKey(k);
      if (!is_map(map_ctx) || !m.isDictionary()) {
        QPDFObjectHandle v = copy(m, map_ctx, depth + 1);
        if (!v.isNull()) out.replaceKey(k, v);
        continue;
      }
      if (m.isIndirect()) m_carried.insert(m.getObjGen());
      QPDFObjectHandle nm = QPDFObjectHandle::newDictionary();
      for (const auto& name : m.getKeys()) {
        if (!used->count(name)) continue;
        QPDFObjectHandle v = copy(m.getKey(name), value_ctx(map_ctx), depth + 2);
        if (!v.isNull()) nm.replaceKey(name, v);
      }
      if (!nm.getKeys().empty()) out.replaceKey(k, nm);
    }
    return out;
  }

  std::size_t carried() const { return m_carried.size(); }
  bool too_deep() const { return m_too_deep; }
  QPDF& dest() { return m_dest; }

 private:
  bool is_map(Ctx ctx) const {
    return ctx == Ctx::map_generic || ctx == Ctx::map_xobject || ctx == Ctx::map_font || ctx == Ctx::map_properties ||
           ctx == Ctx::map_content;
  }

  Ctx value_ctx(Ctx ctx) const {
    return ctx == Ctx::map_xobject ? Ctx::xobject
           : ctx == Ctx::map_font ? Ctx::font
           : ctx == Ctx::map_properties ? Ctx::properties_value
           : ctx == Ctx::map_content ? Ctx::content
                                     : Ctx::generic;
  }

  void fill_dict(QPDFObjectHandle src, QPDFObjectHandle out, Ctx ctx, int depth) {
    if (is_map(ctx)) {
      for (const auto& k : src.getKeys()) {
        QPDFObjectHandle v = copy(src.getKey(k), value_ctx(ctx), depth + 1);
        if (!v.isNull()) out.replaceKey(k, v);
      }
      return;
    }
    const bool restricted = ctx != Ctx::generic;
    const auto& allow = allowed(ctx, false);
    for (const auto& k : src.getKeys()) {
      if (forbidden_keys().count(k) && !(ctx == Ctx::font && k == "/Name")) continue;
      if (restricted && !allow.count(k)) continue;
      QPDFObjectHandle v = copy(src.getKey(k), child_ctx(ctx, k), depth + 1);
      if (!v.isNull()) out.replaceKey(k, v);
    }
  }

  void fill_stream(QPDFObjectHandle src, QPDFObjectHandle out, Ctx ctx, int depth) {
    QPDFObjectHandle sd = src.getDict();
    bool image = false;
    if (ctx == Ctx::xobject) {
      QPDFObjectHandle st = sd.getKey("/Subtype");
      image = st.isName() && st.getName() == "/Image";
    }
    QPDFObjectHandle filter = copy(sd.getKey("/Filter"), Ctx::generic, depth + 1);
    QPDFObjectHandle parms = copy(sd.getKey("/DecodeParms"), Ctx::generic, depth + 1);
    std::string raw;
    {
      auto buf = src.getRawStreamData();
      raw.assign(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
    }
    out.replaceStreamData(raw, filter, parms);
    QPDFObjectHandle od = out.getDict();
    const bool restricted = ctx != Ctx::generic;
    const auto& allow = allowed(ctx, image);
    for (const auto& k : sd.getKeys()) {
      if (k == "/Filter" || k == "/DecodeParms" || forbidden_keys().count(k)) continue;
      if (restricted && !allow.count(k)) continue;
      QPDFObjectHandle v;
      if (ctx == Ctx::xobject && !image && k == "/Resources") {
        std::set<std::string> names;
        const bool parsed = content_names(src, names);
        v = copy_resources(sd.getKey(k), parsed ? &names : nullptr, depth + 1);
      } else {
        v = copy(sd.getKey(k), child_ctx(ctx, k), depth + 1);
      }
      if (!v.isNull()) od.replaceKey(k, v);
    }
  }

  QPDF& m_dest;
  std::map<std::pair<QPDFObjGen, int>, QPDFObjectHandle> m_memo;
  std::set<QPDFObjGen> m_carried;
  bool m_too_deep = false;
};

bool non_empty(QPDFObjectHandle o) {
  if (o.isNull()) return false;
  if (o.isArray()) return o.getArrayNItems() > 0;
  if (o.isDictionary()) return !o.getKeys().empty();
  return true;
}

bool is_number_array(QPDFObjectHandle a, int n) {
  if (!a.isArray() || a.getArrayNItems() != n) return false;
  for (int i = 0; i < n; ++i)
    if (!a.getArrayItem(i).isNumber()) return false;
  return true;
}

// Objects reachable from the trailer (for the "unused objects" feature).
std::size_t count_reachable(QPDF& q) {
  std::set<QPDFObjGen> seen;
  std::vector<QPDFObjectHandle> stack = {q.getTrailer()};
  std::size_t steps = 0;
  while (!stack.empty() && ++steps < 50'000'000) {
    QPDFObjectHandle o = stack.back();
    stack.pop_back();
    if (o.isIndirect()) {
      if (!seen.insert(o.getObjGen()).second) continue;
    }
    if (o.isArray()) {
      for (int i = 0; i < o.getArrayNItems(); ++i) stack.push_back(o.getArrayItem(i));
    } else if (o.isDictionary() || o.isStream()) {
      QPDFObjectHandle d = o.isStream() ? o.getDict() : o;
      for (const auto& k : d.getKeys()) stack.push_back(d.getKey(k));
    }
  }
  return seen.size();
}

void add_feature(std::vector<std::string>& f, const std::string& name) {
  if (std::find(f.begin(), f.end(), name) == f.end()) f.push_back(name);
}

std::vector<std::string> detect_features(QPDF& source, std::vector<QPDFPageObjectHelper>& pages, std::size_t xref_objects) {
  std::vector<std::string> f;
  QPDFObjectHandle root = source.getRoot();
  QPDFObjectHandle trailer = source.getTrailer();
  for (auto& p : pages) {
    QPDFObjectHandle po = p.getObjectHandle();
    if (non_empty(po.getKey("/Annots"))) add_feature(f, "annotations");
  }
  if (root.hasKey("/AcroForm")) add_feature(f, "form fields");
  if (root.hasKey("/Outlines")) add_feature(f, "outline");
  QPDFObjectHandle names = root.getKey("/Names");
  if (names.isDictionary() && names.hasKey("/JavaScript")) add_feature(f, "JavaScript");
  if ((names.isDictionary() && names.hasKey("/EmbeddedFiles")) || root.hasKey("/AF")) add_feature(f, "embedded files");
  if (root.hasKey("/OpenAction") || root.hasKey("/AA")) add_feature(f, "actions");
  // Scan every object of the file for JavaScript, attachments, thumbnails, object metadata, actions.
  for (auto& o : source.getAllObjects()) {
    QPDFObjectHandle d = o.isStream() ? o.getDict() : o;
    if (!d.isDictionary()) continue;
    QPDFObjectHandle s = d.getKey("/S");
    QPDFObjectHandle t = d.getKey("/Type");
    if (d.hasKey("/JS") || (s.isName() && s.getName() == "/JavaScript")) add_feature(f, "JavaScript");
    if (d.hasKey("/EF") || (t.isName() && t.getName() == "/EmbeddedFile")) add_feature(f, "embedded files");
    if (d.hasKey("/Thumb")) add_feature(f, "thumbnails");
    if (d.hasKey("/Metadata") || (t.isName() && t.getName() == "/Metadata")) add_feature(f, "XMP");
    if (d.hasKey("/AA") || (t.isName() && t.getName() == "/Action")) add_feature(f, "actions");
    if (d.hasKey("/PieceInfo")) add_feature(f, "private application data");
    if (d.hasKey("/OC")) add_feature(f, "optional content");
    if (d.hasKey("/StructParent") || d.hasKey("/StructParents") || d.hasKey("/ActualText")) add_feature(f, "structure tree");
  }
  QPDFObjectHandle info = trailer.getKey("/Info");
  if (non_empty(info)) add_feature(f, "Info");
  if (root.hasKey("/Metadata")) add_feature(f, "XMP");
  if (root.hasKey("/StructTreeRoot") || root.hasKey("/MarkInfo")) add_feature(f, "structure tree");
  if (root.hasKey("/OCProperties")) add_feature(f, "optional content");
  if (root.hasKey("/PageLabels")) add_feature(f, "page labels");
  if (root.hasKey("/Threads")) add_feature(f, "article threads");
  if (trailer.hasKey("/Prev")) add_feature(f, "earlier revisions");
  static const std::set<std::string> known_catalog = {"/Type",      "/Pages",          "/Version",    "/AcroForm",   "/Outlines",
                                                      "/Names",     "/AF",             "/OpenAction", "/AA",         "/Metadata",
                                                      "/StructTreeRoot", "/MarkInfo", "/OCProperties", "/PageLabels", "/Threads"};
  for (const auto& k : root.getKeys())
    if (!known_catalog.count(k)) add_feature(f, "other catalog entries");
  if (names.isDictionary())
    for (const auto& k : names.getKeys())
      if (k != "/JavaScript" && k != "/EmbeddedFiles") add_feature(f, "other catalog entries");
  if (count_reachable(source) < xref_objects) add_feature(f, "unused objects");
  return f;
}

// The allow-listed copy of one page (a new indirect page dictionary of the copier's document).
QPDFObjectHandle build_page(Copier& copier, QPDFPageObjectHelper& p) {
  QPDFObjectHandle np = QPDFObjectHandle::newDictionary();
  np.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
  QPDFObjectHandle media = p.getAttribute("/MediaBox", false);
  if (!is_number_array(media, 4)) media = QPDFObjectHandle::parse("[0 0 612 792]");
  np.replaceKey("/MediaBox", copier.copy(media, Ctx::generic, 0));
  QPDFObjectHandle crop = p.getAttribute("/CropBox", false);
  if (is_number_array(crop, 4)) np.replaceKey("/CropBox", copier.copy(crop, Ctx::generic, 0));
  QPDFObjectHandle rotate = p.getAttribute("/Rotate", false);
  if (rotate.isInteger() && rotate.getIntValue() % 90 == 0)
    np.replaceKey("/Rotate", QPDFObjectHandle::newInteger(((rotate.getIntValue() % 360) + 360) % 360));
  QPDFObjectHandle uu = p.getObjectHandle().getKey("/UserUnit");
  if (uu.isNumber()) np.replaceKey("/UserUnit", copier.copy(uu, Ctx::generic, 0));
  QPDFObjectHandle res = p.getAttribute("/Resources", false);
  QPDFObjectHandle contents = p.getObjectHandle().getKey("/Contents");
  std::set<std::string> names;
  const bool parsed = (contents.isStream() || contents.isArray()) && content_names(contents, names);
  np.replaceKey("/Resources", res.isDictionary() ? copier.copy_resources(res, parsed ? &names : nullptr, 0)
                                                 : QPDFObjectHandle::newDictionary());
  if (contents.isStream()) {
    np.replaceKey("/Contents", copier.copy(contents, Ctx::content, 0));
  } else if (contents.isArray()) {
    QPDFObjectHandle arr = QPDFObjectHandle::newArray();
    for (int i = 0; i < contents.getArrayNItems(); ++i) {
      QPDFObjectHandle c = contents.getArrayItem(i);
      if (c.isStream()) arr.appendItem(copier.copy(c, Ctx::content, 0));
    }
    np.replaceKey("/Contents", arr);
  }
  return copier.dest().makeIndirectObject(np);
}

}  // namespace

QPDFObjectHandle copy_page_allow_listed(QPDF& dest, QPDFPageObjectHelper page) {
  Copier copier(dest);
  QPDFObjectHandle np = build_page(copier, page);
  if (copier.too_deep()) throw Error(ErrorCategory::pdf, "rebuild", "objects nested more than 200 levels deep; refused");
  return np;
}

RebuildResult rebuild_document(QPDF& source, const RebuildOptions& options) {
  RebuildResult result;
  try {
    QPDFPageDocumentHelper src_pages(source);
    std::vector<QPDFPageObjectHelper> pages = src_pages.getAllPages();
    if (pages.empty()) throw Error(ErrorCategory::pdf, "rebuild", "the document has no pages");
    const std::size_t xref_objects = source.getXRefTable().size();
    result.dropped_features = detect_features(source, pages, xref_objects);

    QPDF dest;
    dest.emptyPDF();
    dest.setSuppressWarnings(true);
    Copier copier(dest);
    QPDFPageDocumentHelper dest_pages(dest);
    for (auto& p : pages) {
      QPDFObjectHandle np = build_page(copier, p);
      dest_pages.addPage(QPDFPageObjectHelper(np), false);
    }
    if (copier.too_deep()) throw Error(ErrorCategory::pdf, "rebuild", "objects nested more than 200 levels deep; refused");
    const std::size_t carried = copier.carried() + pages.size();
    result.objects_dropped = xref_objects > carried ? xref_objects - carried : 0;

    FinalizeSpec fin;
    fin.title = options.title;
    fin.producer = options.producer;
    fin.creation_time = options.creation_time;
    fin.xmp = options.xmp;
    for (const auto& a : options.attachments) fin.attachments.push_back(AttachmentSpec{a.name, a.mime, "", a.data});
    result.pdf = finalize_and_write(dest, dest.getRoot().getKey("/Pages"), fin);
    return result;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCategory::pdf, "rebuild", std::string("allow-list rebuild failed: ") + e.what());
  }
}

}  // namespace declass::pdf
