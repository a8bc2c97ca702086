// The review workspace as a library: opens the store (--db / DECLASS_DB), imports records
// (inspect + recommend with the case's policy, snapshots kept with the source bytes), and renders
// documents, cases and the audit trail as JSON or text. The CLI, batch runner, server and tests call this.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/json.hpp"
#include "review/workflow.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"

namespace declass::app {

// Busy timeout for the write lock: DECLASS_BUSY_TIMEOUT_MS, else 5000 ms.
int busy_timeout_from_env();

class Workspace {
 public:
  // Opens an existing store; with create=true, creates and initialises it when missing.
  Workspace(const std::string& db_path, const Clock& clock, bool create = false);

  store::Store& store() { return *m_store; }
  review::Workflow& workflow() { return m_workflow; }

  // Creates a case whose policy is read (and validated) from policy_path; the text is kept.
  store::CaseRecord create_case(const std::string& id, const std::string& requester, const Date& received,
                                const std::string& policy_path, const std::string& actor);
  // Reads, inspects and recommends `path` with the case's policy, then stores it. doc_no empty →
  // derived from the file name.
  store::DocumentRecord import_file(const std::string& case_id, const std::string& path, const std::string& doc_no,
                                    const std::string& actor, const Date& review_date);

  Json case_show_json(const std::string& case_id);
  Json review_json(const std::string& document);  // paragraphs with text, recommendation, decisions, effective
  std::string review_text(const std::string& document);
  Json audit_log_json(const std::string& case_id);
  std::string audit_log_text(const std::string& case_id);

 private:
  const Clock& m_clock;
  std::unique_ptr<store::Store> m_store;
  review::Workflow m_workflow;
};

// A document number from a file name: stem with characters outside [A-Za-z0-9._-] replaced by '-'.
std::string doc_no_from_path(const std::string& path);

// The store-free half of Workspace::import_file: inspects `bytes` (read from `path`) and recommends
// them under `policy`, giving the input for workflow().import_document. Touches no store, so the batch
// runner calls it from worker threads (each with its own Policy) and writes through one connection.
review::DocumentInput prepare_import(const std::string& case_id, const std::string& path, std::string bytes,
                                     const std::string& doc_no, const rules::Policy& policy, const Date& review_date);

}  // namespace declass::app
