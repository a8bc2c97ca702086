// Date arithmetic (days-from-civil algorithm) and US federal holidays (see date.hpp).
#include "core/date.hpp"

#include <cstdio>

namespace declass {

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool Date::valid(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<Date> Date::parse_iso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](size_t pos, size_t len) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || m < 0 || d < 0 || !valid(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

std::int64_t Date::days() const {
  // Howard Hinnant's days_from_civil.
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date Date::from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::us() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", month, day, year);
  return buf;
}

int Date::weekday() const {
  std::int64_t z = days();
  return static_cast<int>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

Date Date::add_years(int n) const {
  int y = year + n;
  int d = day;
  if (month == 2 && d == 29 && !is_leap(y)) d = 28;
  return Date{y, month, d};
}

// The nth given weekday (0=Sun) of a month; n = -1 means the last one.
static Date nth_weekday(int year, int month, int weekday, int n) {
  if (n > 0) {
    Date first{year, month, 1};
    int delta = (weekday - first.weekday() + 7) % 7;
    return first.add_days(delta + 7 * (n - 1));
  }
  Date last{year, month, days_in_month(year, month)};
  int delta = (last.weekday() - weekday + 7) % 7;
  return last.add_days(-delta);
}

// A fixed-date holiday moves to Friday when on Saturday and to Monday when on Sunday.
static Date observed(Date d) {
  int wd = d.weekday();
  if (wd == 6) return d.add_days(-1);
  if (wd == 0) return d.add_days(1);
  return d;
}

bool is_us_federal_holiday(const Date& d) {
  const int y = d.year;
  // New Year's Day of the next year can be observed on Dec 31 of this year.
  if (observed(Date{y + 1, 1, 1}) == d) return true;
  if (observed(Date{y, 1, 1}) == d) return true;
  if (nth_weekday(y, 1, 1, 3) == d) return true;                       // MLK Day
  if (nth_weekday(y, 2, 1, 3) == d) return true;                       // Washington's Birthday
  if (nth_weekday(y, 5, 1, -1) == d) return true;                      // Memorial Day
  if (y >= 2021 && observed(Date{y, 6, 19}) == d) return true;         // Juneteenth
  if (observed(Date{y, 7, 4}) == d) return true;                       // Independence Day
  if (nth_weekday(y, 9, 1, 1) == d) return true;                       // Labor Day
  if (nth_weekday(y, 10, 1, 2) == d) return true;                      // Columbus Day
  if (observed(Date{y, 11, 11}) == d) return true;                     // Veterans Day
  if (nth_weekday(y, 11, 4, 4) == d) return true;                      // Thanksgiving
  if (observed(Date{y, 12, 25}) == d) return true;                     // Christmas
  return false;
}

Date add_working_days(const Date& start, int n) {
  Date d = start;
  while (n > 0) {
    d = d.add_days(1);
    int wd = d.weekday();
    if (wd == 0 || wd == 6 || is_us_federal_holiday(d)) continue;
    --n;
  }
  return d;
}

}  // namespace declass
