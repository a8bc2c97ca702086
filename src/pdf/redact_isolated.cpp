// Runs redact_pdf behind the process boundary of core/isolate.hpp and carries its result back: the
// output PDF and the report, framed as [8-byte PDF length][PDF][report JSON] (the report holds counts,
// page numbers and check names only — never document text). Two jobs: "pdf.redact" (redact_pdf_isolated)
// and "pdf.read_then_redact" (PdfWorker of worker.hpp: glyphs first, then the redaction).
#include <malloc.h>

#include <optional>

#include "core/error.hpp"
#include "core/isolate.hpp"
#include "core/json.hpp"
#include "core/wire.hpp"
#include "pdf/loaded_pdf.hpp"
#include "pdf/redact.hpp"
#include "pdf/worker.hpp"

namespace declass::pdf {

namespace {

Json report_to_json(const RedactReport& r) {
  Json j;
  j["pages"] = r.pages;
  j["glyphs_removed"] = r.glyphs_removed;
  j["objects_dropped"] = r.objects_dropped;
  j["dropped_features"] = r.dropped_features;
  j["rasterized_pages"] = r.rasterized_pages;
  j["kept_glyphs_checked"] = r.kept_glyphs_checked;
  j["max_position_deviation"] = r.max_position_deviation;
  j["page_reports"] = Json::array();
  for (const auto& p : r.page_reports)
    j["page_reports"].push_back({p.page, p.areas, p.glyphs_removed, p.images_blanked, p.images_removed,
                                 p.inline_images_removed, p.paths_removed, p.forms_instanced, p.rasterized,
                                 p.rasterize_reason});
  j["checks"] = Json::array();
  for (const auto& c : r.checks) j["checks"].push_back({c.name, c.ok, c.detail});
  return j;
}

RedactReport report_from_json(const Json& j) {
  RedactReport r;
  r.pages = j.at("pages").get<int>();
  r.glyphs_removed = j.at("glyphs_removed").get<std::size_t>();
  r.objects_dropped = j.at("objects_dropped").get<std::size_t>();
  r.dropped_features = j.at("dropped_features").get<std::vector<std::string>>();
  r.rasterized_pages = j.at("rasterized_pages").get<std::vector<int>>();
  r.kept_glyphs_checked = j.at("kept_glyphs_checked").get<std::size_t>();
  r.max_position_deviation = j.at("max_position_deviation").get<double>();
  for (const auto& p : j.at("page_reports")) {
    PageRedactionReport pr;
    pr.page = p.at(0).get<int>();
    pr.areas = p.at(1).get<std::size_t>();
    pr.glyphs_removed = p.at(2).get<std::size_t>();
    pr.images_blanked = p.at(3).get<std::size_t>();
    pr.images_removed = p.at(4).get<std::size_t>();
    pr.inline_images_removed = p.at(5).get<std::size_t>();
    pr.paths_removed = p.at(6).get<std::size_t>();
    pr.forms_instanced = p.at(7).get<std::size_t>();
    pr.rasterized = p.at(8).get<bool>();
    pr.rasterize_reason = p.at(9).get<std::string>();
    r.page_reports.push_back(std::move(pr));
  }
  for (const auto& c : j.at("checks"))
    r.checks.push_back(LintCheck{c.at(0).get<std::string>(), c.at(1).get<bool>(), c.at(2).get<std::string>()});
  return r;
}

// The worker's arguments: the areas and every field of RedactOptions (a field added there must be
// added here too), followed by the input PDF's bytes.
std::string encode_job_head(const std::vector<RedactionArea>& areas, const RedactOptions& o) {
  WireWriter w;
  w.u32(static_cast<std::uint32_t>(areas.size()));
  for (const RedactionArea& a : areas) {
    w.i32(a.page);
    put_box(w, a.box);
    w.str(a.label);
  }
  w.str(o.password);
  w.u8(o.rasterize_unsafe_pages ? 1 : 0);
  w.f64(o.area_margin);
  w.u32(static_cast<std::uint32_t>(o.stamps.size()));
  for (const StampText& t : o.stamps) {
    w.i32(t.page);
    w.f64(t.x);
    w.f64(t.y);
    w.f64(t.size);
    w.u8(t.bold ? 1 : 0);
    w.str(t.text);
  }
  w.u32(static_cast<std::uint32_t>(o.strikes.size()));
  for (const StrikeLine& l : o.strikes) {
    w.i32(l.page);
    w.f64(l.x0);
    w.f64(l.x1);
    w.f64(l.y);
    w.f64(l.width);
  }
  w.str(o.title);
  w.str(o.producer);
  w.i64(o.creation_time);
  w.str(o.xmp);
  w.u32(static_cast<std::uint32_t>(o.attachments.size()));
  for (const Attachment& a : o.attachments) {
    w.str(a.name);
    w.str(a.mime);
    w.str(a.data);
  }
  w.strings(o.withheld_terms);
  return w.take();
}

// In the worker: the areas and options back from encode_job_head's bytes.
struct RedactRequest {
  std::vector<RedactionArea> areas;
  RedactOptions options;
};
RedactRequest decode_job_head(std::string_view head) {
  WireReader r(head, "redacting PDF: worker arguments");
  RedactRequest req;
  req.areas.resize(r.count(4 + 32 + 4));
  for (RedactionArea& a : req.areas) {
    a.page = r.i32();
    a.box = read_box(r);
    a.label = r.str();
  }
  RedactOptions& o = req.options;
  o.password = r.str();
  o.rasterize_unsafe_pages = r.u8() != 0;
  o.area_margin = r.f64();
  o.stamps.resize(r.count(4 + 24 + 1 + 4));
  for (StampText& t : o.stamps) {
    t.page = r.i32();
    t.x = r.f64();
    t.y = r.f64();
    t.size = r.f64();
    t.bold = r.u8() != 0;
    t.text = r.str();
  }
  o.strikes.resize(r.count(4 + 32));
  for (StrikeLine& l : o.strikes) {
    l.page = r.i32();
    l.x0 = r.f64();
    l.x1 = r.f64();
    l.y = r.f64();
    l.width = r.f64();
  }
  o.title = r.str();
  o.producer = r.str();
  o.creation_time = r.i64();
  o.xmp = r.str();
  o.attachments.resize(r.count(12));
  for (Attachment& a : o.attachments) {
    a.name = r.str();
    a.mime = r.str();
    a.data = r.str();
  }
  o.withheld_terms = r.strings();
  if (!r.done()) r.fail();
  return req;
}

// In the worker: the result framed as [8-byte PDF length][PDF][report JSON].
std::string frame_result(const RedactResult& res) {
  std::string out(8, '\0');
  std::uint64_t n = res.pdf.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  out += res.pdf;
  out += report_to_json(res.report).dump();
  return out;
}

// In the parent: the framed result back into a RedactResult.
RedactResult unframe_result(const std::string& framed) {
  if (framed.size() < 8) throw Error(ErrorCategory::internal, "redacting PDF", "worker returned a truncated result");
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(framed[i])) << (8 * i);
  if (n > framed.size() - 8) throw Error(ErrorCategory::internal, "redacting PDF", "worker returned a truncated result");
  RedactResult res;
  res.pdf = framed.substr(8, n);
  try {
    res.report = report_from_json(Json::parse(framed.substr(8 + n)));
  } catch (const std::exception&) {
    throw Error(ErrorCategory::internal, "redacting PDF", "worker returned a malformed report");
  }
  return res;
}

// Limits grow with the input: a 5,000-page record is legitimate work, a small file that runs for
// minutes is not.
IsolationLimits redaction_limits(std::string_view input) {
  IsolationLimits limits;
  limits.memory_bytes = std::size_t{8} << 30;
  limits.cpu_seconds = 120 + static_cast<int>(input.size() / (50 * 1024));
  limits.wall_seconds = 2 * limits.cpu_seconds;
  return limits;
}

// The job "pdf.redact": [head][input PDF].
std::string redact_job(std::string_view args, JobIO&) {
  WireReader r(args, "redacting PDF: worker arguments");
  const std::uint64_t head_size = r.u64();
  r.need(head_size);
  std::string_view rest = r.rest();
  RedactRequest req = decode_job_head(rest.substr(0, head_size));
  return frame_result(redact_pdf(rest.substr(head_size), req.areas, req.options));
}
const IsolatedJob k_redact_job{"pdf.redact", &redact_job};

}  // namespace

RedactResult redact_pdf_isolated(std::string_view input, const std::vector<RedactionArea>& areas,
                                 const RedactOptions& options) {
  const std::string head = encode_job_head(areas, options);
  WireWriter size;
  size.u64(head.size());
  return unframe_result(run_isolated_job("redacting PDF", k_redact_job, {size.view(), head, input}, redaction_limits(input)));
}

// ---- PdfWorker (worker.hpp) -----------------------------------------------------------------------

namespace {

// Page analyses kept from reading for the redaction plan, in glyphs (about 200 bytes each with
// their content ops): a few hundred pages of a typical record; the pages after those are interpreted again.
constexpr std::size_t k_keep_glyphs = 250000;

// The job "pdf.read_then_redact": [password][max pages][input PDF] as arguments; stage 1 sends the
// glyph pieces; then one message, the head of encode_job_head, and the framed redaction as result.
// The file is loaded once, and the pages' analyses from reading serve the redaction plan.
std::string read_then_redact_job(std::string_view args, JobIO& io) {
  WireReader r(args, "reading PDF: worker arguments");
  ExtractOptions eo;
  eo.password = r.str();
  eo.max_pages = r.i32();
  LoadedPdf doc = load_pdf(r.rest(), eo);
  extract_glyphs_pieces(doc, eo, io.emit, k_keep_glyphs);
  io.end_stage();
  // While the parent decides, give back what reading a large file left free (workers keep freed
  // memory for reuse, which for a 10-page file is the point, but not hundreds of megabytes).
  if (::mallinfo2().fordblks > (std::size_t{64} << 20)) ::malloc_trim(0);
  RedactRequest req = decode_job_head(io.receive());
  return frame_result(redact_pdf(doc, req.areas, req.options));
}
const IsolatedJob k_read_then_redact_job{"pdf.read_then_redact", &read_then_redact_job};

}  // namespace

struct PdfWorker::Impl {
  std::string_view pdf;
  std::string what;
  ExtractOptions read_options;
  std::unique_ptr<IsolatedConversation> talk;  // null when isolation is off (work runs in-process) ...
  std::optional<LoadedPdf> loaded;             // ... on this, then
  bool read = false, redacted = false;
};

PdfWorker::PdfWorker(std::string_view pdf, std::string what, ExtractOptions read_options) : m(std::make_unique<Impl>()) {
  m->pdf = pdf;
  m->what = std::move(what);
  m->read_options = std::move(read_options);
}

PdfWorker::~PdfWorker() = default;

void PdfWorker::read_glyphs(const std::function<void(std::string_view)>& consume) {
  if (m->read) throw Error(ErrorCategory::internal, m->what, "the PDF worker was asked to read twice");
  m->read = true;
  if (!isolation_enabled()) {
    m->loaded = load_pdf(m->pdf, m->read_options);
    return extract_glyphs_pieces(*m->loaded, m->read_options, consume, k_keep_glyphs);
  }
  WireWriter head;
  head.str(m->read_options.password);
  head.i32(m->read_options.max_pages);
  m->talk = std::make_unique<IsolatedConversation>("reading PDF " + m->what, k_read_then_redact_job,
                                                   JobArgs{head.view(), m->pdf}, redaction_limits(m->pdf));
  if (!m->talk->read_stage(consume)) {
    m->talk->finish();  // throws the worker's error
    throw Error(ErrorCategory::internal, "reading PDF " + m->what, "the worker ended without reading the file");
  }
}

RedactResult PdfWorker::redact(const std::vector<RedactionArea>& areas, const RedactOptions& options) {
  if (!m->read || m->redacted) throw Error(ErrorCategory::internal, m->what, "the PDF worker was asked to redact out of turn");
  m->redacted = true;
  if (!m->talk && !m->loaded) throw Error(ErrorCategory::internal, m->what, "the PDF worker could not read the file");
  if (!m->talk) return redact_pdf(*m->loaded, areas, options);
  m->talk->rename("redacting PDF");
  m->talk->send(encode_job_head(areas, options));
  RedactResult res = unframe_result(m->talk->finish());
  m->talk.reset();
  return res;
}

}  // namespace declass::pdf
