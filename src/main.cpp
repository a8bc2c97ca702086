// declass command-line entry point: everything happens in app::run_cli, which parses the
// arguments, calls the library and maps errors to the exit codes of core/exit_codes.hpp.
// `declass serve` lives in the server module (layered above app) and is registered here.
#include "app/cli.hpp"
#include "server/cmd_serve.hpp"

int main(int argc, char** argv) { return declass::app::run_cli(argc, argv, {declass::server::register_serve}); }
