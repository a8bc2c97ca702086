// `declass user add NAME --role R [--cert PEM] [--as ADMIN]` and `declass user list`: the people
// who review (reviewer), approve and sign (authority), audit (auditor) or administer (admin).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/exit_codes.hpp"
#include "core/io.hpp"

namespace declass::app {

void register_user(CLI::App& root, Dispatch& d) {
  auto* user = root.add_subcommand("user", "Manage users and their roles");
  user->require_subcommand(1);
  user->fallthrough();

  struct AddOpts {
    std::string name, role, cert, as;
    bool json = false;
  };
  auto a = std::make_shared<AddOpts>();
  auto* add = user->add_subcommand("add", "Add a user with a role");
  add->add_option("name", a->name, "User name (letters, digits, '-', '_', '.')")->required();
  add->add_option("--role", a->role, "reviewer, authority, auditor or admin")
      ->required()
      ->check(CLI::IsMember({"reviewer", "authority", "auditor", "admin"}));
  add->add_option("--cert", a->cert, "PEM X.509 certificate of the user (authorities sign releases with it)");
  add->add_option("--as", a->as, "Acting admin (optional while bootstrapping; recorded in the audit trail)");
  add->add_flag("--json", a->json, "Print the result as JSON");
  add->fallthrough();
  add->callback([a, &d] {
    d.action = [a, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      std::optional<std::string> pem;
      if (!a->cert.empty()) pem = io::read_file(a->cert, 1024 * 1024);
      auto u = ws.workflow().add_user(a->name, a->role, pem, a->as);
      if (a->json)
        std::cout << review::user_json(u).dump() << "\n";
      else
        std::cout << "added user " << u.name << " (" << u.role << ")\n";
      return exit_code::ok;
    };
  });

  auto lj = std::make_shared<bool>(false);
  auto* list = user->add_subcommand("list", "List users and roles");
  list->add_flag("--json", *lj, "Print JSON");
  list->fallthrough();
  list->callback([lj, &d] {
    d.action = [lj, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      Json arr = Json::array();
      for (const auto& u : ws.store().list_users()) {
        if (*lj)
          arr.push_back(review::user_json(u));
        else
          std::cout << u.name << "\t" << u.role << (u.certificate_sha256 ? "\tcert " + u.certificate_sha256->substr(0, 16) : "") << "\n";
      }
      if (*lj) std::cout << Json{{"users", arr}}.dump() << "\n";
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
