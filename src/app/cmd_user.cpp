// `declass user add NAME --role R [--cert PEM] [--as ADMIN]`, `declass user list` and
// `declass user token NAME [--label] [--expires-days N] | --revoke ID | --list`: the people who review
// (reviewer), approve and sign (authority), audit (auditor) or administer (admin), and their API tokens.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/api_tokens.hpp"
#include "app/cli.hpp"
#include "app/workspace.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
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

  struct TokenOpts {
    std::string name, label, as;
    int expires_days = 0;
    std::int64_t revoke = 0;
    bool list = false, json = false;
  };
  auto t = std::make_shared<TokenOpts>();
  auto* token = user->add_subcommand("token", "Create (print once), list or revoke API tokens of a user for 'declass serve'");
  token->add_option("name", t->name, "Existing user the token acts as")->required();
  token->add_option("--label", t->label, "What the token is for (e.g. 'laptop of alice')");
  token->add_option("--expires-days", t->expires_days, "Days until the token expires (1..3650; default: no expiry)")
      ->check(CLI::Range(1, 3650));
  token->add_option("--revoke", t->revoke, "Revoke the token with this id instead of creating one");
  token->add_flag("--list", t->list, "List the user's tokens (ids, labels, dates; never the token)");
  token->add_option("--as", t->as, "Acting admin (optional for the local operator; recorded in the audit trail)");
  token->add_flag("--json", t->json, "Print the result as JSON");
  token->fallthrough();
  token->footer(
      "The token ('dcl_' + 43 characters) is printed once; only its SHA-256 is stored. Send it as\n"
      "'Authorization: Bearer TOKEN'. Creation and revocation are audited (user.token, user.token.revoke)\n"
      "without the token value.");
  token->callback([t, &d] {
    d.action = [t, &d] {
      SystemClock clock;
      Workspace ws(d.global.db, clock);
      auto token_json = [](const store::ApiTokenRecord& r) {
        return Json{{"id", r.id},
                    {"user", r.user},
                    {"label", r.label},
                    {"created_at", r.created_at},
                    {"expires_at", r.expires_at ? Json(*r.expires_at) : Json(nullptr)},
                    {"revoked_at", r.revoked_at ? Json(*r.revoked_at) : Json(nullptr)}};
      };
      if (t->list) {
        if (!ws.store().find_user(t->name))
          throw Error(ErrorCategory::usage, t->name, "unknown user; list users with 'declass user list'");
        Json arr = Json::array();
        for (const auto& r : ws.store().list_api_tokens(t->name)) {
          if (t->json)
            arr.push_back(token_json(r));
          else
            std::cout << r.id << "\t" << (r.label.empty() ? "-" : r.label) << "\tcreated " << r.created_at
                      << (r.expires_at ? "\texpires " + *r.expires_at : "") << (r.revoked_at ? "\trevoked " + *r.revoked_at : "") << "\n";
        }
        if (t->json) std::cout << Json{{"tokens", arr}}.dump() << "\n";
        return exit_code::ok;
      }
      if (t->revoke != 0) {
        auto r = revoke_api_token(ws.store(), t->name, t->revoke, t->as);
        if (t->json)
          std::cout << token_json(r).dump() << "\n";
        else
          std::cout << "revoked API token " << r.id << " of " << r.user << "\n";
        return exit_code::ok;
      }
      std::optional<int> days;
      if (t->expires_days != 0) days = t->expires_days;
      auto n = create_api_token(ws.store(), t->name, t->label, days, t->as);
      if (t->json) {
        Json j = token_json(n.record);
        j["token"] = n.token;
        std::cout << j.dump() << "\n";
      } else {
        std::cout << "API token " << n.record.id << " for " << n.record.user
                  << (n.record.expires_at ? " (expires " + *n.record.expires_at + ")" : "") << "; shown once, store it now:\n"
                  << n.token << "\n";
      }
      return exit_code::ok;
    };
  });
}

}  // namespace declass::app
