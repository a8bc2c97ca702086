// Small pieces of the policy model: action names, locations, error text, vocabularies of
// template fields and zones, and rule lookup.
#include "rules/policy.hpp"

#include "rules/matcher.hpp"

namespace declass::rules {

const char* to_string(ActionKind a) {
  switch (a) {
    case ActionKind::release: return "release";
    case ActionKind::redact_span: return "redact_span";
    case ActionKind::redact_paragraph: return "redact_paragraph";
    case ActionKind::flag: return "flag";
    case ActionKind::refer: return "refer";
    case ActionKind::withhold_document: return "withhold_document";
  }
  return "flag";
}

std::optional<ActionKind> parse_action(std::string_view s) {
  for (ActionKind a : {ActionKind::release, ActionKind::redact_span, ActionKind::redact_paragraph, ActionKind::flag,
                       ActionKind::refer, ActionKind::withhold_document})
    if (s == to_string(a)) return a;
  return std::nullopt;
}

std::string Location::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string PolicyError::str() const { return where.str() + ": " + message; }

std::string TextSpec::describe() const {
  std::string s;
  if (!pattern.empty()) {
    s = "pattern /" + pattern + "/";
  } else if (!list.empty()) {
    s = "list '" + list + "' (" + std::to_string(terms.size()) + " terms)";
  } else {
    s = "terms [";
    for (std::size_t i = 0; i < terms.size(); ++i) s += (i ? ", " : "") + terms[i];
    s += "]";
  }
  s += case_sensitive ? " (case-sensitive" : " (ignoring case";
  s += whole_word ? ", whole words)" : ")";
  return s;
}

const std::vector<std::string>& template_fields() {
  static const std::vector<std::string> f = {
      "rule", "action", "match", "exemptions", "refer_to", "paragraph", "zone", "classification", "controls",
      "banner", "captions", "tags", "order", "reasons", "reasons_written", "declassify_on", "document_date", "age",
      "review_date", "release_status"};
  return f;
}

const std::vector<std::string>& zone_names() {
  static const std::vector<std::string> z = {"blank",   "cover",           "page_banner", "page_header",
                                             "page_footer", "cable_header", "caption",     "eo_tags_subject",
                                             "authority", "body",          "release_stamp", "editorial"};
  return z;
}

const Rule* Policy::find_rule(std::string_view id) const {
  for (const auto& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace declass::rules
