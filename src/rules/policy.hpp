// The policy model: rules (conditions over document/paragraph facts + one action), term lists,
// the E.O. reason map, and the loader that reads TOML policies (with includes) and validates
// them, reporting every problem as "file:line:col: message". See policies/README.md.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"

namespace declass::rules {

// Ordered from least to most restrictive; precedence uses this order after priority.
enum class ActionKind { release = 0, redact_span = 1, redact_paragraph = 2, flag = 3, refer = 4, withhold_document = 5 };
const char* to_string(ActionKind a);
std::optional<ActionKind> parse_action(std::string_view s);
inline int restrictiveness(ActionKind a) { return static_cast<int>(a); }

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:col" (":line:col" omitted when unknown)
};

struct PolicyError {
  Location where;
  std::string message;
  std::string str() const;  // "file:line:col: message"
};

// A text selector: a term list (literal, escaped) or one RE2 pattern, compiled into one regex.
struct TextSpec {
  std::vector<std::string> terms;
  std::string list;            // name of a [lists] entry (resolved into `terms` after loading)
  std::string pattern;         // RE2 syntax
  bool case_sensitive = false;
  bool whole_word = true;      // default true for terms/lists, false for patterns
  int pattern_id = -1;         // index into Policy::patterns; -1 = matches nothing (empty list)
  Location where;
  std::string describe() const;  // "terms [a, b]", "list private_individuals", "pattern /.../"
};

enum class CondKind {
  all, any, negate,
  zone, classification, portion_marked, controls_any, controls_all,
  banner, banner_controls_any, caption_any, tag_any, order, reason_any,
  declassify_on, document_date, document_age, release_status, exemption_any, text
};

struct Condition {
  CondKind kind = CondKind::all;
  std::string key;                      // key as written ("zone", "classification", ...)
  Location where;
  std::vector<Condition> children;      // all / any / not
  std::vector<std::string> values;      // string-set conditions (upper-cased where case-insensitive)
  std::optional<int> min_rank, max_rank;  // classification / banner (markings::rank)
  bool inherit_banner = false;          // classification: unmarked paragraphs take the banner level
  std::optional<bool> flag;             // portion_marked
  std::optional<bool> passed, present, exempt;  // declassify_on / document_date
  std::optional<Date> before, after;    // declassify_on / document_date (strictly before/after)
  std::optional<int> min_years, max_years;  // document_age
  TextSpec text;                        // text
};

struct Rule {
  std::string id;
  std::string description;
  Location where;
  int priority = 0;
  ActionKind action = ActionKind::flag;
  std::vector<std::string> exemptions;  // canonical codes, or "$reasons" / "$25x" (expanded from facts)
  std::string refer_to;                 // agency, for refer
  std::string explanation;              // template with {field} placeholders
  std::optional<Condition> when;        // absent = always
  std::optional<TextSpec> span;         // redact_span: what to cut out of the paragraph
  std::size_t order = 0;                // position in the flattened policy (includes first)
  // A pattern that must match for the rule to fire (its span, or a text condition ANDed at the top
  // of `when`): -1 none, so the rule is checked on every paragraph; -2 can never match (empty list).
  int required_pattern = -1;
};

class Matcher;  // RE2::Set over every pattern of the policy (defined in rules/matcher.hpp)

struct Policy {
  std::string path;                     // top-level file
  std::string name;
  std::string description;
  std::vector<std::string> files;       // every file loaded (top-level first)
  ActionKind default_action = ActionKind::flag;  // when no rule fires on a paragraph
  std::map<std::string, std::string> reason_map;  // "1.5(d)" -> "1.4(d)"
  std::map<std::string, std::vector<std::string>> lists;
  std::vector<Rule> rules;              // in precedence tie-break order
  std::vector<std::string> patterns;    // compiled regex sources, indexed by TextSpec::pattern_id
  std::shared_ptr<const Matcher> matcher;
  // Index for one-pass evaluation: rules checked on every paragraph, and rules per required pattern.
  std::vector<std::size_t> unindexed_rules;
  std::vector<std::vector<std::size_t>> rules_by_pattern;

  const Rule* find_rule(std::string_view id) const;
};

struct LoadOptions {
  bool allow_includes = true;  // false for fuzzing: no file access at all
  int max_include_depth = 8;
};

struct LoadResult {
  std::optional<Policy> policy;          // set only when there are no errors
  std::vector<PolicyError> errors;       // every problem found, in file order
  bool ok() const { return policy.has_value(); }
};

LoadResult load_policy_file(const std::string& path, const LoadOptions& options = {});
// `path` names the text in messages and anchors relative includes.
LoadResult load_policy_text(std::string_view text, const std::string& path, const LoadOptions& options = {});

// Placeholders allowed in explanation templates.
const std::vector<std::string>& template_fields();
// Known ingest zone names (kept in sync with ingest::Zone, which rules must not include).
const std::vector<std::string>& zone_names();

}  // namespace declass::rules
