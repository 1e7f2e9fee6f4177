// vikno user add: creates a staff account from the console (acts as "system" in the audit log).
#include <cstdio>

#include "app/app.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace vikno::cli {

void add_user_command(CLI::App& app, GlobalOptions& options) {
  struct Flags {
    std::string login;
    std::string name;
    std::string role = "administrator";
    std::vector<std::int64_t> centers;
    std::optional<std::string> password;
    std::optional<std::int64_t> provider;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* user = app.add_subcommand("user", "Manage staff accounts");
  user->require_subcommand(1);
  CLI::App* add = user->add_subcommand("add", "Create a staff account and print its password once");
  add->add_option("--login", flags->login, "login (a-z, 0-9, . _ -)")->required();
  add->add_option("--name", flags->name, "full name")->required();
  add->add_option("--role", flags->role,
                  "system_admin, regional_analyst, center_head, administrator (default) or provider_employee");
  add->add_option("--center", flags->centers, "a center the user acts in (repeat for several)");
  add->add_option("--password", flags->password, "password (default: generated and printed)");
  add->add_option("--provider", flags->provider, "a provider employee's provider (its id)");
  add->callback([&options, flags] {
    app::Config config = resolve_config(options);
    app::App vikno_app(std::move(config));
    auto role = auth::role_from_string(flags->role);
    if (!role) {
      std::fprintf(stderr, "vikno user add: unknown role '%s'\n", flags->role.c_str());
      throw CLI::RuntimeError(2);
    }
    auth::Principal system = auth::Principal::system();
    auto created = vikno_app.accounts().create_user(
        auth::Actor{system, "cli"},
        auth::NewUser{flags->login, flags->name, *role, flags->centers, flags->password, flags->provider});
    if (!created) {
      std::fprintf(stderr, "vikno user add: %s\n", created.error().message.c_str());
      throw CLI::RuntimeError(2);
    }
    std::printf("created user %lld (%s)\n", static_cast<long long>(created->user.id), created->user.login.c_str());
    if (!flags->password) {
      std::printf("password: %s\n", created->password.c_str());
    }
  });
}

} // namespace vikno::cli
