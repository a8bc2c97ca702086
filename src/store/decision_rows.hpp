// Internal to the store module: the one SELECT of decision rows (with their audit hash) and the one
// reader of such a row, shared by the review store and the report reader so the two cannot drift.
#pragma once
#include "store/records.hpp"
#include "store/sqlite_db.hpp"

namespace declass::store {

// "SELECT <the 16 decision columns> FROM decisions x LEFT JOIN audit_events e ..."; append JOIN/WHERE/ORDER BY.
extern const char* const decision_cols;
DecisionRecord read_decision(const detail::Statement& s);

}  // namespace declass::store
