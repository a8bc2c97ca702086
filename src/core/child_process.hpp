// Internal to core: the two POSIX chores shared by the worker processes of isolate.cpp and
// parallel.cpp — writing a whole buffer to a pipe, and waiting for a child — both retrying on EINTR.
#pragma once
#include <sys/types.h>

#include <cstddef>

namespace declass::detail {

bool write_all(int fd, const char* data, std::size_t size);  // false on a write error
int wait_child(pid_t pid);                                   // the wait status, or -1 when it cannot be had

}  // namespace declass::detail
