// Internal to the pdf module: the last stage shared by every PDF declass writes (text releases via
// writer.cpp, redacted releases via sanitize.cpp): a fresh catalog holding only /Pages (+ our XMP),
// our attachments as an EmbeddedFiles name tree, our Info, a trailer reduced to /Root /Size /Info,
// and a deterministic full rewrite (no object streams, compressed streams, reachable objects only).
#pragma once
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstdint>
#include <string>
#include <vector>

#include "pdf/writer.hpp"

namespace declass::pdf {

struct FinalizeSpec {
  std::string title;                        // "" = no /Title
  std::string producer = "declass";         // "" = no /Producer
  std::int64_t creation_time = 0;           // /CreationDate, /ModDate, attachment /ModDate
  std::string xmp;                          // "" = no /Metadata
  std::vector<AttachmentSpec> attachments;  // /AFRelationship /Supplement, /Subtype = mime
};

// Replaces the catalog of `q` by a new one pointing at `pages`, adds XMP, attachments and Info,
// and returns the written bytes. Same input → same bytes.
std::string finalize_and_write(QPDF& q, QPDFObjectHandle pages, const FinalizeSpec& spec);

}  // namespace declass::pdf
