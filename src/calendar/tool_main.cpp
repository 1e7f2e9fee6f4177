// Stand-alone runner of the `calendar` subcommand until it is wired into `vikno` (cli/main.cpp).
#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"vikno calendar tool"};
  app.require_subcommand(1);
  vikno::cli::add_calendar_command(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
