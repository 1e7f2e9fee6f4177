// Options shared by every subcommand that touches the database: --config and --db, resolved with
// the same precedence as `vikno serve` (file < environment < flag).
#pragma once

#include <optional>
#include <string>

#include "app/config.hpp"

namespace vikno::cli {

struct GlobalOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db_url;
};

// Loads the config and applies --db; on a bad config prints the problem and throws
// CLI::RuntimeError(2).
app::Config resolve_config(const GlobalOptions& options);

} // namespace vikno::cli
