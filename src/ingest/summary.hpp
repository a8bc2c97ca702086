// Machine-readable summary of an ingested Document (markings, counts, paragraphs), used by
// `declass inspect --json`, golden tests and reports. Stable keys; no document text except
// the subject line and paragraph numbers.
#pragma once
#include "core/json.hpp"
#include "ingest/document.hpp"

namespace declass::ingest {

// Document-level facts: pages, encoding, banner, captions, tags, subject, authority, release,
// identifiers, dates, counts of paragraphs (numbered and all), portion_marked, lined-through residue.
Json summary_json(const Document& doc);

// Per-paragraph facts: index, number, zone, heading, first/last line, pages, portion code,
// cancelled-mark flag, exemptions and margin codes.
Json paragraphs_json(const Document& doc);

}  // namespace declass::ingest
