// Civil calendar dates (proleptic Gregorian) without time zones: parsing of ISO dates,
// day arithmetic, and US federal working days (weekends and federal holidays skipped).
// Used for declassify-on dates, review dates, document age and FOIA due dates.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace declass {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  static std::optional<Date> parse_iso(std::string_view s);  // "YYYY-MM-DD" only, validated
  static Date from_days(std::int64_t days);                   // days since 1970-01-01
  static bool valid(int y, int m, int d);

  std::int64_t days() const;     // days since 1970-01-01
  std::string iso() const;       // "YYYY-MM-DD"
  std::string us() const;        // "MM/DD/YYYY"
  int weekday() const;           // 0 = Sunday .. 6 = Saturday
  Date add_days(std::int64_t n) const { return from_days(days() + n); }
  Date add_years(int n) const;   // Feb 29 → Feb 28 when needed

  auto operator<=>(const Date&) const = default;
};

bool is_us_federal_holiday(const Date& d);       // observed dates (5 U.S.C. 6103)
Date add_working_days(const Date& start, int n);  // n working days after start

}  // namespace declass
