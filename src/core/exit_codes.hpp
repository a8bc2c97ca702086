// Process exit codes: the single source of truth, documented in README.md.
// Every command maps its outcome to one of these; nothing else is returned.
#pragma once
#include "core/error.hpp"

namespace declass::exit_code {
inline constexpr int ok = 0;             // success, nothing to report
inline constexpr int usage = 1;          // bad command line
inline constexpr int error = 2;          // an error: bad input, store problem, refused operation
inline constexpr int needs_review = 3;   // completed, with error-severity findings / items needing review
inline constexpr int verify_failed = 4;  // a verification failed (signature, audit chain, leak check)

inline int for_error(const Error& e) {
  switch (e.category()) {
    case ErrorCategory::usage: return usage;
    case ErrorCategory::verification: return verify_failed;
    default: return error;
  }
}
}  // namespace declass::exit_code
