// Plain value facts the rule engine evaluates: what `inspect` found about a document and each
// of its paragraphs (markings, zone, text, dates), plus the review date. No ingest/PDF types:
// app/facts.cpp adapts an ingest::Document into these.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace declass::rules {

struct ParagraphFacts {
  int index = 0;                             // 1-based among the document's paragraphs
  std::string number;                        // "3", "A", "" when unnumbered
  std::string zone = "body";                 // ingest zone name: "body", "cable_header", "caption", ...
  std::string text;                          // paragraph text; span offsets are bytes into this
  std::optional<std::string> classification; // portion level code "U","R","C","S","TS"; nullopt = unmarked
  std::vector<std::string> controls;         // portion controls, canonical banner forms ("NOFORN")
  std::vector<std::string> exemptions;       // exemption codes written in the paragraph, canonical
};

struct DocumentFacts {
  std::string path;
  std::optional<std::string> banner;         // banner level code, nullopt = no banner
  std::vector<std::string> banner_controls;
  std::vector<std::string> captions;         // "NODIS", "SIPDIS"
  std::vector<std::string> tags;             // "PREL", "RS"
  std::string order;                         // executive order digits: "12958", "13526"; "" = none
  std::vector<std::string> reasons;          // canonical reason codes as written: "1.5(b)", "1.4(d)"
  std::string declassify_on;                 // ISO date or instruction ("25X1", "OADR", "MR"); "" = none
  std::optional<Date> declassify_on_date;
  std::optional<Date> document_date;
  std::string release_status;                // "RELEASE IN FULL" | "RELEASE IN PART" | "DENIED IN FULL" | ""
  std::vector<std::string> release_exemptions;  // canonical codes of the release stamp
  Date review_date;
  std::vector<ParagraphFacts> paragraphs;
};

// Full years from `from` to `to` (0 when to < from).
int full_years_between(const Date& from, const Date& to);

}  // namespace declass::rules
