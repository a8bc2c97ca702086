// The one exception type that aborts an operation: a category, a location and a message.
// Thrown anywhere, caught only at boundaries (main, HTTP handler, per-document batch loop),
// where exit_code_for() maps it to a documented process exit code.
#pragma once
#include <stdexcept>
#include <string>

namespace declass {

enum class ErrorCategory {
  usage,         // bad command line
  input,         // unreadable or invalid input file
  policy,        // policy file invalid
  store,         // database problem
  workflow,      // illegal transition, permission or separation-of-duties refusal
  crypto,        // keys, certificates, signatures
  pdf,           // PDF reading/writing
  verification,  // a verification failed (signature, leak check, audit chain)
  internal       // a bug
};

const char* to_string(ErrorCategory c);

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, std::string where, std::string message);
  ErrorCategory category() const { return m_category; }
  const std::string& where() const { return m_where; }
  const std::string& message() const { return m_message; }

 private:
  ErrorCategory m_category;
  std::string m_where;
  std::string m_message;
};

}  // namespace declass
