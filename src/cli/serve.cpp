// vikno serve: runs the HTTP server on the configured database.
#include <exception>

#include "app/app.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/log.hpp"
#include "common/time.hpp"

namespace vikno::cli {

void add_serve_command(CLI::App& app, GlobalOptions& options) {
  struct Flags {
    std::optional<std::string> listen;
    std::optional<int> port;
    std::optional<std::string> static_dir;
    std::optional<std::string> synchronous;
    std::optional<int> workers;
    std::optional<bool> access_log;
    std::optional<std::string> clock_offset;
    bool test_clock = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the API and the web pages (default http://127.0.0.1:8080)");
  cmd->add_option("--listen", flags->listen, "address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", flags->port, "port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--static-dir", flags->static_dir, "folder of the built web front end (default web/dist)");
  cmd->add_option("--synchronous", flags->synchronous, "SQLite synchronous mode: FULL (default) or NORMAL")
      ->check(CLI::IsMember({"FULL", "NORMAL"}));
  cmd->add_option("--workers", flags->workers, "threads that run request handlers (default 8)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--access-log", flags->access_log, "print one JSON line per request (default true)");
  cmd->add_option("--clock-offset", flags->clock_offset,
                  "for tests: run the server's clock this far ahead (90s, 1h30m) or behind (-3h) of the real time");
  cmd->add_flag("--test-clock", flags->test_clock,
                "for tests only: let a system admin move the server's clock on (POST /api/v1/test/clock)");
  cmd->callback([&options, flags] {
    app::Config config = resolve_config(options);
    if (flags->listen) {
      config.server.address = *flags->listen;
    }
    if (flags->port) {
      config.server.port = static_cast<unsigned short>(*flags->port);
    }
    if (flags->static_dir) {
      config.static_dir = *flags->static_dir;
    }
    if (flags->synchronous) {
      config.sqlite_synchronous = *flags->synchronous;
    }
    if (flags->workers) {
      config.server.worker_threads = *flags->workers;
    }
    if (flags->access_log) {
      config.server.access_log = *flags->access_log;
    }
    if (flags->clock_offset) {
      auto offset = parse_duration(*flags->clock_offset);
      if (!offset) {
        std::fprintf(stderr, "vikno: --clock-offset: %s\n", offset.error().message.c_str());
        throw CLI::RuntimeError(2);
      }
      config.clock_offset_ms = *offset;
    }
    config.test_clock = flags->test_clock;
    // A server whose clock is not the real time must say so where its operator looks first.
    if (config.clock_offset_ms != 0) {
      log::warn("the clock is shifted from the real time (for tests)", {{"offset_ms", config.clock_offset_ms}});
    }
    if (config.test_clock) {
      log::warn("test clock on: a system admin can move the server's clock (POST /api/v1/test/clock); never use "
                "--test-clock in production");
    }
    int code = 0;
    try {
      app::App vikno_app(std::move(config));
      code = vikno_app.serve();
    } catch (const std::exception& e) {
      // A server's failure to start (database unreachable, port taken) is a log line like the others.
      log::error("could not serve", {{"what", e.what()}});
      code = 1;
    }
    if (code != 0) {
      throw CLI::RuntimeError(code);
    }
  });
}

} // namespace vikno::cli
