// Small helpers for option values shared by several commands (review dates, passphrase sources).
#pragma once
#include <string>

#include "core/clock.hpp"
#include "core/date.hpp"

namespace declass::app {

// "" → today per the clock; otherwise strict YYYY-MM-DD, else Error(usage) naming the option.
Date parse_review_date(const std::string& value, const Clock& clock, const char* option = "--review-date");

}  // namespace declass::app
