// Store-backed release (see release_store.hpp).
#include "app/release_store.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"
#include "ingest/pdf_reader.hpp"
#include "ingest/text_reader.hpp"
#include "app/redact.hpp"
#include "markings/grammar.hpp"

namespace declass::app {

namespace {

void add_ranges(std::vector<release::WithheldRange>& out, const ingest::Paragraph& p, std::size_t begin,
                std::size_t end, const std::vector<std::string>& codes) {
  for (const auto& [b, e] : p.source_ranges(begin, end))
    if (e > b) out.push_back(release::WithheldRange{b, e, codes});
}

// Classification markings of the original: page banners and class lines, and portion marks.
std::vector<release::CancelRange> markings_to_cancel(const ingest::Document& doc) {
  std::vector<release::CancelRange> out;
  for (const auto& line : doc.lines) {
    std::string_view t = doc.line_text(line);
    bool banner = line.zone == ingest::Zone::page_banner;
    std::string mark;
    if (banner) {
      auto m = markings::parse_banner_line(t);
      if (m) mark = m->text;
    } else if (line.zone == ingest::Zone::cable_header) {
      // the classification only: "SECRET STATE 244337" keeps its originator and number legible
      if (auto cl = markings::parse_class_line(t)) mark = cl->marking.text.substr(0, cl->classification_length);
    }
    if (mark.empty()) continue;
    std::size_t at = t.find(mark);
    if (at == std::string_view::npos) continue;
    out.push_back(release::CancelRange{line.offset + at, line.offset + at + mark.size()});
  }
  for (const auto& p : doc.paragraphs) {
    if (!p.portion) continue;
    for (const auto& [b, e] : p.source_ranges(p.portion->begin, p.portion->end))
      if (e > b) out.push_back(release::CancelRange{b, e});
  }
  return out;
}

std::vector<std::string> split_codes(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t comma = list.find(", ", start);
    std::string piece = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!piece.empty()) out.push_back(piece);
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return out;
}

// Withheld source byte ranges of the effective decisions: whole paragraphs for withhold/refer, the
// spans for redact, each with the codes printed in its box. Used by the release and by verify --db.
std::vector<release::WithheldRange> withheld_ranges(const ingest::Document& doc,
                                                    const std::vector<review::EffectiveParagraph>& effective) {
  std::vector<release::WithheldRange> out;
  for (const auto& eff : effective) {
    if (eff.index < 1 || eff.index > static_cast<int>(doc.paragraphs.size())) continue;
    const ingest::Paragraph& p = doc.paragraphs[static_cast<std::size_t>(eff.index - 1)];
    if (eff.action == "withhold" || eff.action == "refer") {
      std::vector<std::string> codes = eff.exemptions;
      if (eff.action == "refer" && codes.empty()) codes.push_back("REFER " + eff.refer_to.value_or(""));
      add_ranges(out, p, 0, p.text.size(), codes);
    } else if (eff.action == "redact") {
      for (const auto& s : eff.spans)
        add_ranges(out, p, static_cast<std::size_t>(s.begin), static_cast<std::size_t>(s.end), s.exemptions);
    }
  }
  return out;
}

std::string approving_authority(const review::DocumentView& v) {
  for (auto it = v.approvals.rbegin(); it != v.approvals.rend(); ++it)
    if (it->outcome == "approve") return it->authority;
  return "";
}

}  // namespace

release::ReleaseRequest request_for_document(Workspace& ws, const StoreReleaseOptions& o, const Clock& clock) {
  return request_for_view(ws, ws.workflow().view(o.document), o, clock);
}

release::ReleaseRequest request_for_view(Workspace& ws, const review::DocumentView& v, const StoreReleaseOptions& o,
                                         const Clock& clock) {
  if (v.document.status != "approved")
    throw Error(ErrorCategory::workflow, v.document.id,
                "is '" + v.document.status + "'; only an approved document can be released "
                "(submit it, then have an authority run 'declass approve " + v.document.id + "')");
  ingest::Document doc = ingest::parse_document(v.source_bytes, v.document.source_name);
  if (doc.paragraphs.size() != v.paragraphs.size())
    throw Error(ErrorCategory::input, v.document.id,
                "the stored source no longer yields the stored paragraphs (parser changed since import); re-import it");
  for (std::size_t i = 0; i < doc.paragraphs.size(); ++i)
    if (doc.paragraphs[i].text != v.paragraphs[i].text)
      throw Error(ErrorCategory::input, v.document.id,
                  "paragraph " + std::to_string(i + 1) + " differs from the stored one (parser changed since import); re-import it");

  release::ReleaseRequest req;
  req.lines = lines_from_document(doc);
  std::vector<std::string> all_codes;
  std::size_t withheld_paragraphs = 0;
  for (const auto& eff : v.effective) {
    if (eff.index < 1 || eff.index > static_cast<int>(doc.paragraphs.size()))
      throw Error(ErrorCategory::internal, v.document.id, "decision on unknown paragraph " + std::to_string(eff.index));
    if (eff.action == "undecided")
      throw Error(ErrorCategory::workflow, v.document.id,
                  "paragraph " + std::to_string(eff.index) + " has no decision; it must be decided before release");
    if (eff.action == "withhold" || eff.action == "refer") ++withheld_paragraphs;
    for (const auto& c : eff.exemptions) all_codes.push_back(c);
    for (const auto& sp : eff.spans)
      for (const auto& c : sp.exemptions) all_codes.push_back(c);
  }
  req.withheld = withheld_ranges(doc, v.effective);
  const std::size_t body_paragraphs = v.effective.size();

  std::string disposition = req.withheld.empty() ? "RELEASE IN FULL"
                            : withheld_paragraphs == body_paragraphs ? "DENIED IN FULL"
                                                                     : "RELEASE IN PART";
  req.stamp.disposition = disposition;
  req.stamp.codes = split_codes(markings::stamp_code_list(all_codes));
  std::string authority = approving_authority(v);
  req.stamp.review_authority_name = authority.empty() ? o.actor : authority;
  req.stamp.review_authority_title = o.authority_title;
  req.stamp.case_no = v.document.case_id;
  req.stamp.doc_no = v.document.doc_no;
  req.stamp.date = clock.today().us();
  req.stamp.declassified = disposition != "DENIED IN FULL";
  if (req.stamp.declassified) req.cancel = markings_to_cancel(doc);
  req.template_path = o.template_path;
  req.title = "Release of " + v.document.doc_no + " (case " + v.document.case_id + ")";
  req.document_id = v.document.id;
  req.audit_json = ws.workflow().audit_excerpt(v.document.id).dump(2);
  req.clock = &clock;
  return req;
}

StoreReleaseResult release_document(Workspace& ws, const StoreReleaseOptions& o, const std::string& out_path,
                                    const Clock& clock) {
  if (o.actor.empty()) throw Error(ErrorCategory::usage, "--as", "name the releasing authority (--as USER)");
  review::DocumentView v = ws.workflow().view(o.document);
  if (ws.workflow().require_user(o.actor).role != "authority")
    throw Error(ErrorCategory::workflow, o.actor, "only a review authority can release a document");
  release::ReleaseRequest req = request_for_view(ws, v, o, clock);
  StoreReleaseResult r;
  r.disposition = req.stamp.disposition;
  for (const auto& c : req.stamp.codes) r.stamp_codes += (r.stamp_codes.empty() ? "" : ", ") + c;
  Json release_options;  // null unless something must be recorded with the release event
  if (ingest::looks_like_pdf(v.source_bytes)) {
    // A PDF record: the withheld ranges (of Document::text) are redacted in the source PDF itself.
    r.source_format = "pdf";
    ingest::Document doc = ingest::parse_document(v.source_bytes, v.document.source_name);
    PdfReleaseOptions po;
    po.rasterize_unsafe_pages = o.rasterize_unsafe_pages;
    pdf::RedactReport report;
    r.output = release_and_sign(req, o.signing, clock, [&] {
      PdfReleaseBuild b = build_pdf_release(doc, v.source_bytes, req, po);
      report = b.report;
      return std::move(b.result);
    });
    r.rasterized_pages = report.rasterized_pages;
    if (o.rasterize_unsafe_pages) {
      Json pages = Json::array();
      for (const auto& pr : report.page_reports)
        if (pr.rasterized) pages.push_back({{"page", pr.page}, {"reason", pr.rasterize_reason}});
      release_options = Json{{"rasterize_unsafe_pages", true}, {"rasterized_pages", std::move(pages)}};
    }
  } else {
    r.output = release_and_sign(req, o.signing, clock);
  }
  r.output_sha256 = crypto::sha256_hex(r.output.signed_pdf);

  // Write to a temporary file first, record the release (state change + audit event in one
  // transaction), then move the file into place: never a recorded release without its file, and
  // never a file whose release was refused.
  std::string tmp = out_path + ".declass-partial";
  io::write_file_atomic(tmp, r.output.signed_pdf);
  try {
    ws.workflow().record_release(v.document.id, r.output_sha256, r.output.signer_subject, o.actor,
                                 std::filesystem::path(out_path).filename().string(), release_options);
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  spdlog::info("release: document {} released by {}: {} pages, {} boxes, sha256 {}", v.document.id, o.actor,
               r.output.result.pages, r.output.result.boxes.size(), r.output_sha256);
  std::error_code ec;
  std::filesystem::rename(tmp, out_path, ec);
  if (ec) throw Error(ErrorCategory::input, out_path, "recorded the release but cannot move the file into place: " + ec.message() + " (it is at " + tmp + ")");
  return r;
}

void install_store_verify_hook() {
  auto& hook = store_verify_hook();
  hook.audit_check = [](const std::string& db, const std::string& audit_json) {
    std::vector<std::string> problems;
    SystemClock clock;
    Workspace ws(db, clock);
    Json excerpt;
    try {
      excerpt = Json::parse(audit_json);
    } catch (const Json::exception&) {
      return std::vector<std::string>{"release-audit.json is not valid JSON"};
    }
    problems = ws.workflow().check_excerpt(excerpt);
    auto chain = ws.store().verify_chain();
    if (!chain.ok) problems.push_back("audit chain of the store is broken: " + chain.problem);
    return problems;
  };
  hook.withheld_terms = [](const std::string& db, const std::string& audit_json) {
    SystemClock clock;
    Workspace ws(db, clock);
    Json excerpt = Json::parse(audit_json);
    std::string doc_id = excerpt.value("document", Json::object()).value("id", "");
    if (doc_id.empty()) throw Error(ErrorCategory::verification, "release-audit.json", "names no document id");
    review::DocumentView v = ws.workflow().view(doc_id);
    if (ingest::looks_like_pdf(v.source_bytes)) {
      // PDF record: withheld ranges are ranges of Document::text (the glyphs in reading order).
      ingest::Document pdoc = ingest::parse_document(v.source_bytes, v.document.source_name);
      std::vector<std::pair<std::size_t, std::size_t>> pr;
      for (const auto& w : withheld_ranges(pdoc, v.effective)) pr.emplace_back(w.begin, w.end);
      return pdf_withheld_terms(pdoc, pr, "");
    }
    ingest::Document doc = ingest::parse_document(v.source_bytes, v.document.source_name);
    std::vector<release::WithheldRange> ranges = withheld_ranges(doc, v.effective);
    return release::distinctive_withheld_terms(lines_from_document(doc), ranges);
  };
}

}  // namespace declass::app
