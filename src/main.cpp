// declass command-line entry point: everything happens in app::run_cli, which parses the
// arguments, calls the library and maps errors to the exit codes of core/exit_codes.hpp.
#include "app/cli.hpp"

int main(int argc, char** argv) { return declass::app::run_cli(argc, argv); }
