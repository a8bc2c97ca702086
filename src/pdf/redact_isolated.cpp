// Runs redact_pdf behind the process boundary of core/isolate.hpp (the named job "pdf.redact") and
// carries its result back: the output PDF and the report, framed as [8-byte PDF length][PDF][report
// JSON]. The report holds counts, page numbers and check names only — never document text.
#include "core/error.hpp"
#include "core/isolate.hpp"
#include "core/json.hpp"
#include "core/wire.hpp"
#include "pdf/redact.hpp"

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
    w.f64(a.box.x0);
    w.f64(a.box.y0);
    w.f64(a.box.x1);
    w.f64(a.box.y1);
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

// In the worker: decode those arguments, redact, and frame the result as
// [8-byte PDF length][PDF][report JSON].
std::string redact_job(std::string_view args, JobIO&) {
  WireReader r(args, "redacting PDF: worker arguments");
  std::vector<RedactionArea> areas(r.count(4 + 32 + 4));
  for (RedactionArea& a : areas) {
    a.page = r.i32();
    a.box.x0 = r.f64();
    a.box.y0 = r.f64();
    a.box.x1 = r.f64();
    a.box.y1 = r.f64();
    a.label = r.str();
  }
  RedactOptions o;
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
  RedactResult res = redact_pdf(r.rest(), areas, o);
  std::string out(8, '\0');
  std::uint64_t n = res.pdf.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  out += res.pdf;
  out += report_to_json(res.report).dump();
  return out;
}
const IsolatedJob k_redact_job{"pdf.redact", &redact_job};

}  // namespace

RedactResult redact_pdf_isolated(std::string_view input, const std::vector<RedactionArea>& areas,
                                 const RedactOptions& options) {
  // Limits grow with the input: a 5,000-page record is legitimate work, a small file that runs for
  // minutes is not.
  IsolationLimits limits;
  limits.memory_bytes = std::size_t{8} << 30;
  limits.cpu_seconds = 120 + static_cast<int>(input.size() / (50 * 1024));
  limits.wall_seconds = 2 * limits.cpu_seconds;
  const std::string head = encode_job_head(areas, options);
  std::string framed = run_isolated_job("redacting PDF", k_redact_job, {head, input}, limits);
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

}  // namespace declass::pdf
