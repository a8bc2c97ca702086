// The declass store: one SQLite file (WAL, foreign keys on, numbered migrations in
// PRAGMA user_version, application_id marks it as ours) with repositories for users, cases,
// documents and their source bytes, decisions, approvals, releases, and the append-only,
// hash-chained audit trail. Writes happen inside transaction() (BEGIN IMMEDIATE + busy timeout),
// and every state change appends its audit event in that same transaction.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/records.hpp"

namespace declass::store {

inline constexpr int schema_version = 2;
inline constexpr std::int32_t application_id = 0x44434C53;  // "DCLS"

struct OpenOptions {
  bool create = false;        // create and initialise when missing (declass init)
  int busy_timeout_ms = 5000; // wait this long for another writer before a clear "busy" error
};

struct NewEvent {
  std::string actor;
  std::string role;
  std::string action;
  std::string case_id;
  std::string subject;
  Json payload = Json::object();
};

struct ChainReport {
  bool ok = true;
  std::int64_t events = 0;
  std::string head_hash;                  // hash of the last event (genesis when empty)
  std::optional<std::int64_t> broken_seq; // first broken link
  std::string problem;                    // one line, when !ok
};

class Store {
 public:
  // Opens (or with options.create, creates) the store at `path`. Throws Error(store) with a clear
  // message when the file is missing, not SQLite, not a declass store, from a newer schema, or corrupt.
  static std::unique_ptr<Store> open(const std::string& path, const Clock& clock, OpenOptions options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const;
  const Clock& clock() const { return m_clock; }
  int user_version();

  // Runs body inside BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows on any exception.
  void transaction(const std::function<void()>& body);
  bool in_transaction() const { return m_in_tx; }

  // Users
  void insert_user(const UserRecord& u);
  std::optional<UserRecord> find_user(const std::string& name);
  std::vector<UserRecord> list_users();

  // API tokens (`declass serve`): only the SHA-256 of a token is stored. revoke_api_token sets
  // revoked_at once; false when the token does not exist or was already revoked.
  std::int64_t insert_api_token(const ApiTokenRecord& t);
  std::optional<ApiTokenRecord> find_api_token_by_hash(const std::string& token_sha256);
  std::optional<ApiTokenRecord> find_api_token(std::int64_t id);
  std::vector<ApiTokenRecord> list_api_tokens(const std::string& user = "");
  bool revoke_api_token(std::int64_t id, const std::string& revoked_at);

  // Content-addressed blobs (document sources, policy texts). Returns the SHA-256.
  std::string put_blob(const std::string& bytes);
  std::optional<std::string> get_blob(const std::string& sha256);

  // Cases
  void insert_case(const CaseRecord& c);
  std::optional<CaseRecord> find_case(const std::string& id);
  std::vector<CaseRecord> list_cases();
  void update_case_status(const std::string& id, const std::string& status);

  // Documents: insert assigns seq and id "D<seq>".
  DocumentRecord insert_document(DocumentRecord d, const std::vector<ParagraphRecord>& paragraphs);
  // key: a document id ("D3") or a doc number (unique across cases, else refused as ambiguous).
  std::optional<DocumentRecord> find_document(const std::string& key);
  std::optional<DocumentRecord> find_document_seq(std::int64_t seq);
  std::vector<DocumentRecord> list_documents(const std::string& case_id);
  void update_document_status(std::int64_t seq, const std::string& status);
  std::vector<ParagraphRecord> list_paragraphs(std::int64_t document_seq);

  // Decisions, approvals, releases (each must reference its audit event).
  std::int64_t insert_decision(const DecisionRecord& d);
  std::vector<DecisionRecord> list_decisions(std::int64_t document_seq);
  std::int64_t count_decisions();
  std::int64_t insert_approval(const ApprovalRecord& a);
  std::vector<ApprovalRecord> list_approvals(std::int64_t document_seq);
  std::int64_t insert_release(const ReleaseRecord& r);
  std::vector<ReleaseRecord> list_releases(std::int64_t document_seq);

  // Audit trail. append_event must run inside transaction(); time comes from the injected clock.
  AuditEvent append_event(const NewEvent& e);
  std::vector<AuditEvent> list_events(const std::string& case_id = "");
  std::optional<AuditEvent> find_event(std::int64_t seq);
  // Recomputes the whole chain (hashes, links, the head recorded in meta) and checks that every
  // decision, approval and release row still matches the payload of its audit event.
  ChainReport verify_chain();
  // SQLite's own PRAGMA quick_check: "ok" or the first problems.
  std::string quick_check();

 private:
  struct Impl;
  Store(std::unique_ptr<Impl> impl, const Clock& clock);
  void require_tx(const char* what) const;
  std::unique_ptr<Impl> m_impl;
  const Clock& m_clock;
  bool m_in_tx = false;
};

}  // namespace declass::store
