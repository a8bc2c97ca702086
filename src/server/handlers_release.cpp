// Routes for the release of an approved document (signed with the releasing authority's configured
// key, written to --release-dir), its download, page previews (pdftoppm PNG) and its verification
// (`declass verify --db`: signature, chain to --trust, checklist, audit excerpt, withheld text).
#include <filesystem>

#include "app/release_store.hpp"
#include "core/io.hpp"
#include "crypto/hash.hpp"
#include "pdf/page_geometry.hpp"
#include "pdf/preview.hpp"
#include "server/context.hpp"

namespace declass::server {

namespace fs = std::filesystem;

namespace {

// The stored bytes of the document's release, checked against the SHA-256 recorded in the store.
std::string release_bytes(Context& c, const store::DocumentRecord& d) {
  auto releases = c.ws().store().list_releases(d.seq);
  if (releases.empty() || !releases.back().output_name)
    throw ApiError(404, "not_found", "document " + d.id + " has no release yet; an authority releases it with POST /api/documents/" + d.id + "/release");
  const auto& r = releases.back();
  fs::path p = fs::path(c.state.release_dir) / fs::path(*r.output_name).filename();
  std::error_code ec;
  if (!fs::is_regular_file(p, ec))
    throw ApiError(404, "not_found", "the release file of " + d.id + " is not in the server's release directory; it was released elsewhere");
  std::string bytes = io::read_file(p.string(), std::size_t{1} << 30);
  if (crypto::sha256_hex(bytes) != r.output_sha256)
    throw ApiError(409, "conflict", "the release file of " + d.id + " no longer matches the SHA-256 recorded in the store; it was altered");
  return bytes;
}

void release(Context& c) {
  auto d = require_document(c, c.param("doc"));
  const SignerConfig* signer = nullptr;
  for (const auto& s : c.state.config.signers)
    if (s.user == c.actor().name) signer = &s;
  if (!signer)
    throw ApiError(409, "no_signer", "no signing key is configured for " + c.actor().name +
                                         " on this server; restart it with --signer " + c.actor().name + "=p12:FILE:env:VAR");
  app::StoreReleaseOptions o;
  o.document = d.id;
  o.actor = c.actor().name;
  if (auto t = c.opt_str("authority_title")) o.authority_title = *t;
  o.rasterize_unsafe_pages = c.flag("rasterize_unsafe_pages", false);
  o.signing = signer->signing;
  std::string out = (fs::path(c.state.release_dir) / (d.id + ".pdf")).string();
  std::lock_guard<std::mutex> lock(c.state.heavy);
  auto r = app::release_document(c.ws(), o, out, c.clock());
  auto rec = c.ws().store().list_releases(d.seq);
  c.json(200, Json{{"release", rec.empty() ? Json(nullptr) : review::to_json(rec.back())},
                   {"pages", r.output.result.pages},
                   {"disposition", r.disposition},
                   {"stamp_codes", r.stamp_codes},
                   {"sha256", r.output_sha256},
                   {"download", "/api/documents/" + d.id + "/release.pdf"}});
}

void download(Context& c) {
  auto d = require_document(c, c.param("doc"));
  std::string bytes = release_bytes(c, d);
  c.res.status = 200;
  c.res.set_header("Content-Disposition", "attachment; filename=\"" + d.id + "-release.pdf\"");
  c.res.set_content(std::move(bytes), "application/pdf");
}

void preview(Context& c) {
  auto d = require_document(c, c.param("doc"));
  const std::string& n = c.param("n");
  if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos)
    throw ApiError(400, "bad_request", "page number '" + n.substr(0, 20) + "' is not a positive integer");
  int page = std::stoi(n);
  std::string bytes = release_bytes(c, d);
  std::lock_guard<std::mutex> lock(c.state.heavy);
  int pages = static_cast<int>(pdf::page_geometry(bytes).size());  // the page tree only, not a full inspection
  if (page < 1 || page > pages)
    throw ApiError(404, "not_found", "the release of " + d.id + " has pages 1.." + std::to_string(pages));
  std::string png = pdf::render_page_png(bytes, page);
  c.res.status = 200;
  c.res.set_content(std::move(png), "image/png");
}

void verify(Context& c) {
  auto d = require_document(c, c.param("doc"));
  release_bytes(c, d);  // 404/409 before verification
  auto releases = c.ws().store().list_releases(d.seq);
  std::string path = (fs::path(c.state.release_dir) / fs::path(*releases.back().output_name).filename()).string();
  app::VerifyInput in;
  in.pdf_path = path;
  in.trust_path = c.state.config.trust;
  std::lock_guard<std::mutex> lock(c.state.heavy);
  sign::VerifyReport r = app::verify_release_with_store(in, c.state.config.db);
  Json j = r.to_json();
  Json out{{"schema", "declass.verify/1"}, {"file", fs::path(path).filename().string()}, {"document", d.id}};
  for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it.value();
  c.json(200, out);
}

}  // namespace

void register_release_routes(Router& r) {
  r.add({"POST", "/api/documents/{doc}/release", {"authority"}}, release);
  r.add({"GET", "/api/documents/{doc}/release.pdf", {}}, download);
  r.add({"GET", "/api/documents/{doc}/release/pages/{n}.png", {}}, preview);
  r.add({"GET", "/api/documents/{doc}/verify", {}}, verify);
}

}  // namespace declass::server
