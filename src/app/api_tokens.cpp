// API tokens (see api_tokens.hpp).
#include "app/api_tokens.hpp"

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace declass::app {

namespace {

constexpr const char* token_prefix = "dcl_";
constexpr std::size_t token_random_bytes = 32;
constexpr std::size_t token_length = 4 + 43;

struct Actor {
  std::string name = "(local)";
  std::string role = "operator";
};

Actor resolve_actor(store::Store& s, const std::string& actor, const char* what) {
  Actor a;
  if (actor.empty()) return a;
  auto u = s.find_user(actor);
  if (!u) throw Error(ErrorCategory::workflow, "--as " + actor, "unknown user; add it first with 'declass user add " + actor + " --role admin'");
  if (u->role != "admin")
    throw Error(ErrorCategory::workflow, u->name, "a user with role " + u->role + " cannot " + what + " (requires admin)");
  a.name = u->name;
  a.role = u->role;
  return a;
}

Json json_or_null(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

bool looks_like_api_token(const std::string& token) {
  if (token.size() != token_length || token.compare(0, 4, token_prefix) != 0) return false;
  for (std::size_t i = 4; i < token.size(); ++i) {
    char ch = token[i];
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

NewApiToken create_api_token(store::Store& s, const std::string& user, const std::string& label,
                             std::optional<int> expires_days, const std::string& actor) {
  if (expires_days && (*expires_days < 1 || *expires_days > 3650))
    throw Error(ErrorCategory::usage, "--expires-days " + std::to_string(*expires_days), "give 1 to 3650 days (or omit it: no expiry)");
  if (label.size() > 200) throw Error(ErrorCategory::usage, "--label", "the label is longer than 200 characters; shorten it");
  NewApiToken out;
  out.token = token_prefix + crypto::base64url(crypto::random_bytes(token_random_bytes));
  auto& r = out.record;
  r.user = user;
  r.token_sha256 = crypto::sha256_hex(out.token);
  r.label = label;
  r.created_at = s.clock().now_iso();
  if (expires_days) r.expires_at = format_iso_utc(s.clock().now_unix() + std::int64_t{*expires_days} * 86400);
  s.transaction([&] {
    Actor a = resolve_actor(s, actor, "create API tokens");
    auto u = s.find_user(user);
    if (!u) throw Error(ErrorCategory::workflow, user, "unknown user; add it first with 'declass user add " + user + " --role ROLE'");
    r.id = s.insert_api_token(r);
    s.append_event({a.name, a.role, "user.token", "", "user:" + user,
                    Json{{"user", user}, {"token_id", r.id}, {"label", label}, {"expires_at", json_or_null(r.expires_at)}}});
  });
  return out;
}

store::ApiTokenRecord revoke_api_token(store::Store& s, const std::string& user, std::int64_t id, const std::string& actor) {
  store::ApiTokenRecord r;
  s.transaction([&] {
    Actor a = resolve_actor(s, actor, "revoke API tokens");
    auto t = s.find_api_token(id);
    if (!t || t->user != user)
      throw Error(ErrorCategory::usage, "--revoke " + std::to_string(id),
                  "user " + user + " has no API token with this id; list them with 'declass user token " + user + " --list'");
    if (t->revoked_at) throw Error(ErrorCategory::usage, "--revoke " + std::to_string(id), "the token was already revoked at " + *t->revoked_at);
    std::string at = s.clock().now_iso();
    s.revoke_api_token(id, at);
    t->revoked_at = at;
    r = *t;
    s.append_event({a.name, a.role, "user.token.revoke", "", "user:" + user, Json{{"user", user}, {"token_id", id}}});
  });
  return r;
}

std::optional<store::UserRecord> user_for_token(store::Store& s, const std::string& token) {
  if (!looks_like_api_token(token)) return std::nullopt;
  std::string hash = crypto::sha256_hex(token);
  auto t = s.find_api_token_by_hash(hash);
  // The lookup is by hash (an index); the comparison repeats it in constant time.
  if (!t || !crypto::constant_time_equal(t->token_sha256, hash)) return std::nullopt;
  if (t->revoked_at) return std::nullopt;
  if (t->expires_at && s.clock().now_iso() >= *t->expires_at) return std::nullopt;
  return s.find_user(t->user);
}

}  // namespace declass::app
