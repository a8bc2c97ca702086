// Collector for recoverable findings, so an operation can report all problems at once
// (a policy file lists every error with file:line:col; a document every finding with paragraph/line).
#pragma once
#include <string>
#include <vector>

namespace declass {

enum class Severity { info, warning, error };
const char* to_string(Severity s);

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;      // stable id, e.g. "policy.unknown-key"
  std::string where;     // "file:line:col" or "paragraph 3, line 41"
  std::string message;   // what is wrong and how to fix it
  std::string str() const;  // "where: severity: message [code]"
};

class Diagnostics {
 public:
  void add(Severity s, std::string code, std::string where, std::string message);
  void error(std::string code, std::string where, std::string message) {
    add(Severity::error, std::move(code), std::move(where), std::move(message));
  }
  void warning(std::string code, std::string where, std::string message) {
    add(Severity::warning, std::move(code), std::move(where), std::move(message));
  }
  const std::vector<Diagnostic>& items() const { return m_items; }
  bool has_errors() const;
  bool empty() const { return m_items.empty(); }
  void append(const Diagnostics& other);

 private:
  std::vector<Diagnostic> m_items;
};

}  // namespace declass
