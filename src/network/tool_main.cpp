// A stand-alone `network` runner while src/cli/main.cpp is being written; the same subcommands
// will live in the `vikno` binary.
#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Vikno network planning (stand-alone tool)"};
  app.require_subcommand(1);
  vikno::cli::add_network_command(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
