// Runs redact_pdf behind the process boundary of core/isolate.hpp and carries its result back:
// the output PDF and the report, framed as [8-byte PDF length][PDF][report JSON]. The report
// holds counts, page numbers and check names only — never document text.
#include "core/error.hpp"
#include "core/isolate.hpp"
#include "core/json.hpp"
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

}  // namespace

RedactResult redact_pdf_isolated(std::string_view input, const std::vector<RedactionArea>& areas,
                                 const RedactOptions& options) {
  // Limits grow with the input: a 5,000-page record is legitimate work, a small file that runs for
  // minutes is not.
  IsolationLimits limits;
  limits.memory_bytes = std::size_t{8} << 30;
  limits.cpu_seconds = 120 + static_cast<int>(input.size() / (50 * 1024));
  limits.wall_seconds = 2 * limits.cpu_seconds;
  std::string framed = run_isolated("redacting PDF", [&] {
    RedactResult res = redact_pdf(input, areas, options);
    std::string out(8, '\0');
    std::uint64_t n = res.pdf.size();
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
    out += res.pdf;
    out += report_to_json(res.report).dump();
    return out;
  }, limits);
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
