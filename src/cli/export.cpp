// vikno export cpsv|json|csv and vikno import FILE: the registry's exchange formats
// (registry/exchange.hpp) from the console, on the configured database.
#include <cstdio>
#include <fstream>
#include <iterator>

#include "app/app.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "registry/exchange.hpp"

namespace vikno::cli {

namespace {

registry::CsvTable table_of(const std::string& name) {
  return name == "centers" ? registry::CsvTable::centers : registry::CsvTable::services;
}

} // namespace

void add_export_command(CLI::App& app, GlobalOptions& options) {
  struct Flags {
    std::string what;
    std::string table = "services";
    std::string base = "http://localhost:8080";
    std::string out;
    std::string file;
    std::string format;
  };
  auto flags = std::make_shared<Flags>();

  CLI::App* exp =
      app.add_subcommand("export", "Export the registry: cpsv (CPSV-AP 3.2.0 JSON-LD), json (bundle) or csv");
  exp->add_option("what", flags->what, "cpsv, json or csv")->required()->check(CLI::IsMember({"cpsv", "json", "csv"}));
  exp->add_option("--table", flags->table, "csv: services (default) or centers")
      ->check(CLI::IsMember({"services", "centers"}));
  exp->add_option("--base", flags->base, "cpsv: the URL prefix of every @id (default http://localhost:8080)");
  exp->add_option("-o,--output", flags->out, "write to this file instead of standard output");
  exp->callback([&options, flags] {
    app::Config config = resolve_config(options);
    config.load_demo = false;
    app::App vikno_app(config);
    std::string text;
    if (flags->what == "cpsv") {
      text = boost::json::serialize(registry::export_cpsv(vikno_app.registry(), flags->base)) + "\n";
    } else if (flags->what == "json") {
      text = boost::json::serialize(registry::export_json(vikno_app.registry())) + "\n";
    } else {
      text = registry::export_csv(vikno_app.registry(), table_of(flags->table));
    }
    if (flags->out.empty()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      return;
    }
    std::ofstream file(flags->out, std::ios::binary);
    file << text;
    if (!file) {
      std::fprintf(stderr, "vikno export: cannot write %s\n", flags->out.c_str());
      throw CLI::RuntimeError(1);
    }
  });

  CLI::App* imp = app.add_subcommand("import", "Import centers and the catalog from a JSON bundle or a CSV table; "
                                               "a file with any problem writes nothing");
  imp->add_option("file", flags->file, "the file")->required()->check(CLI::ExistingFile);
  imp->add_option("--format", flags->format, "json or csv (default: from the file name)");
  imp->add_option("--table", flags->table, "csv: services (default) or centers")
      ->check(CLI::IsMember({"services", "centers"}));
  imp->callback([&options, flags] {
    app::Config config = resolve_config(options);
    app::App vikno_app(config);
    std::ifstream in(flags->file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool csv = flags->format == "csv" || (flags->format.empty() && flags->file.ends_with(".csv"));
    auth::Principal system = auth::Principal::system();
    auth::Actor actor{system, "cli"};
    auto report = csv ? registry::import_csv(vikno_app.registry(), actor, table_of(flags->table), text)
                      : registry::import_json(vikno_app.registry(), actor, text);
    if (!report) {
      std::fprintf(stderr, "vikno import: %s\n", report.error().message.c_str());
      for (const auto& p : report.error().problems) {
        std::fprintf(stderr, "  %s%s%s\n", p.line > 0 ? ("line " + std::to_string(p.line) + ": ").c_str() : "",
                     p.field.empty() ? "" : (p.field + ": ").c_str(), p.problem.c_str());
      }
      throw CLI::RuntimeError(1);
    }
    std::printf("created %d, updated %d, unchanged %d\n", report->created, report->updated, report->unchanged);
  });
}

} // namespace vikno::cli
