// File input/output with clear errors: what failed, which path, how to fix it.
// write_file_atomic writes to a temporary file and renames it, so no partial output remains.
#pragma once
#include <cstddef>
#include <string>

namespace declass::io {

inline constexpr std::size_t max_text_input = 50u * 1024u * 1024u;  // 50 MiB

std::string read_file(const std::string& path, std::size_t max_bytes = max_text_input);  // throws Error(input)
void write_file_atomic(const std::string& path, const std::string& data);               // throws Error(input)

}  // namespace declass::io
