// Canonical encoding and hashing of audit events: the tamper-evident chain of the store.
//
// Encoding "declass-audit/2" (the bytes that are hashed), fields in this fixed order:
//   "declass-audit/2\n"
//   then for each field  seq, at, actor, role, action, case, subject, payload_sha256, prev
//   the line  NAME "=" LEN ":" VALUE "\n"
// where NAME is the field name above, LEN is the decimal byte length of VALUE (no sign, no leading
// zeros), VALUE is the raw UTF-8 bytes of the field (seq in decimal; case is "" when the event is
// not about a case; payload_sha256 is the lowercase hex SHA-256 of the compact JSON payload text
// exactly as stored — the chain commits to payloads by hash, so an excerpt can be verified offline
// without the payload, which may quote withheld text (justifications); prev is the previous
// event's hash, or 64 '0' characters for the first event). Length prefixes make the encoding
// injective, so no two different events share bytes.
// hash = lowercase hex SHA-256 of those bytes. Event seq numbers start at 1 and have no gaps.
#pragma once
#include <string>

#include "store/records.hpp"

namespace declass::store {

inline constexpr const char* genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";

std::string canonical_event_bytes(const AuditEvent& e);  // uses every field except e.hash
std::string event_hash(const AuditEvent& e);              // sha256_hex(canonical_event_bytes(e))

}  // namespace declass::store
