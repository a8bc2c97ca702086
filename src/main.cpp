// declass command-line entry point: everything happens in app::run_cli, which parses the
// arguments, calls the library and maps errors to the exit codes of core/exit_codes.hpp.
// `declass serve` lives in the server module (layered above app) and is registered here.
// Before that: allocator settings, and the fork server of the isolated PDF workers, started small.
#include <malloc.h>

#include "app/cli.hpp"
#include "core/isolate.hpp"
#include "server/cmd_serve.hpp"

int main(int argc, char** argv) {
  // Documents are read one after another into blocks of similar sizes: keep freed blocks up to
  // 32 MiB for reuse (glibc would unmap them and fault the pages in afresh for the next document),
  // and give memory back to the system only when over 128 MiB lies free at the top of the heap.
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 128 << 20);
  declass::start_isolation_server();
  return declass::app::run_cli(argc, argv, {declass::server::register_serve});
}
