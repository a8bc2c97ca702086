// Unit tests for core dates: ISO parsing, day arithmetic, federal holidays, working days.
#include <catch2/catch.hpp>

#include "core/date.hpp"

using declass::Date;

TEST_CASE("ISO dates parse and validate", "[core][date]") {
  REQUIRE(Date::parse_iso("2008-12-18") == Date{2008, 12, 18});
  REQUIRE_FALSE(Date::parse_iso("2008-02-30"));
  REQUIRE_FALSE(Date::parse_iso("2008-1-3"));
  REQUIRE_FALSE(Date::parse_iso("abcd-ef-gh"));
  REQUIRE(Date::parse_iso("2024-02-29"));
  REQUIRE_FALSE(Date::parse_iso("2023-02-29"));
}

TEST_CASE("day arithmetic round-trips", "[core][date]") {
  REQUIRE(Date{1970, 1, 1}.days() == 0);
  REQUIRE(Date{2026, 11, 28}.days() == 20785);
  for (std::int64_t d = -1000; d < 40000; d += 37) REQUIRE(Date::from_days(d).days() == d);
  REQUIRE(Date{2026, 11, 28}.weekday() == 6);  // a Saturday
  REQUIRE(Date{2024, 2, 29}.add_years(1) == Date{2025, 2, 28});
  REQUIRE(Date{2008, 12, 18}.us() == "12/18/2008");
}

TEST_CASE("US federal holidays and working days", "[core][date]") {
  REQUIRE(declass::is_us_federal_holiday(Date{2026, 11, 26}));   // Thanksgiving 2026
  REQUIRE(declass::is_us_federal_holiday(Date{2026, 7, 3}));     // July 4 2026 is a Saturday
  REQUIRE(declass::is_us_federal_holiday(Date{2027, 12, 31}));   // Jan 1 2028 is a Saturday
  REQUIRE(declass::is_us_federal_holiday(Date{2026, 6, 19}));
  REQUIRE_FALSE(declass::is_us_federal_holiday(Date{2026, 11, 27}));
  // Received Monday 2026-11-23: 20 working days skipping Thanksgiving (11-26) and weekends.
  REQUIRE(declass::add_working_days(Date{2026, 11, 23}, 20) == Date{2026, 12, 22});
  // Received 2026-12-21: skips Dec 25 and Jan 1 → 2027-01-21 with MLK Day (01-18) skipped too.
  REQUIRE(declass::add_working_days(Date{2026, 12, 21}, 20) == Date{2027, 1, 21});
}
