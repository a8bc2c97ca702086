// Diagnostics collector (see diagnostics.hpp).
#include "core/diagnostics.hpp"

namespace declass {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::string Diagnostic::str() const {
  std::string out;
  if (!where.empty()) out += where + ": ";
  out += to_string(severity);
  out += ": " + message;
  if (!code.empty()) out += " [" + code + "]";
  return out;
}

void Diagnostics::add(Severity s, std::string code, std::string where, std::string message) {
  m_items.push_back(Diagnostic{s, std::move(code), std::move(where), std::move(message)});
}

bool Diagnostics::has_errors() const {
  for (const auto& d : m_items)
    if (d.severity == Severity::error) return true;
  return false;
}

void Diagnostics::append(const Diagnostics& other) {
  m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

}  // namespace declass
