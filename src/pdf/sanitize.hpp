// Internal to the pdf module: the allow-list rebuild of a release PDF. A NEW document receives only
// the pages (MediaBox, CropBox, Rotate, UserUnit, Resources, Contents, inherited values resolved)
// and the resources they use, copied through per-type key allow-lists; everything else (annotations,
// forms, outline, names, JavaScript/actions, metadata, structure tree, optional content, labels,
// thumbnails, old revisions, unused objects) is left behind. Then our Info, XMP and attachments.
#pragma once
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pdf/inspect.hpp"

namespace declass::pdf {

struct RebuildOptions {
  std::string title;                    // Info /Title ("" = none)
  std::string producer = "declass";
  std::int64_t creation_time = 0;       // unix seconds → /CreationDate and /ModDate
  std::string xmp;                      // complete XMP packet ("" = none)
  std::vector<Attachment> attachments;  // the only embedded files of the output
};

struct RebuildResult {
  std::string pdf;                          // full rewrite, no object streams, deterministic /ID
  std::size_t objects_dropped = 0;          // input xref objects − input objects carried over
  std::vector<std::string> dropped_features;  // what the input had and the output does not:
  // "annotations", "form fields", "outline", "JavaScript", "actions", "embedded files", "Info", "XMP",
  // "structure tree", "optional content", "page labels", "thumbnails", "article threads",
  // "earlier revisions", "unused objects", "other catalog entries"
};

// Throws Error(pdf) when the source cannot be copied (e.g. no pages). `source` is not modified.
RebuildResult rebuild_document(QPDF& source, const RebuildOptions& options);

// The same allow-listed copy for one page of another document: returns a new indirect page
// dictionary in `dest` (not yet in its page tree) with /Type /MediaBox /CropBox /Rotate /UserUnit
// /Resources /Contents. Used by the raster fallback to render exactly what the release would show.
QPDFObjectHandle copy_page_allow_listed(QPDF& dest, QPDFPageObjectHelper page);

}  // namespace declass::pdf
