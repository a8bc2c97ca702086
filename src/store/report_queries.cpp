// Read-only bulk queries behind the compliance reports (see report_queries.hpp). One connection, one
// read transaction for the reader's lifetime; each query is a single ordered SELECT.
#include "store/report_queries.hpp"

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "store/decision_rows.hpp"
#include "store/sqlite_db.hpp"

namespace declass::store {

using detail::Connection;
using detail::Statement;

namespace {

// "" → no filter; otherwise the WHERE fragment on the case column `col` with one parameter.
std::string case_filter(const std::string& case_id, const char* col, const char* glue = " WHERE ") {
  return case_id.empty() ? std::string() : std::string(glue) + col + "=?";
}

}  // namespace

struct ReportReader::Impl {
  std::unique_ptr<Connection> conn;
};

ReportReader::ReportReader(const Store& store) : m_impl(std::make_unique<Impl>()) {
  m_impl->conn = std::make_unique<Connection>(store.path(), false);
  m_impl->conn->set_busy_timeout(5000);
  m_impl->conn->exec("BEGIN");
  // A deferred transaction takes its snapshot at the first read.
  Statement s(*m_impl->conn, "SELECT count(*) FROM sqlite_master");
  s.step();
}

ReportReader::~ReportReader() {
  try {
    m_impl->conn->exec("COMMIT");
  } catch (...) {
    // read-only: nothing to lose
  }
}

std::vector<CaseRecord> ReportReader::cases(const std::string& case_id) {
  Statement s(*m_impl->conn,
              "SELECT id, requester, received, due, policy_path, policy_sha256, status, created_at FROM cases" +
                  case_filter(case_id, "id") + " ORDER BY id");
  if (!case_id.empty()) s.bind(1, case_id);
  std::vector<CaseRecord> out;
  while (s.step())
    out.push_back(CaseRecord{s.text(0), s.text(1), s.text(2), s.text(3), s.opt_text(4), s.opt_text(5), s.text(6), s.text(7)});
  return out;
}

std::vector<ReportDocument> ReportReader::documents(const std::string& case_id) {
  Statement s(*m_impl->conn,
              "SELECT d.seq, d.id, d.case_id, d.doc_no, d.source_name, d.source_sha256, coalesce(b.size, 0), d.status, "
              "d.recommend_json, d.imported_at, d.imported_by FROM documents d LEFT JOIN blobs b ON b.sha256 = d.source_sha256" +
                  case_filter(case_id, "d.case_id") + " ORDER BY d.seq");
  if (!case_id.empty()) s.bind(1, case_id);
  std::vector<ReportDocument> out;
  while (s.step()) {
    ReportDocument d;
    d.seq = s.integer(0);
    d.id = s.text(1);
    d.case_id = s.text(2);
    d.doc_no = s.text(3);
    d.source_name = s.text(4);
    d.source_sha256 = s.text(5);
    d.source_size = s.integer(6);
    d.status = s.text(7);
    d.recommend_json = s.text(8);
    d.imported_at = s.text(9);
    d.imported_by = s.text(10);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<ReportParagraph> ReportReader::paragraphs(const std::string& case_id) {
  std::string sql = case_id.empty()
                        ? "SELECT p.document_seq, p.idx, p.number, p.text FROM paragraphs p ORDER BY p.document_seq, p.idx"
                        : "SELECT p.document_seq, p.idx, p.number, p.text FROM paragraphs p JOIN documents d ON d.seq = "
                          "p.document_seq WHERE d.case_id=? ORDER BY p.document_seq, p.idx";
  Statement s(*m_impl->conn, sql);
  if (!case_id.empty()) s.bind(1, case_id);
  std::vector<ReportParagraph> out;
  while (s.step())
    out.push_back(ReportParagraph{s.integer(0), ParagraphRecord{static_cast<int>(s.integer(1)), s.text(2), s.text(3)}});
  return out;
}

std::vector<DecisionRecord> ReportReader::decisions(const std::string& case_id) {
  std::string sql = decision_cols;
  if (!case_id.empty()) sql += " JOIN documents d ON d.seq = x.document_seq WHERE d.case_id=?";
  sql += " ORDER BY x.document_seq, x.id";
  Statement s(*m_impl->conn, sql);
  if (!case_id.empty()) s.bind(1, case_id);
  std::vector<DecisionRecord> out;
  while (s.step()) out.push_back(read_decision(s));
  return out;
}

std::vector<ApprovalRecord> ReportReader::approvals(const std::string& case_id) {
  std::string sql =
      "SELECT x.id, x.document_seq, x.authority, x.outcome, x.comment, x.decided_at, x.audit_seq, coalesce(e.hash, '') "
      "FROM approvals x LEFT JOIN audit_events e ON e.seq = x.audit_seq";
  if (!case_id.empty()) sql += " JOIN documents d ON d.seq = x.document_seq WHERE d.case_id=?";
  sql += " ORDER BY x.document_seq, x.id";
  Statement s(*m_impl->conn, sql);
  if (!case_id.empty()) s.bind(1, case_id);
  std::vector<ApprovalRecord> out;
  while (s.step())
    out.push_back(ApprovalRecord{s.integer(0), s.integer(1), s.text(2), s.text(3), s.opt_text(4), s.text(5), s.integer(6), s.text(7)});
  return out;
}

std::vector<ReleaseRecord> ReportReader::releases(const std::string& case_id) {
  std::string sql =
      "SELECT x.id, x.document_seq, x.output_sha256, x.signer, x.released_by, x.output_name, x.released_at, x.audit_seq, "
      "coalesce(e.hash, '') FROM releases x LEFT JOIN audit_events e ON e.seq = x.audit_seq";
  if (!case_id.empty()) sql += " JOIN documents d ON d.seq = x.document_seq WHERE d.case_id=?";
  sql += " ORDER BY x.document_seq, x.id";
  Statement s(*m_impl->conn, sql);
  if (!case_id.empty()) s.bind(1, case_id);
  std::vector<ReleaseRecord> out;
  while (s.step())
    out.push_back(ReleaseRecord{s.integer(0), s.integer(1), s.text(2), s.text(3), s.text(4), s.opt_text(5), s.text(6),
                                s.integer(7), s.text(8)});
  return out;
}

std::vector<EventCount> ReportReader::event_counts() {
  Statement s(*m_impl->conn,
              "SELECT actor, role, action, count(*), min(at), max(at) FROM audit_events GROUP BY actor, role, action "
              "ORDER BY actor, role, action");
  std::vector<EventCount> out;
  while (s.step()) out.push_back(EventCount{s.text(0), s.text(1), s.text(2), s.integer(3), s.text(4), s.text(5)});
  return out;
}

std::string ReportReader::blob(const std::string& sha256) {
  Statement s(*m_impl->conn, "SELECT bytes FROM blobs WHERE sha256=?");
  s.bind(1, sha256);
  if (!s.step()) throw Error(ErrorCategory::store, sha256.substr(0, 12), "blob is missing from the store");
  std::string bytes = s.blob(0);
  if (crypto::sha256_hex(bytes) != sha256)
    throw Error(ErrorCategory::store, sha256.substr(0, 12), "stored bytes no longer match their SHA-256; the store was altered");
  return bytes;
}

}  // namespace declass::store
