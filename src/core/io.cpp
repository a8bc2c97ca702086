// File reading and atomic writing (see io.hpp).
#include "core/io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "core/error.hpp"

namespace declass::io {

std::string read_file(const std::string& path, std::size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw Error(ErrorCategory::input, path, std::string("cannot open: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    throw Error(ErrorCategory::input, path, "is a directory; give a file (or use a glob such as DIR/*.txt)");
  if (!S_ISREG(st.st_mode)) throw Error(ErrorCategory::input, path, "is not a regular file");
  if (static_cast<std::size_t>(st.st_size) > max_bytes)
    throw Error(ErrorCategory::input, path,
                "file is " + std::to_string(st.st_size) + " bytes, over the limit of " + std::to_string(max_bytes) +
                    " bytes; split the record or check that this is the right file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::input, path, std::string("cannot open: ") + std::strerror(errno));
  std::string data(static_cast<std::size_t>(st.st_size), '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (in.gcount() != static_cast<std::streamsize>(data.size()))
    throw Error(ErrorCategory::input, path, "short read");
  return data;
}

void write_file_atomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp-declass";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorCategory::input, path, std::string("cannot write: ") + std::strerror(errno));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(ErrorCategory::input, path, "write failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(ErrorCategory::input, path, "cannot rename temporary file: " + ec.message());
  }
}

}  // namespace declass::io
