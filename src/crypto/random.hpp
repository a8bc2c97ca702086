// Cryptographically secure random bytes (OpenSSL RAND_bytes) and a constant-time comparison,
// for secrets such as API tokens. Throws Error(crypto) when the random generator fails.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace declass::crypto {

std::string random_bytes(std::size_t n);
// base64url without padding (RFC 4648 §5), e.g. for tokens in HTTP headers.
std::string base64url(std::string_view bytes);
// True when a and b are equal; the time taken depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace declass::crypto
