// Injectable time source. SOURCE_DATE_EPOCH (seconds since 1970, UTC) pins "now" so that
// the same inputs give byte-identical output; tests inject a FixedClock.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "core/date.hpp"

namespace declass {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_unix() const = 0;  // seconds since 1970-01-01T00:00:00Z
  Date today() const;                          // UTC date of now_unix()
  std::string now_iso() const;                 // "YYYY-MM-DDTHH:MM:SSZ"
};

class SystemClock : public Clock {  // honours SOURCE_DATE_EPOCH when set
 public:
  std::int64_t now_unix() const override;
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(std::int64_t t) : m_t(t) {}
  std::int64_t now_unix() const override { return m_t; }
  void set(std::int64_t t) { m_t = t; }

 private:
  std::int64_t m_t;
};

std::string format_iso_utc(std::int64_t unix_seconds);

}  // namespace declass
