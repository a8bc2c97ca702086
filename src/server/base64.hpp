// Internal to the server module: strict standard base64 decoding (RFC 4648 §4; whitespace between
// groups allowed, padding required) for uploaded documents and PEM certificates.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace declass::server {

// None when `text` is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);
// DER bytes of the first "-----BEGIN CERTIFICATE-----" block of a PEM text; none when there is none.
std::optional<std::string> pem_certificate_der(std::string_view pem);

}  // namespace declass::server
