// `declass serve`: the CLI command that configures and runs the HTTP API (server.hpp) until SIGINT/SIGTERM.
// Registered by main.cpp through app::run_cli's extra registrations, so the app module does not depend on this one.
#pragma once
#include "app/cli.hpp"

namespace declass::server {

void register_serve(CLI::App& root, app::Dispatch& d);

}  // namespace declass::server
