// vikno cases anonymize: replaces the personal data of applications older than the retention
// period (cases.retention_years, or --before DATE) by an empty record; the cases, their dates and
// moves stay for the reports. The server does the same once a day.
#include <cstdio>

#include "app/app.hpp"
#include "calendar/calendar.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace vikno::cli {

void add_cases_command(CLI::App& app, GlobalOptions& options) {
  auto before = std::make_shared<std::string>();
  CLI::App* cases = app.add_subcommand("cases", "Applications and cases");
  cases->require_subcommand(1);
  CLI::App* anonymize =
      cases->add_subcommand("anonymize", "Anonymize applicants registered before the retention period (or --before)");
  anonymize->add_option("--before", *before, "YYYY-MM-DD: applications registered before this day (UTC midnight)");
  anonymize->callback([&options, before] {
    std::optional<Millis> cutoff;
    if (!before->empty()) {
      auto day = calendar::parse_iso_date(*before, "--before");
      if (!day) {
        std::fprintf(stderr, "vikno cases anonymize: %s\n", day.error().message.c_str());
        throw CLI::RuntimeError(2);
      }
      cutoff =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days(*day).time_since_epoch()).count();
    }
    app::Config config = resolve_config(options);
    config.load_demo = false;
    app::App vikno_app(std::move(config));
    int n = vikno_app.cases().anonymize(cutoff);
    std::printf("знеособлено заяв / applications anonymized: %d\n", n);
  });
}

} // namespace vikno::cli
