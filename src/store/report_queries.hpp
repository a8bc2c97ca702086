// Bulk, read-only queries for the compliance reports (Vaughn index, exemption statistics,
// consistency, overrides, audit counts). A ReportReader opens its own connection to the store file and
// reads inside one read transaction, so every report sees one consistent snapshot; it returns value
// types only (records.hpp), with whole-store or per-case scope and no per-row round trips.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "store/store.hpp"

namespace declass::store {

// A document row without its inspect snapshot (large, not needed by reports).
struct ReportDocument {
  std::int64_t seq = 0;
  std::string id;
  std::string case_id;
  std::string doc_no;
  std::string source_name;
  std::string source_sha256;
  std::int64_t source_size = 0;
  std::string status;
  std::string recommend_json;
  std::string imported_at;
  std::string imported_by;
};

struct ReportParagraph {
  std::int64_t document_seq = 0;
  ParagraphRecord paragraph;
};

struct EventCount {
  std::string actor;
  std::string role;
  std::string action;
  std::int64_t count = 0;
  std::string first_at;
  std::string last_at;
};

class ReportReader {
 public:
  // Opens a second connection on store.path() and begins a read transaction (snapshot).
  explicit ReportReader(const Store& store);
  ~ReportReader();
  ReportReader(const ReportReader&) = delete;
  ReportReader& operator=(const ReportReader&) = delete;

  // case_id "" = every case. Rows are ordered by document seq, then by id / index.
  std::vector<CaseRecord> cases(const std::string& case_id = "");
  std::vector<ReportDocument> documents(const std::string& case_id = "");
  std::vector<ReportParagraph> paragraphs(const std::string& case_id = "");
  std::vector<DecisionRecord> decisions(const std::string& case_id = "");
  std::vector<ApprovalRecord> approvals(const std::string& case_id = "");
  std::vector<ReleaseRecord> releases(const std::string& case_id = "");
  // Audit events grouped by (actor, role, action), ordered by actor then action.
  std::vector<EventCount> event_counts();
  // Source bytes of a blob, checked against its SHA-256 (Error(store) when altered).
  std::string blob(const std::string& sha256);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace declass::store
