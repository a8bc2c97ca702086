// Adapter from the ingest Document model (with its markings) to the plain rule-engine facts,
// so the rules module never sees ingest or PDF types.
#pragma once
#include "core/date.hpp"
#include "ingest/document.hpp"
#include "rules/facts.hpp"

namespace declass::app {

rules::DocumentFacts document_facts(const ingest::Document& doc, const Date& review_date);

}  // namespace declass::app
