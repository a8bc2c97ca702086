// Internal to the server module: HTTP status and JSON code for a declass::Error (docs/API.md "Errors"),
// and the JSON error body. Library refusals keep their messages; internal failures get a generic one.
#pragma once
#include <string>

#include "core/error.hpp"
#include "core/json.hpp"

namespace declass::server {

struct HttpFailure {
  int status = 500;
  std::string code = "internal";
  std::string message;        // for the client
  bool message_loggable = false;  // false: the message may quote document text; log only category and where
};

HttpFailure map_error(const Error& e);
Json error_body(const std::string& code, const std::string& message);

}  // namespace declass::server
