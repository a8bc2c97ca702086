// JSON type used across declass: nlohmann::ordered_json keeps key order as written,
// so machine output is stable and readable. Helpers for optional values.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace declass {
using Json = nlohmann::ordered_json;

template <class T>
Json json_or_null(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}
}  // namespace declass
