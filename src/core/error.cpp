// Error construction and category names (see error.hpp).
#include "core/error.hpp"

namespace declass {

const char* to_string(ErrorCategory c) {
  switch (c) {
    case ErrorCategory::usage: return "usage";
    case ErrorCategory::input: return "input";
    case ErrorCategory::policy: return "policy";
    case ErrorCategory::store: return "store";
    case ErrorCategory::workflow: return "workflow";
    case ErrorCategory::crypto: return "crypto";
    case ErrorCategory::pdf: return "pdf";
    case ErrorCategory::verification: return "verification";
    case ErrorCategory::internal: return "internal";
  }
  return "internal";
}

static std::string compose(const std::string& where, const std::string& message) {
  return where.empty() ? message : where + ": " + message;
}

Error::Error(ErrorCategory category, std::string where, std::string message)
    : std::runtime_error(compose(where, message)),
      m_category(category),
      m_where(std::move(where)),
      m_message(std::move(message)) {}

}  // namespace declass
