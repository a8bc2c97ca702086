// System and fixed clocks (see clock.hpp).
#include "core/clock.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace declass {

Date Clock::today() const {
  std::int64_t t = now_unix();
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  return Date::from_days(days);
}

std::string format_iso_utc(std::int64_t t) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t secs = t - days * 86400;
  Date d = Date::from_days(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", d.iso().c_str(), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

std::string Clock::now_iso() const { return format_iso_utc(now_unix()); }

std::int64_t SystemClock::now_unix() const {
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long v = std::strtoll(sde, &end, 10);
    if (end && *end == '\0' && end != sde) return v;
  }
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace declass
