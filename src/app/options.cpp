// Option value helpers (see options.hpp).
#include "app/options.hpp"

#include "core/error.hpp"

namespace declass::app {

Date parse_review_date(const std::string& value, const Clock& clock, const char* option) {
  if (value.empty()) return clock.today();
  auto d = Date::parse_iso(value);
  if (!d)
    throw Error(ErrorCategory::usage, option, "'" + value + "' is not a valid date; use YYYY-MM-DD, e.g. 2026-11-28");
  return *d;
}

}  // namespace declass::app
