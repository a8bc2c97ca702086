// TOML policy loader (toml++): reads a policy and its includes, checks every key, value, regex,
// exemption code, template field and action, and collects ALL problems as file:line:col errors
// before anything is compiled. Syntax errors stop that one file (toml++ reports the first only).
#include <algorithm>
#include <filesystem>
#include <set>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/io.hpp"
#include "core/text.hpp"
#include "markings/grammar.hpp"
#include "markings/types.hpp"
#include "rules/matcher.hpp"
#include "rules/policy.hpp"

namespace declass::rules {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_policy_bytes = 4u * 1024u * 1024u;

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

struct Loader {
  LoadOptions opts;
  std::vector<PolicyError> errors;
  std::vector<std::string> files;               // display paths, load order
  std::set<std::string> loaded;                 // canonical keys of loaded files
  std::vector<std::string> stack;               // include chain (display paths) for cycles
  std::vector<std::string> stack_keys;

  std::vector<Rule> rules;
  std::map<std::string, Location> rule_where;
  std::map<std::string, std::vector<std::string>> lists;
  std::map<std::string, std::string> reason_map;
  std::vector<std::pair<std::string, Location>> disables;
  std::optional<ActionKind> default_action;
  std::string name, description;

  std::string file;  // current file (display path)

  void error(const Location& where, std::string msg) { errors.push_back({where, std::move(msg)}); }
  Location at(const toml::source_region& r) const {
    return {file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
  }
  Location at(const toml::node& n) const { return at(n.source()); }

  // ---- typed getters (report a type error and return nullopt) ----
  std::optional<std::string> str(const toml::node& n, std::string_view what) {
    if (auto s = n.as_string()) return s->get();
    error(at(n), std::string(what) + " must be a string");
    return std::nullopt;
  }
  std::optional<bool> boolean(const toml::node& n, std::string_view what) {
    if (auto b = n.as_boolean()) return b->get();
    error(at(n), std::string(what) + " must be true or false");
    return std::nullopt;
  }
  std::optional<std::int64_t> integer(const toml::node& n, std::string_view what, std::int64_t lo, std::int64_t hi) {
    if (auto i = n.as_integer()) {
      if (i->get() < lo || i->get() > hi) {
        error(at(n), std::string(what) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        return std::nullopt;
      }
      return i->get();
    }
    error(at(n), std::string(what) + " must be an integer");
    return std::nullopt;
  }
  // A string or an array of strings; each element is reported with its own location.
  std::vector<std::pair<std::string, Location>> strings(const toml::node& n, std::string_view what) {
    std::vector<std::pair<std::string, Location>> out;
    if (auto s = n.as_string()) {
      out.emplace_back(s->get(), at(n));
    } else if (auto a = n.as_array()) {
      for (auto& el : *a) {
        if (auto es = el.as_string()) out.emplace_back(es->get(), at(el));
        else error(at(el), std::string(what) + " must contain only strings");
      }
    } else {
      error(at(n), std::string(what) + " must be a string or an array of strings");
    }
    return out;
  }
  std::optional<Date> date(const toml::node& n, std::string_view what) {
    if (auto d = n.as_date()) {
      auto v = d->get();
      if (Date::valid(v.year, v.month, v.day)) return Date{v.year, v.month, v.day};
    } else if (auto s = n.as_string()) {
      if (auto d2 = Date::parse_iso(s->get())) return d2;
    }
    error(at(n), std::string(what) + " must be a date YYYY-MM-DD");
    return std::nullopt;
  }
  void unknown_key(const toml::key& k, std::string_view where, const std::vector<std::string>& known) {
    error(at(k.source()), "unknown key '" + std::string(k.str()) + "' in " + std::string(where) +
                              "; expected one of: " + join(known));
  }
  bool check_keys(const toml::table& t, std::string_view where, const std::vector<std::string>& known) {
    bool ok = true;
    for (auto&& [k, v] : t) {
      (void)v;
      if (std::find(known.begin(), known.end(), std::string(k.str())) == known.end()) {
        unknown_key(k, where, known);
        ok = false;
      }
    }
    return ok;
  }

  // ---- codes ----
  std::optional<std::string> exemption_code(const std::string& raw, const Location& where, bool allow_special) {
    if (allow_special && (raw == "$reasons" || raw == "$25x")) return raw;
    if (auto c = markings::canonical_exemption(raw)) return *c;
    error(where, "unknown exemption code '" + raw + "'; use FOIA codes like (b)(1), (b)(6), (b)(7)(C), E.O. codes like "
                 "1.4(d) or 25X1" + std::string(allow_special ? ", or $reasons / $25x" : ""));
    return std::nullopt;
  }
  std::optional<std::string> reason_code(const std::string& raw, const Location& where) {
    auto c = markings::canonical_exemption(raw);
    if (c && c->size() > 2 && (*c)[0] == '1' && (*c)[1] == '.') return *c;
    error(where, "'" + raw + "' is not an E.O. reason code such as 1.4(d) or 1.5(b)");
    return std::nullopt;
  }
  std::optional<int> level_rank(const std::string& raw, const Location& where) {
    if (auto l = markings::parse_level_code(text::to_upper(raw))) return markings::rank(*l);
    error(where, "unknown classification level '" + raw + "'; use U, R, C, S or TS");
    return std::nullopt;
  }

  // ---- text selectors ----
  std::optional<TextSpec> text_spec(const toml::node& n, std::string_view what) {
    auto t = n.as_table();
    if (!t) {
      error(at(n), std::string(what) + " must be a table such as { pattern = \"...\" } or { terms = [...] }");
      return std::nullopt;
    }
    TextSpec s;
    s.where = at(n);
    check_keys(*t, what, {"terms", "list", "pattern", "case_sensitive", "whole_word"});
    int sources = 0;
    std::optional<bool> whole;
    if (auto v = t->get("terms")) {
      ++sources;
      for (auto& [term, loc] : strings(*v, "terms")) {
        if (text::trim(term).empty()) error(loc, "empty term in terms list");
        else s.terms.push_back(term);
      }
    }
    if (auto v = t->get("list")) {
      ++sources;
      if (auto x = str(*v, "list")) s.list = *x;
    }
    if (auto v = t->get("pattern")) {
      ++sources;
      if (auto x = str(*v, "pattern")) {
        if (x->empty()) {
          error(at(*v), "empty pattern");
        } else if (auto e = check_pattern(*x); !e.empty()) {
          error(at(*v), "invalid regular expression: " + e);
        } else if (matches_empty(*x)) {
          error(at(*v), "pattern matches the empty string; it would select nothing useful");
        } else {
          s.pattern = *x;
        }
      }
    }
    if (auto v = t->get("case_sensitive"))
      if (auto b = boolean(*v, "case_sensitive")) s.case_sensitive = *b;
    if (auto v = t->get("whole_word"))
      if (auto b = boolean(*v, "whole_word")) whole = *b;
    if (sources != 1) {
      error(s.where, std::string(what) + " needs exactly one of terms, list or pattern");
      return std::nullopt;
    }
    s.whole_word = whole.value_or(s.pattern.empty());
    return s;
  }

  // ---- conditions ----
  Condition leaf(CondKind k, const toml::key& key, const toml::node& n) {
    Condition c;
    c.kind = k;
    c.key = std::string(key.str());
    c.where = at(n);
    return c;
  }

  void level_condition(Condition& c, const toml::node& n, bool allow_inherit) {
    if (auto t = n.as_table()) {
      std::vector<std::string> known = {"at_least", "at_most"};
      if (allow_inherit) known.push_back("inherit_banner");
      check_keys(*t, c.key, known);
      if (auto v = t->get("at_least"))
        if (auto s = str(*v, "at_least")) c.min_rank = level_rank(*s, at(*v));
      if (auto v = t->get("at_most"))
        if (auto s = str(*v, "at_most")) c.max_rank = level_rank(*s, at(*v));
      if (allow_inherit)
        if (auto v = t->get("inherit_banner"))
          if (auto b = boolean(*v, "inherit_banner")) c.inherit_banner = *b;
      if (!c.min_rank && !c.max_rank) error(c.where, c.key + " table needs at_least and/or at_most");
      if (c.min_rank && c.max_rank && *c.min_rank > *c.max_rank)
        error(c.where, "contradictory condition: " + c.key + " at_least is above at_most; it can never hold");
      return;
    }
    for (auto& [v, loc] : strings(n, c.key))
      if (auto r = level_rank(v, loc)) c.values.push_back(markings::code(static_cast<markings::Level>(*r)));
  }

  void date_window(Condition& c, const toml::table& t) {
    if (auto v = t.get("before")) c.before = date(*v, "before");
    if (auto v = t.get("after")) c.after = date(*v, "after");
    if (c.before && c.after && *c.after >= *c.before)
      error(c.where, "contradictory condition: " + c.key + " after is not earlier than before");
  }

  std::optional<Condition> when_table(const toml::node& n, std::string_view what) {
    auto t = n.as_table();
    if (!t) {
      error(at(n), std::string(what) + " must be a table of conditions");
      return std::nullopt;
    }
    static const std::vector<std::string> known = {
        "all", "any", "not", "zone", "classification", "portion_marked", "controls_any", "controls_all", "banner",
        "banner_controls_any", "caption_any", "tag_any", "order", "reason_any", "declassify_on", "document_date",
        "document_age", "release_status", "exemption_any", "text"};
    Condition all;
    all.kind = CondKind::all;
    all.key = std::string(what);
    all.where = at(n);
    for (auto&& [k, v] : *t) {
      const std::string key(k.str());
      if (key == "all" || key == "any") {
        Condition c = leaf(key == "all" ? CondKind::all : CondKind::any, k, v);
        auto a = v.as_array();
        if (!a || a->empty()) {
          error(at(v), key + " must be a non-empty array of condition tables");
          continue;
        }
        for (auto& el : *a)
          if (auto ch = when_table(el, key)) c.children.push_back(std::move(*ch));
        all.children.push_back(std::move(c));
      } else if (key == "not") {
        Condition c = leaf(CondKind::negate, k, v);
        if (auto ch = when_table(v, "not")) c.children.push_back(std::move(*ch));
        all.children.push_back(std::move(c));
      } else if (key == "zone") {
        Condition c = leaf(CondKind::zone, k, v);
        for (auto& [z, loc] : strings(v, "zone")) {
          const auto& zn = zone_names();
          if (std::find(zn.begin(), zn.end(), z) == zn.end())
            error(loc, "unknown zone '" + z + "'; known zones: " + join(zn));
          else
            c.values.push_back(z);
        }
        all.children.push_back(std::move(c));
      } else if (key == "classification" || key == "banner") {
        Condition c = leaf(key == "banner" ? CondKind::banner : CondKind::classification, k, v);
        level_condition(c, v, key == "classification");
        all.children.push_back(std::move(c));
      } else if (key == "portion_marked") {
        Condition c = leaf(CondKind::portion_marked, k, v);
        c.flag = boolean(v, key);
        all.children.push_back(std::move(c));
      } else if (key == "controls_any" || key == "controls_all" || key == "banner_controls_any" ||
                 key == "caption_any" || key == "tag_any" || key == "release_status" || key == "order") {
        CondKind kind = key == "controls_any"          ? CondKind::controls_any
                        : key == "controls_all"        ? CondKind::controls_all
                        : key == "banner_controls_any" ? CondKind::banner_controls_any
                        : key == "caption_any"         ? CondKind::caption_any
                        : key == "tag_any"             ? CondKind::tag_any
                        : key == "order"               ? CondKind::order
                                                       : CondKind::release_status;
        Condition c = leaf(kind, k, v);
        for (auto& [s, loc] : strings(v, key)) {
          std::string u = text::to_upper(text::collapse_spaces(s));
          if (kind == CondKind::order && (u.empty() || !std::all_of(u.begin(), u.end(), text::is_digit))) {
            error(loc, "order must be the executive order number, e.g. \"12958\" or \"13526\"");
            continue;
          }
          if (kind == CondKind::release_status && u != "RELEASE IN FULL" && u != "RELEASE IN PART" &&
              u != "DENIED IN FULL" && u != "NONE") {
            error(loc, "release_status must be RELEASE IN FULL, RELEASE IN PART, DENIED IN FULL or none");
            continue;
          }
          c.values.push_back(u);
        }
        all.children.push_back(std::move(c));
      } else if (key == "reason_any") {
        Condition c = leaf(CondKind::reason_any, k, v);
        for (auto& [s, loc] : strings(v, key))
          if (auto r = reason_code(s, loc)) c.values.push_back(*r);
        all.children.push_back(std::move(c));
      } else if (key == "exemption_any") {
        Condition c = leaf(CondKind::exemption_any, k, v);
        for (auto& [s, loc] : strings(v, key))
          if (auto r = exemption_code(s, loc, false)) c.values.push_back(*r);
        all.children.push_back(std::move(c));
      } else if (key == "declassify_on" || key == "document_date") {
        Condition c = leaf(key == "declassify_on" ? CondKind::declassify_on : CondKind::document_date, k, v);
        auto tt = v.as_table();
        if (!tt) {
          error(at(v), key + " must be a table, e.g. { passed = true }");
          continue;
        }
        if (key == "declassify_on") {
          check_keys(*tt, key, {"passed", "present", "exempt", "before", "after"});
          if (auto x = tt->get("passed")) c.passed = boolean(*x, "passed");
          if (auto x = tt->get("exempt")) c.exempt = boolean(*x, "exempt");
        } else {
          check_keys(*tt, key, {"present", "before", "after"});
        }
        if (auto x = tt->get("present")) c.present = boolean(*x, "present");
        date_window(c, *tt);
        if (c.present == false && (c.passed == true || c.before || c.after))
          error(c.where, "contradictory condition: " + key + " present = false with a date test");
        if (tt->empty()) error(c.where, key + " table needs at least one test");
        all.children.push_back(std::move(c));
      } else if (key == "document_age") {
        Condition c = leaf(CondKind::document_age, k, v);
        auto tt = v.as_table();
        if (!tt) {
          error(at(v), "document_age must be a table, e.g. { at_least = 25 }");
          continue;
        }
        check_keys(*tt, key, {"at_least", "at_most"});
        if (auto x = tt->get("at_least"))
          if (auto i = integer(*x, "at_least", 0, 1000)) c.min_years = static_cast<int>(*i);
        if (auto x = tt->get("at_most"))
          if (auto i = integer(*x, "at_most", 0, 1000)) c.max_years = static_cast<int>(*i);
        if (!c.min_years && !c.max_years) error(c.where, "document_age needs at_least and/or at_most");
        if (c.min_years && c.max_years && *c.min_years > *c.max_years)
          error(c.where, "contradictory condition: document_age at_least is above at_most");
        all.children.push_back(std::move(c));
      } else if (key == "text") {
        Condition c = leaf(CondKind::text, k, v);
        if (auto s = text_spec(v, "text")) {
          c.text = std::move(*s);
          all.children.push_back(std::move(c));
        }
      } else {
        error(at(k.source()), "unknown condition field '" + key + "' in " + std::string(what) +
                                  "; known fields: " + join(known));
      }
    }
    if (t->empty()) error(all.where, std::string(what) + " is empty; remove it or add a condition");
    return all;
  }

  // ---- explanation templates ----
  void check_template(const std::string& tpl, const Location& where) {
    const auto& fields = template_fields();
    for (std::size_t i = 0; i < tpl.size(); ++i) {
      if (tpl[i] == '{') {
        if (i + 1 < tpl.size() && tpl[i + 1] == '{') {
          ++i;
          continue;
        }
        auto close = tpl.find('}', i);
        if (close == std::string::npos) {
          error(where, "unclosed '{' in explanation template (write {{ for a literal brace)");
          return;
        }
        std::string f = tpl.substr(i + 1, close - i - 1);
        if (std::find(fields.begin(), fields.end(), f) == fields.end())
          error(where, "unknown field '{" + f + "}' in explanation template; known fields: " + join(fields));
        i = close;
      } else if (tpl[i] == '}') {
        if (i + 1 < tpl.size() && tpl[i + 1] == '}') ++i;
        else error(where, "stray '}' in explanation template (write }} for a literal brace)");
      }
    }
  }

  // ---- rules ----
  void rule(const toml::node& n) {
    auto t = n.as_table();
    if (!t) {
      error(at(n), "each [[rule]] must be a table");
      return;
    }
    static const std::vector<std::string> known = {"id",          "description", "priority", "action", "exemptions",
                                                   "refer_to",    "explanation", "when",     "span"};
    check_keys(*t, "rule", known);
    Rule r;
    r.where = at(n);
    bool valid = true;
    if (auto v = t->get("id")) {
      if (auto s = str(*v, "id")) {
        r.id = *s;
        bool id_ok = !s->empty() && text::is_alpha((*s)[0]) &&
                     std::all_of(s->begin(), s->end(), [](char c) {
                       return text::is_alpha(c) || text::is_digit(c) || c == '.' || c == '-' || c == '_';
                     });
        if (!id_ok) {
          error(at(*v), "rule id '" + *s + "' must start with a letter and use only letters, digits, '.', '-', '_'");
          valid = false;
        }
      } else {
        valid = false;
      }
    } else {
      error(r.where, "rule has no id; add id = \"...\" (a stable name used in decisions and reports)");
      valid = false;
    }
    std::string label = r.id.empty() ? std::string("rule") : "rule '" + r.id + "'";
    if (auto v = t->get("description"))
      if (auto s = str(*v, "description")) r.description = *s;
    if (auto v = t->get("priority"))
      if (auto i = integer(*v, "priority", -1000000, 1000000)) r.priority = static_cast<int>(*i);
    std::optional<ActionKind> action;
    Location action_at = r.where;
    if (auto v = t->get("action")) {
      action_at = at(*v);
      if (v->is_array()) {
        error(action_at, "contradictory actions in " + label + ": a rule has exactly one action; split it into rules");
      } else if (auto s = str(*v, "action")) {
        action = parse_action(*s);
        if (!action)
          error(action_at, "unknown action '" + *s +
                               "'; use release, redact_paragraph, redact_span, withhold_document, refer or flag");
      }
    } else {
      error(r.where, label + " has no action; add action = \"release\" (or redact_paragraph, redact_span, "
                             "withhold_document, refer, flag)");
    }
    Location ex_at = r.where;
    bool has_ex_key = false;
    if (auto v = t->get("exemptions")) {
      has_ex_key = true;
      ex_at = at(*v);
      for (auto& [s, loc] : strings(*v, "exemptions"))
        if (auto c = exemption_code(s, loc, true))
          if (std::find(r.exemptions.begin(), r.exemptions.end(), *c) == r.exemptions.end()) r.exemptions.push_back(*c);
    }
    Location refer_at = r.where;
    if (auto v = t->get("refer_to")) {
      refer_at = at(*v);
      if (auto s = str(*v, "refer_to")) {
        r.refer_to = std::string(text::trim(*s));
        if (r.refer_to.empty()) error(refer_at, "refer_to is empty; name the agency, e.g. \"CIA\"");
      }
    }
    if (auto v = t->get("explanation")) {
      if (auto s = str(*v, "explanation")) {
        r.explanation = *s;
        check_template(*s, at(*v));
      }
    } else {
      r.explanation = "Rule {rule}: {action}.";
    }
    if (auto v = t->get("when")) r.when = when_table(*v, "when");
    Location span_at = r.where;
    if (auto v = t->get("span")) {
      span_at = at(*v);
      r.span = text_spec(*v, "span");
    }
    if (action) {
      r.action = *action;
      const ActionKind a = *action;
      if (a == ActionKind::release && has_ex_key && !r.exemptions.empty())
        error(ex_at, "contradictory actions in " + label + ": release cannot carry exemption codes");
      if ((a == ActionKind::redact_span || a == ActionKind::redact_paragraph || a == ActionKind::withhold_document) &&
          r.exemptions.empty() && !has_ex_key)
        error(action_at, label + ": " + std::string(to_string(a)) +
                             " needs exemptions = [...] naming the exemption codes that justify it");
      if (a == ActionKind::refer && r.refer_to.empty() && !t->get("refer_to"))
        error(action_at, label + ": refer needs refer_to = \"AGENCY\"");
      if (a != ActionKind::refer && t->get("refer_to"))
        error(refer_at, "contradictory actions in " + label + ": refer_to given but the action is " + to_string(a));
      if (a == ActionKind::redact_span && !t->get("span"))
        error(action_at, label + ": redact_span needs span = { pattern = \"...\" } (or terms / list)");
      if (a != ActionKind::redact_span && t->get("span"))
        error(span_at, "contradictory actions in " + label + ": span given but the action is " + to_string(a));
    } else {
      valid = false;
    }
    if (!valid) return;
    if (auto it = rule_where.find(r.id); it != rule_where.end()) {
      error(at(*t->get("id")), "duplicate rule id '" + r.id + "' (first defined at " + it->second.str() + ")");
      return;
    }
    rule_where[r.id] = at(*t->get("id"));
    rules.push_back(std::move(r));
  }

  // ---- files ----
  static std::string key_of(const std::string& path) {
    std::error_code ec;
    auto p = fs::weakly_canonical(fs::path(path), ec);
    return ec ? fs::path(path).lexically_normal().string() : p.string();
  }

  void load_file(const std::string& path, const Location& from, int depth) {
    std::string key = key_of(path);
    if (std::find(stack_keys.begin(), stack_keys.end(), key) != stack_keys.end()) {
      std::string chain;
      for (auto& s : stack) chain += s + " -> ";
      error(from, "include cycle: " + chain + path);
      return;
    }
    if (loaded.count(key)) return;  // diamond include: load each file once
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(path), ec)) {
      error(from, "cannot read policy file '" + path + "': no such file" +
                      std::string(fs::exists(fs::path(path), ec) ? " (not a regular file)" : ""));
      return;
    }
    std::string text;
    try {
      text = io::read_file(path, max_policy_bytes);
    } catch (const Error& e) {
      error(from, "cannot read policy file '" + path + "': " + e.message());
      return;
    }
    load_text(text, path, key, depth);
  }

  void load_text(std::string_view text, const std::string& path, const std::string& key, int depth) {
    loaded.insert(key);
    files.push_back(path);
    std::string saved = file;
    file = path;
    toml::table root;
    try {
      root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
      error(at(e.source()), "TOML syntax error: " + std::string(e.description()));
      file = saved;
      return;
    }
    static const std::vector<std::string> known = {"schema",    "name",  "description", "default_action",
                                                   "include",   "disable", "lists",     "reason_map", "rule"};
    check_keys(root, "the policy (top level)", known);
    if (auto v = root.get("schema"))
      if (auto s = str(*v, "schema"); s && *s != "declass.policy/1")
        error(at(*v), "unsupported policy schema '" + *s + "'; this version reads declass.policy/1");
    if (auto v = root.get("include")) {
      for (auto& [inc, loc] : strings(*v, "include")) {
        if (!opts.allow_includes) {
          error(loc, "include is not allowed here (includes are disabled for this load)");
          continue;
        }
        if (depth + 1 > opts.max_include_depth) {
          error(loc, "includes nested deeper than " + std::to_string(opts.max_include_depth) + " levels");
          continue;
        }
        fs::path p = fs::path(inc);
        if (p.is_relative()) p = fs::path(path).parent_path() / p;
        std::string inc_path = p.lexically_normal().string();
        stack.push_back(path);
        stack_keys.push_back(key);
        load_file(inc_path, loc, depth + 1);
        stack.pop_back();
        stack_keys.pop_back();
        file = path;
      }
    }
    if (depth == 0) {
      if (auto v = root.get("name"))
        if (auto s = str(*v, "name")) name = *s;
      if (auto v = root.get("description"))
        if (auto s = str(*v, "description")) description = *s;
    } else {
      if (auto v = root.get("name")) str(*v, "name");
      if (auto v = root.get("description")) str(*v, "description");
    }
    if (auto v = root.get("default_action")) {
      if (auto s = str(*v, "default_action")) {
        auto a = parse_action(*s);
        if (!a || (*a != ActionKind::release && *a != ActionKind::flag))
          error(at(*v), "default_action must be \"flag\" or \"release\"");
        else if (depth == 0 || !default_action)
          default_action = a;
      }
    }
    if (auto v = root.get("reason_map")) {
      if (auto t = v->as_table()) {
        for (auto&& [k, val] : *t) {
          auto from_code = reason_code(std::string(k.str()), at(k.source()));
          std::optional<std::string> to_code;
          if (auto s = str(val, "reason_map value")) to_code = reason_code(*s, at(val));
          if (from_code && to_code) reason_map[*from_code] = *to_code;
        }
      } else {
        error(at(*v), "reason_map must be a table like { \"1.5(d)\" = \"1.4(d)\" }");
      }
    }
    if (auto v = root.get("lists")) {
      if (auto t = v->as_table()) {
        for (auto&& [k, val] : *t) list(std::string(k.str()), val, path);
      } else {
        error(at(*v), "lists must be a table of name = [terms] or name = { file = \"...\" }");
      }
    }
    if (auto v = root.get("rule")) {
      if (auto a = v->as_array()) {
        for (auto& el : *a) rule(el);
      } else {
        error(at(*v), "rules are written as [[rule]] tables (an array of tables)");
      }
    }
    if (auto v = root.get("disable"))
      for (auto& [id, loc] : strings(*v, "disable")) disables.emplace_back(id, loc);
    file = saved;
  }

  void list(const std::string& lname, const toml::node& n, const std::string& path) {
    std::vector<std::string> terms;
    if (auto t = n.as_table()) {
      check_keys(*t, "list '" + lname + "'", {"file"});
      auto f = t->get("file");
      if (!f) {
        error(at(n), "list '" + lname + "' table needs file = \"names.txt\"");
        return;
      }
      auto s = str(*f, "file");
      if (!s) return;
      if (!opts.allow_includes) {
        error(at(*f), "list files are not allowed here (file access is disabled for this load)");
        return;
      }
      fs::path p(*s);
      if (p.is_relative()) p = fs::path(path).parent_path() / p;
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) {
        error(at(*f), "cannot read list file '" + p.lexically_normal().string() + "'");
        return;
      }
      std::string body;
      try {
        body = io::read_file(p.string(), max_policy_bytes);
      } catch (const Error& e) {
        error(at(*f), "cannot read list file '" + p.lexically_normal().string() + "': " + e.message());
        return;
      }
      for (auto line : text::split(body, '\n')) {
        auto tl = text::trim(line);
        if (tl.empty() || tl[0] == '#') continue;
        terms.emplace_back(tl);
      }
    } else {
      for (auto& [term, loc] : strings(n, "list '" + lname + "'")) {
        if (text::trim(term).empty()) error(loc, "empty term in list '" + lname + "'");
        else terms.push_back(term);
      }
    }
    lists[lname] = std::move(terms);  // a later file (the includer) replaces an included list
  }

  // ---- finishing: lists, disables, patterns ----
  static std::string build_regex(const TextSpec& s) {
    std::string body;
    if (!s.pattern.empty()) {
      body = s.whole_word ? "\\b(?:" + s.pattern + ")\\b" : s.pattern;
    } else {
      std::vector<std::string> terms = s.terms;
      std::stable_sort(terms.begin(), terms.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
      for (std::size_t i = 0; i < terms.size(); ++i) {
        std::string alt;
        auto words = text::split(text::collapse_spaces(terms[i]), ' ');
        for (std::size_t w = 0; w < words.size(); ++w) alt += (w ? "\\s+" : "") + quote_meta(words[w]);
        auto wordish = [](char c) { return text::is_alpha(c) || text::is_digit(c) || c == '_'; };
        std::string t = text::collapse_spaces(terms[i]);
        if (s.whole_word && !t.empty() && wordish(t.front())) alt = "\\b" + alt;
        if (s.whole_word && !t.empty() && wordish(t.back())) alt += "\\b";
        body += (i ? "|" : "") + alt;
      }
      body = "(?:" + body + ")";
    }
    return (s.case_sensitive ? "" : "(?i)") + body;
  }

  void finish_spec(TextSpec& s, std::vector<std::string>& patterns, std::map<std::string, int>& ids) {
    if (!s.list.empty()) {
      auto it = lists.find(s.list);
      if (it == lists.end()) {
        std::vector<std::string> names;
        for (auto& [k, v] : lists) names.push_back(k);
        error(s.where, "unknown list '" + s.list + "'" + (names.empty() ? "; define it under [lists]" : "; defined lists: " + join(names)));
        return;
      }
      s.terms = it->second;
    }
    if (s.pattern.empty() && s.terms.empty()) {
      s.pattern_id = -1;  // empty list: matches nothing
      return;
    }
    std::string re = build_regex(s);
    if (auto e = check_pattern(re); !e.empty()) {
      error(s.where, "invalid regular expression: " + e);
      return;
    }
    auto [it, inserted] = ids.emplace(re, static_cast<int>(patterns.size()));
    if (inserted) patterns.push_back(re);
    s.pattern_id = it->second;
  }

  void finish_cond(Condition& c, std::vector<std::string>& patterns, std::map<std::string, int>& ids) {
    if (c.kind == CondKind::text) finish_spec(c.text, patterns, ids);
    for (auto& ch : c.children) finish_cond(ch, patterns, ids);
  }

  // A text condition that must hold for `c` to hold (through nested all-nodes), as a pattern id;
  // -1 when there is none, -2 when it can never match.
  static int required_text(const Condition& c) {
    if (c.kind == CondKind::text) return c.text.pattern_id < 0 ? -2 : c.text.pattern_id;
    if (c.kind != CondKind::all) return -1;
    for (const auto& ch : c.children)
      if (int r = required_text(ch); r != -1) return r;
    return -1;
  }

  LoadResult finish(const std::string& top) {
    LoadResult out;
    for (auto& disabled : disables) {
      const auto& id = disabled.first;
      const auto& loc = disabled.second;
      auto it = std::find_if(rules.begin(), rules.end(), [&id](const Rule& r) { return r.id == id; });
      if (it == rules.end()) error(loc, "disable names unknown rule id '" + id + "'");
      else rules.erase(it);
    }
    Policy p;
    std::map<std::string, int> ids;
    for (auto& r : rules) {
      if (r.when) finish_cond(*r.when, p.patterns, ids);
      if (r.span) finish_spec(*r.span, p.patterns, ids);
    }
    if (errors.empty()) {
      try {
        p.matcher = std::make_shared<const Matcher>(p.patterns);
      } catch (const Error& e) {
        error({top, 0, 0}, e.message());
      }
    }
    std::map<std::string, std::size_t> file_index;
    for (std::size_t i = 0; i < files.size(); ++i) file_index.emplace(files[i], i);
    std::stable_sort(errors.begin(), errors.end(), [&](const PolicyError& a, const PolicyError& b) {
      auto fa = file_index.count(a.where.file) ? file_index[a.where.file] : files.size();
      auto fb = file_index.count(b.where.file) ? file_index[b.where.file] : files.size();
      if (fa != fb) return fa < fb;
      if (a.where.line != b.where.line) return a.where.line < b.where.line;
      return a.where.column < b.where.column;
    });
    out.errors = std::move(errors);
    if (!out.errors.empty()) return out;
    p.rules_by_pattern.assign(p.patterns.size(), {});
    for (std::size_t i = 0; i < rules.size(); ++i) {
      Rule& r = rules[i];
      r.order = i;
      if (r.span) r.required_pattern = r.span->pattern_id < 0 ? -2 : r.span->pattern_id;
      else if (r.when) r.required_pattern = required_text(*r.when);
      if (r.required_pattern == -1) p.unindexed_rules.push_back(i);
      else if (r.required_pattern >= 0) p.rules_by_pattern[static_cast<std::size_t>(r.required_pattern)].push_back(i);
    }
    p.path = top;
    p.name = name;
    p.description = description;
    p.files = files;
    p.default_action = default_action.value_or(ActionKind::flag);
    p.reason_map = reason_map;
    p.lists = lists;
    p.rules = std::move(rules);
    out.policy = std::move(p);
    return out;
  }
};

}  // namespace

LoadResult load_policy_file(const std::string& path, const LoadOptions& options) {
  Loader l;
  l.opts = options;
  l.load_file(path, Location{path, 0, 0}, 0);
  return l.finish(path);
}

LoadResult load_policy_text(std::string_view text, const std::string& path, const LoadOptions& options) {
  Loader l;
  l.opts = options;
  l.load_text(text, path, Loader::key_of(path), 0);
  return l.finish(path);
}

}  // namespace declass::rules
