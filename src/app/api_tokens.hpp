// API tokens for `declass serve`: creation ("dcl_" + 32 random bytes in base64url, shown once; only
// its SHA-256 is stored), revocation and lookup of the user a bearer token stands for. Each change
// writes its audit event ("user.token", "user.token.revoke", never the token) in the same transaction.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace declass::app {

struct NewApiToken {
  std::string token;  // the secret: print it once, never store or log it
  store::ApiTokenRecord record;
};

// actor empty = the local operator (like bootstrapping users); otherwise an admin. expires_days:
// 1..3650, none = no expiry. Error(workflow) for an unknown user or a non-admin actor.
NewApiToken create_api_token(store::Store& s, const std::string& user, const std::string& label,
                             std::optional<int> expires_days, const std::string& actor);
// Revokes token `id` of `user`. Error(usage) when there is no such token of that user or it is already revoked.
store::ApiTokenRecord revoke_api_token(store::Store& s, const std::string& user, std::int64_t id, const std::string& actor);

// The user of a bearer token; none when it is malformed, unknown, revoked or expired (now from the store's clock).
std::optional<store::UserRecord> user_for_token(store::Store& s, const std::string& token);

// "dcl_" followed by 43 base64url characters.
bool looks_like_api_token(const std::string& token);

}  // namespace declass::app
