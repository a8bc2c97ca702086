// Error mapping (see errors.hpp): declass::Error categories → HTTP statuses of docs/API.md.
#include "server/errors.hpp"

namespace declass::server {

namespace {
bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string located(const Error& e) { return e.where().empty() ? e.message() : e.where() + ": " + e.message(); }
}  // namespace

Json error_body(const std::string& code, const std::string& message) {
  return Json{{"error", {{"code", code}, {"message", message}}}};
}

HttpFailure map_error(const Error& e) {
  HttpFailure f;
  f.message = located(e);
  switch (e.category()) {
    case ErrorCategory::usage:
      f.status = 400;
      f.code = "bad_request";
      f.message_loggable = true;
      break;
    case ErrorCategory::workflow: {
      // One category in the library; the API tells permission refusals from state conflicts.
      const std::string& m = e.message();
      f.message_loggable = true;
      if (starts_with(m, "a user with role") || starts_with(m, "separation of duties") ||
          starts_with(m, "only a review authority") || starts_with(e.where(), "--as ")) {
        f.status = 403;
        f.code = "forbidden";
      } else if (starts_with(e.where(), "--action")) {
        f.status = 400;  // decision validation: exemption code, justification, referral agency
        f.code = "bad_request";
      } else {
        f.status = 409;
        f.code = "conflict";
      }
      break;
    }
    case ErrorCategory::policy:
      f.status = 409;
      f.code = "conflict";
      f.message_loggable = true;
      break;
    case ErrorCategory::store:
      f.message_loggable = true;
      if (e.message().find("busy") != std::string::npos || e.message().find("locked") != std::string::npos) {
        f.status = 409;
        f.code = "conflict";
      } else {
        f.status = 500;
        f.code = "internal";
        f.message = "the review store failed; see the server log";
      }
      break;
    case ErrorCategory::input:
      f.status = 400;
      f.code = "bad_request";
      break;
    case ErrorCategory::verification:
      f.status = 422;
      f.code = "verification_failed";
      break;
    case ErrorCategory::crypto:
      f.status = 500;
      f.code = "internal";
      f.message = "signing failed (" + e.where() + "); see the server log";
      f.message_loggable = true;
      break;
    case ErrorCategory::pdf:
    case ErrorCategory::internal:
    default:
      f.status = 500;
      f.code = "internal";
      f.message = "internal error (" + std::string(to_string(e.category())) + "); see the server log";
      break;
  }
  return f;
}

}  // namespace declass::server
