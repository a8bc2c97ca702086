// Rule evaluation (see evaluate.hpp and policies/README.md "Precedence"). One RE2::Set pass per
// paragraph answers every text condition; offsets are computed only for rules that need spans
// or quotes. Explanations quote document text: they are returned, never logged.
#include "rules/evaluate.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "markings/grammar.hpp"
#include "markings/types.hpp"
#include "rules/matcher.hpp"

namespace declass::rules {

int full_years_between(const Date& from, const Date& to) {
  if (to < from) return 0;
  int y = to.year - from.year;
  if (to.month < from.month || (to.month == from.month && to.day < from.day)) --y;
  return std::max(0, y);
}

std::vector<std::string> stamp_order(const std::vector<std::string>& codes) {
  std::vector<std::string> uniq;
  for (const auto& c : codes)
    if (std::find(uniq.begin(), uniq.end(), c) == uniq.end()) uniq.push_back(c);
  std::string list = markings::stamp_code_list(uniq);
  std::vector<std::string> order;
  for (auto part : text::split(list, ',')) order.emplace_back(text::trim(part));
  auto pos = [&](const std::string& c) {
    auto f = markings::stamp_form(c);
    auto it = std::find(order.begin(), order.end(), f);
    return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
  };
  std::stable_sort(uniq.begin(), uniq.end(), [&](const auto& a, const auto& b) { return pos(a) < pos(b); });
  return uniq;
}

namespace {

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

bool contains_ci(const std::vector<std::string>& hay, const std::string& upper_needle) {
  for (const auto& h : hay)
    if (text::to_upper(h) == upper_needle) return true;
  return false;
}

bool is_x_exemption(const std::string& c) {
  auto u = text::to_upper(c);
  return u.rfind("25X", 0) == 0 || u.rfind("50X", 0) == 0 || u.rfind("75X", 0) == 0;
}

std::optional<int> rank_of(const std::optional<std::string>& code) {
  if (!code) return std::nullopt;
  if (auto l = markings::parse_level_code(*code)) return markings::rank(*l);
  return std::nullopt;
}

// Document-level values computed once per recommendation.
struct DocCache {
  std::vector<std::string> mapped_reasons;  // reason_map applied
  std::vector<std::string> x_codes;         // 25X/50X/75X codes anywhere in the document's markings
  std::optional<int> age;
  std::optional<int> banner_rank;
};

DocCache make_cache(const Policy& p, const DocumentFacts& d) {
  DocCache c;
  for (const auto& r : d.reasons) {
    auto it = p.reason_map.find(r);
    std::string m = it == p.reason_map.end() ? r : it->second;
    if (std::find(c.mapped_reasons.begin(), c.mapped_reasons.end(), m) == c.mapped_reasons.end())
      c.mapped_reasons.push_back(m);
  }
  auto add_x = [&](const std::string& code) {
    if (is_x_exemption(code) && std::find(c.x_codes.begin(), c.x_codes.end(), code) == c.x_codes.end())
      c.x_codes.push_back(code);
  };
  for (const auto& h : markings::find_exemption_codes(d.declassify_on)) add_x(h.code);
  if (auto canon = markings::canonical_exemption(text::trim(d.declassify_on))) add_x(*canon);
  for (const auto& e : d.release_exemptions) add_x(e);
  if (d.document_date) c.age = full_years_between(*d.document_date, d.review_date);
  c.banner_rank = rank_of(d.banner);
  return c;
}

struct Eval {
  const Policy& p;
  const DocumentFacts& d;
  const ParagraphFacts& para;
  const DocCache& cache;
  std::vector<bool> matched;
  std::vector<std::string>* trace = nullptr;  // explain mode
  std::vector<std::string> quotes;            // matched text of true text conditions
  int depth = 0;                              // nesting of all/any/not, for indented traces

  std::vector<std::string> x_codes() const {
    auto v = cache.x_codes;
    for (const auto& e : para.exemptions)
      if (is_x_exemption(e) && std::find(v.begin(), v.end(), e) == v.end()) v.push_back(e);
    return v;
  }

  // Descriptions are built only in explain mode (they cost more than the checks themselves).
#define DECLASS_NOTE(ok, what) (trace ? note((ok), (what)) : (ok))
  bool note(bool ok, const std::string& what) {
    if (trace) trace->push_back(std::string(static_cast<std::size_t>(2 * depth), ' ') + (ok ? "yes: " : "no:  ") + what);
    return ok;
  }

  void collect_quotes(int pattern_id) {
    for (auto [b, e] : p.matcher->find_all(static_cast<std::size_t>(pattern_id), para.text, 20)) {
      std::string q = para.text.substr(b, e - b);
      if (std::find(quotes.begin(), quotes.end(), q) == quotes.end()) quotes.push_back(q);
    }
  }

  static std::string level_desc(const Condition& c) {
    std::string s;
    if (!c.values.empty()) return "one of [" + join(c.values) + "]";
    if (c.min_rank) s += std::string("at least ") + markings::code(static_cast<markings::Level>(*c.min_rank));
    if (c.max_rank) s += std::string(s.empty() ? "" : " and ") + "at most " +
                         markings::code(static_cast<markings::Level>(*c.max_rank));
    return s;
  }

  bool level_test(const Condition& c, std::optional<int> r) {
    if (!r) return false;
    if (!c.values.empty())
      return std::find(c.values.begin(), c.values.end(), markings::code(static_cast<markings::Level>(*r))) !=
             c.values.end();
    if (c.min_rank && *r < *c.min_rank) return false;
    if (c.max_rank && *r > *c.max_rank) return false;
    return true;
  }

  bool eval(const Condition& c, bool quoting) {
    switch (c.kind) {
      case CondKind::all: {
        bool ok = true;
        const bool nested = c.key != "when";
        depth += nested;
        for (const auto& ch : c.children) {
          ok = eval(ch, quoting) && ok;
          if (!ok && !trace) {
            depth -= nested;
            return false;
          }
        }
        depth -= nested;
        if (c.key != "when") DECLASS_NOTE(ok, "all of " + std::to_string(c.children.size()) + " conditions");
        return ok;
      }
      case CondKind::any: {
        bool ok = false;
        ++depth;
        for (const auto& ch : c.children) {
          ok = eval(ch, quoting) || ok;
          if (ok && !trace) {
            --depth;
            return true;
          }
        }
        --depth;
        return DECLASS_NOTE(ok, "any of " + std::to_string(c.children.size()) + " conditions");
      }
      case CondKind::negate: {
        ++depth;
        bool ok = c.children.empty() ? true : !eval(c.children.front(), false);
        --depth;
        return DECLASS_NOTE(ok, std::string("not: the condition(s) above ") + (ok ? "do not hold" : "hold"));
      }
      case CondKind::zone: {
        bool ok = std::find(c.values.begin(), c.values.end(), para.zone) != c.values.end();
        return DECLASS_NOTE(ok, "zone '" + para.zone + "' " + (ok ? "is" : "is not") + " one of [" + join(c.values) + "]");
      }
      case CondKind::classification: {
        auto r = rank_of(para.classification);
        std::string src = para.classification ? "portion (" + *para.classification + ")" : "unmarked paragraph";
        if (!r && c.inherit_banner && cache.banner_rank) {
          r = cache.banner_rank;
          src = "unmarked paragraph, banner (" + *d.banner + ")";
        }
        bool ok = level_test(c, r);
        return DECLASS_NOTE(ok, "classification of " + src + (ok ? " is " : " is not ") + level_desc(c));
      }
      case CondKind::banner: {
        bool ok = level_test(c, cache.banner_rank);
        return DECLASS_NOTE(ok, "banner " + (d.banner ? *d.banner : std::string("(none)")) + (ok ? " is " : " is not ") +
                            level_desc(c));
      }
      case CondKind::portion_marked: {
        bool marked = para.classification.has_value();
        bool ok = c.flag && marked == *c.flag;
        return DECLASS_NOTE(ok, std::string("paragraph is ") + (marked ? "portion-marked" : "not portion-marked"));
      }
      case CondKind::controls_any:
      case CondKind::controls_all:
      case CondKind::banner_controls_any:
      case CondKind::caption_any:
      case CondKind::tag_any: {
        const auto& have = c.kind == CondKind::banner_controls_any ? d.banner_controls
                           : c.kind == CondKind::caption_any       ? d.captions
                           : c.kind == CondKind::tag_any           ? d.tags
                                                                   : para.controls;
        bool ok = c.kind == CondKind::controls_all;
        for (const auto& v : c.values) {
          bool has = contains_ci(have, v);
          if (c.kind == CondKind::controls_all) ok = ok && has;
          else ok = ok || has;
        }
        return DECLASS_NOTE(ok, c.key + ": have [" + join(have) + "], want " +
                            (c.kind == CondKind::controls_all ? "all of [" : "any of [") + join(c.values) + "]");
      }
      case CondKind::order: {
        bool ok = std::find(c.values.begin(), c.values.end(), d.order) != c.values.end();
        return DECLASS_NOTE(ok, "executive order " + (d.order.empty() ? std::string("(none)") : "E.O. " + d.order) +
                            (ok ? " is" : " is not") + " one of [" + join(c.values) + "]");
      }
      case CondKind::reason_any: {
        bool ok = false;
        for (const auto& v : c.values)
          ok = ok || std::find(cache.mapped_reasons.begin(), cache.mapped_reasons.end(), v) != cache.mapped_reasons.end() ||
               std::find(d.reasons.begin(), d.reasons.end(), v) != d.reasons.end();
        return DECLASS_NOTE(ok, "reasons [" + join(d.reasons) + "] (mapped [" + join(cache.mapped_reasons) + "]) " +
                            (ok ? "include" : "do not include") + " one of [" + join(c.values) + "]");
      }
      case CondKind::exemption_any: {
        std::vector<std::string> have = para.exemptions;
        have.insert(have.end(), d.release_exemptions.begin(), d.release_exemptions.end());
        bool ok = false;
        for (const auto& v : c.values) ok = ok || std::find(have.begin(), have.end(), v) != have.end();
        return DECLASS_NOTE(ok, "exemption codes present [" + join(have) + "] " + (ok ? "include" : "do not include") +
                            " one of [" + join(c.values) + "]");
      }
      case CondKind::release_status: {
        std::string have = d.release_status.empty() ? "NONE" : text::to_upper(d.release_status);
        bool ok = std::find(c.values.begin(), c.values.end(), have) != c.values.end();
        return DECLASS_NOTE(ok, "release status " + have + (ok ? " is" : " is not") + " one of [" + join(c.values) + "]");
      }
      case CondKind::declassify_on: {
        const auto& dd = d.declassify_on_date;
        bool ok = true;
        std::string desc = "declassify-on " + (d.declassify_on.empty() ? std::string("(none)") : d.declassify_on);
        if (c.present) {
          bool present = !d.declassify_on.empty();
          ok = ok && present == *c.present;
          desc += present ? ", present" : ", absent";
        }
        if (c.passed) {
          bool passed = dd && *dd <= d.review_date;
          bool future = dd && d.review_date < *dd;
          ok = ok && (*c.passed ? passed : future);
          desc += !dd ? ", no date" : passed ? ", passed before review date " + d.review_date.iso()
                                             : ", not passed at review date " + d.review_date.iso();
        }
        if (c.exempt) {
          auto xs = x_codes();
          ok = ok && (!xs.empty()) == *c.exempt;
          desc += xs.empty() ? ", no 25X/50X/75X exemption" : ", exemption " + join(xs);
        }
        if (c.before) {
          ok = ok && dd && *dd < *c.before;
          desc += ", before " + c.before->iso() + "?";
        }
        if (c.after) {
          ok = ok && dd && *c.after < *dd;
          desc += ", after " + c.after->iso() + "?";
        }
        return DECLASS_NOTE(ok, desc);
      }
      case CondKind::document_date: {
        const auto& dd = d.document_date;
        bool ok = true;
        if (c.present) ok = ok && dd.has_value() == *c.present;
        if (c.before) ok = ok && dd && *dd < *c.before;
        if (c.after) ok = ok && dd && *c.after < *dd;
        return DECLASS_NOTE(ok, "document date " + (dd ? dd->iso() : std::string("unknown")));
      }
      case CondKind::document_age: {
        bool ok = cache.age.has_value();
        if (ok && c.min_years) ok = *cache.age >= *c.min_years;
        if (ok && c.max_years) ok = *cache.age <= *c.max_years;
        std::string want = c.min_years ? "at least " + std::to_string(*c.min_years) : "";
        if (c.max_years) want += std::string(want.empty() ? "" : " and ") + "at most " + std::to_string(*c.max_years);
        return DECLASS_NOTE(ok, "document age " + (cache.age ? std::to_string(*cache.age) + " years" : std::string("unknown")) +
                            (ok ? " is " : " is not ") + want + " years at review date " + d.review_date.iso());
      }
      case CondKind::text: {
        int id = c.text.pattern_id;
        bool ok = id >= 0 && static_cast<std::size_t>(id) < matched.size() && matched[static_cast<std::size_t>(id)];
        if (ok && (quoting || trace)) collect_quotes(id);
        return DECLASS_NOTE(ok, "text " + std::string(ok ? "matches " : "does not match ") + c.text.describe());
      }
    }
    return false;
  }
};

#undef DECLASS_NOTE

std::string quote_list(const std::vector<std::string>& q) {
  std::string s;
  std::size_t n = std::min<std::size_t>(q.size(), 5);
  for (std::size_t i = 0; i < n; ++i) {
    std::string t = q[i].size() > 80 ? q[i].substr(0, 77) + "..." : q[i];
    s += (i ? ", " : "") + ("\"" + t + "\"");
  }
  if (q.size() > n) s += " and " + std::to_string(q.size() - n) + " more";
  return s;
}

std::vector<std::string> expand_exemptions(const Rule& r, const Eval& ev) {
  std::vector<std::string> out;
  auto add = [&](const std::string& c) {
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  for (const auto& e : r.exemptions) {
    if (e == "$reasons") for (const auto& m : ev.cache.mapped_reasons) add(m);
    else if (e == "$25x") for (const auto& x : ev.x_codes()) add(x);
    else add(e);
  }
  return stamp_order(out);
}

std::string render(const Rule& r, const Eval& ev, const std::vector<std::string>& quotes,
                   const std::vector<std::string>& exemptions) {
  const auto& d = ev.d;
  const auto& para = ev.para;
  auto field = [&](const std::string& f) -> std::string {
    if (f == "rule") return r.id;
    if (f == "action") return to_string(r.action);
    if (f == "match") return quotes.empty() ? std::string("(no text match)") : quote_list(quotes);
    if (f == "exemptions") return exemptions.empty() ? std::string("none") : markings::stamp_code_list(exemptions);
    if (f == "refer_to") return r.refer_to;
    if (f == "paragraph") return para.number.empty() ? "#" + std::to_string(para.index) : para.number;
    if (f == "zone") return para.zone;
    if (f == "classification") {
      if (para.classification) return *para.classification;
      return d.banner ? "unmarked (banner " + *d.banner + ")" : std::string("unmarked");
    }
    if (f == "controls") return para.controls.empty() ? std::string("none") : join(para.controls, "/");
    if (f == "banner") return d.banner ? *d.banner : std::string("none");
    if (f == "captions") return d.captions.empty() ? std::string("none") : join(d.captions);
    if (f == "tags") return d.tags.empty() ? std::string("none") : join(d.tags);
    if (f == "order") return d.order.empty() ? std::string("unknown") : d.order;
    if (f == "reasons") return ev.cache.mapped_reasons.empty() ? std::string("none") : join(ev.cache.mapped_reasons);
    if (f == "reasons_written") return d.reasons.empty() ? std::string("none") : join(d.reasons);
    if (f == "declassify_on") {
      if (d.declassify_on_date) return d.declassify_on_date->iso();
      return d.declassify_on.empty() ? std::string("none") : d.declassify_on;
    }
    if (f == "document_date") return d.document_date ? d.document_date->iso() : std::string("unknown");
    if (f == "age") return ev.cache.age ? std::to_string(*ev.cache.age) : std::string("unknown");
    if (f == "review_date") return d.review_date.iso();
    if (f == "release_status") return d.release_status.empty() ? std::string("none") : d.release_status;
    return "{" + f + "}";
  };
  const std::string& t = r.explanation;
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char ch = t[i];
    if ((ch == '{' || ch == '}') && i + 1 < t.size() && t[i + 1] == ch) {
      out += ch;
      ++i;
    } else if (ch == '{') {
      auto close = t.find('}', i);
      if (close == std::string::npos) {
        out += t.substr(i);
        break;
      }
      out += field(t.substr(i + 1, close - i - 1));
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

struct Fired {
  const Rule* rule;
  std::vector<std::string> quotes;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
};

// Evaluates one paragraph. `verdicts` (explain mode) receives every rule's verdict.
ParagraphRecommendation evaluate_paragraph(const Policy& p, const DocumentFacts& d, const ParagraphFacts& para,
                                           const DocCache& cache, std::vector<RuleVerdict>* verdicts) {
  Eval ev{p, d, para, cache, {}, nullptr, {}};
  std::vector<int> hit_ids = p.matcher ? p.matcher->match_ids(para.text) : std::vector<int>{};
  ev.matched.assign(p.patterns.size(), false);
  for (int id : hit_ids) ev.matched[static_cast<std::size_t>(id)] = true;
  std::vector<Fired> fired;
  std::vector<std::vector<std::string>> traces(verdicts ? p.rules.size() : 0);
  // Candidates: every rule in explain mode; otherwise the rules without a required pattern plus
  // those whose required pattern matched, so the cost follows the matches, not the rule count.
  std::vector<std::size_t> candidates;
  if (verdicts) {
    candidates.resize(p.rules.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) candidates[i] = i;
  } else {
    candidates = p.unindexed_rules;
    for (int id : hit_ids)
      if (static_cast<std::size_t>(id) < p.rules_by_pattern.size()) {
        const auto& rs = p.rules_by_pattern[static_cast<std::size_t>(id)];
        candidates.insert(candidates.end(), rs.begin(), rs.end());
      }
    std::sort(candidates.begin(), candidates.end());
  }
  for (std::size_t i : candidates) {
    const Rule& r = p.rules[i];
    ev.quotes.clear();
    ev.trace = verdicts ? &traces[i] : nullptr;
    bool ok = !r.when || ev.eval(*r.when, true);
    if (!r.when && verdicts) traces[i].push_back("yes: no conditions (applies to every paragraph)");
    Fired f{&r, {}, {}};
    if (r.span && (ok || verdicts)) {
      int id = r.span->pattern_id;
      if (id >= 0) f.spans = p.matcher->find_all(static_cast<std::size_t>(id), para.text);
      if (verdicts)
        traces[i].push_back(std::string(f.spans.empty() ? "no:  span " : "yes: span ") + r.span->describe() +
                            " selects " + std::to_string(f.spans.size()) + " span(s)");
      ok = ok && !f.spans.empty();
    }
    if (!ok) continue;
    f.quotes = ev.quotes;
    if (!f.spans.empty()) {
      f.quotes.clear();
      for (auto [b, e] : f.spans) {
        std::string q = para.text.substr(b, e - b);
        if (std::find(f.quotes.begin(), f.quotes.end(), q) == f.quotes.end()) f.quotes.push_back(q);
      }
    }
    fired.push_back(std::move(f));
  }
  ev.trace = nullptr;

  ParagraphRecommendation out;
  out.index = para.index;
  out.number = para.number;
  if (fired.empty()) {
    out.action = p.default_action;
    out.explanation = p.default_action == ActionKind::release
                          ? "No rule applies to this paragraph; the policy default is to release it."
                          : "No rule applies to this paragraph; the policy default is to flag it for human review.";
    if (verdicts)
      for (std::size_t i = 0; i < p.rules.size(); ++i)
        verdicts->push_back({p.rules[i].id, p.rules[i].priority, p.rules[i].action, false, "not fired", traces[i], ""});
    return out;
  }
  // Precedence: higher priority, then more restrictive action, then earlier in the policy.
  const Fired* win = &fired.front();
  for (const auto& f : fired) {
    const Rule& a = *f.rule;
    const Rule& b = *win->rule;
    if (a.priority != b.priority ? a.priority > b.priority
                                 : restrictiveness(a.action) != restrictiveness(b.action)
                                       ? restrictiveness(a.action) > restrictiveness(b.action)
                                       : a.order < b.order)
      win = &f;
  }
  out.action = win->rule->action;
  if (out.action == ActionKind::refer) out.refer_to = win->rule->refer_to;
  std::vector<std::string> exemptions;
  std::vector<std::string> explanations;
  std::vector<Span> spans;
  std::map<std::string, std::string> rendered;
  // The winner first, then concurring rules in policy order.
  std::vector<const Fired*> applied = {win};
  for (const auto& f : fired)
    if (&f != win && f.rule->action == out.action &&
        (out.action != ActionKind::refer || f.rule->refer_to == out.refer_to))
      applied.push_back(&f);
  for (const Fired* f : applied) {
    auto ex = expand_exemptions(*f->rule, ev);
    if (out.action != ActionKind::release) exemptions.insert(exemptions.end(), ex.begin(), ex.end());
    std::string text = render(*f->rule, ev, f->quotes, ex);
    rendered[f->rule->id] = text;
    explanations.push_back(text);
    if (out.action == ActionKind::redact_span)
      for (auto [b, e] : f->spans) spans.push_back({b, e, "", ex, f->rule->id});
  }
  for (const auto& f : fired) {
    out.rules_fired.push_back(f.rule->id);
    if (std::find(applied.begin(), applied.end(), &f) == applied.end()) out.rules_overridden.push_back(f.rule->id);
  }
  out.exemptions = stamp_order(exemptions);
  // Merge overlapping spans (union of their exemptions; the first rule keeps the id).
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  for (auto& s : spans) {
    if (!out.spans.empty() && s.begin < out.spans.back().end) {
      auto& last = out.spans.back();
      last.end = std::max(last.end, s.end);
      last.exemptions.insert(last.exemptions.end(), s.exemptions.begin(), s.exemptions.end());
      last.exemptions = stamp_order(last.exemptions);
    } else {
      out.spans.push_back(std::move(s));
    }
  }
  for (auto& s : out.spans) s.text = para.text.substr(s.begin, s.end - s.begin);
  out.explanation = join(explanations, " ");
  if (verdicts) {
    std::size_t fi = 0;
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
      const Rule& r = p.rules[i];
      RuleVerdict v{r.id, r.priority, r.action, false, "not fired", traces[i], ""};
      if (fi < fired.size() && fired[fi].rule == &r) {
        const Fired& f = fired[fi++];
        v.fired = true;
        bool is_applied = std::find(applied.begin(), applied.end(), &f) != applied.end();
        if (&f == win) v.outcome = "applied (wins: priority " + std::to_string(r.priority) + ", action " + to_string(r.action) + ")";
        else if (is_applied) v.outcome = "applied (concurs with " + win->rule->id + ")";
        else
          v.outcome = "overridden by " + win->rule->id + " (priority " + std::to_string(win->rule->priority) +
                      " vs " + std::to_string(r.priority) + ", action " + to_string(win->rule->action) + " vs " +
                      to_string(r.action) + ")";
        v.explanation = is_applied ? rendered[r.id] : render(r, ev, f.quotes, expand_exemptions(r, ev));
      }
      verdicts->push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace

Recommendation recommend(const Policy& policy, const DocumentFacts& facts) {
  Recommendation rec;
  DocCache cache = make_cache(policy, facts);
  for (const auto& para : facts.paragraphs)
    rec.paragraphs.push_back(evaluate_paragraph(policy, facts, para, cache, nullptr));

  // A withhold_document anywhere withholds every paragraph.
  const ParagraphRecommendation* withheld = nullptr;
  for (const auto& pr : rec.paragraphs)
    if (pr.action == ActionKind::withhold_document) {
      withheld = &pr;
      break;
    }
  if (withheld) {
    ParagraphRecommendation w = *withheld;
    std::string wrule = w.rules_fired.empty() ? std::string() : w.rules_fired.front();
    for (const auto& id : w.rules_fired)
      if (std::find(w.rules_overridden.begin(), w.rules_overridden.end(), id) == w.rules_overridden.end()) {
        wrule = id;
        break;
      }
    for (auto& pr : rec.paragraphs) {
      if (pr.action == ActionKind::withhold_document) continue;
      for (const auto& id : pr.rules_fired)
        if (std::find(pr.rules_overridden.begin(), pr.rules_overridden.end(), id) == pr.rules_overridden.end())
          pr.rules_overridden.push_back(id);
      pr.action = ActionKind::withhold_document;
      pr.exemptions = w.exemptions;
      pr.spans.clear();
      pr.refer_to.clear();
      pr.explanation = "The whole document is withheld by rule " + wrule + " (paragraph " +
                       std::to_string(w.index) + "): " + w.explanation;
    }
  }

  bool any_refer = false, all_release = true, all_withheld = !rec.paragraphs.empty();
  std::vector<std::string> codes;
  for (const auto& pr : rec.paragraphs) {
    switch (pr.action) {
      case ActionKind::release: all_withheld = false; break;
      case ActionKind::flag:
        rec.needs_review = true;
        all_withheld = false;
        break;
      case ActionKind::refer: {
        any_refer = true;
        all_release = false;
        all_withheld = false;
        auto it = std::find_if(rec.referrals.begin(), rec.referrals.end(),
                               [&](const Referral& r) { return r.agency == pr.refer_to; });
        if (it == rec.referrals.end()) rec.referrals.push_back({pr.refer_to, {pr.index}});
        else it->paragraphs.push_back(pr.index);
        break;
      }
      case ActionKind::redact_span:
        all_release = false;
        all_withheld = false;
        break;
      case ActionKind::redact_paragraph:
      case ActionKind::withhold_document: all_release = false; break;
    }
    if (pr.action != ActionKind::release && pr.action != ActionKind::flag)
      codes.insert(codes.end(), pr.exemptions.begin(), pr.exemptions.end());
  }
  if (withheld) rec.disposition = "DENIED IN FULL";
  else if (any_refer) rec.disposition = "REFER";
  else if (all_release) rec.disposition = "RELEASE IN FULL";
  else if (all_withheld) rec.disposition = "DENIED IN FULL";
  else rec.disposition = "RELEASE IN PART";
  rec.exemptions = stamp_order(codes);
  rec.stamp_codes = rec.exemptions.empty() ? std::string() : markings::stamp_code_list(rec.exemptions);
  return rec;
}

ParagraphExplanation explain_paragraph(const Policy& policy, const DocumentFacts& facts, int index) {
  const ParagraphFacts* para = nullptr;
  for (const auto& p : facts.paragraphs)
    if (p.index == index) para = &p;
  if (!para)
    throw Error(ErrorCategory::usage, "--paragraph",
                "paragraph " + std::to_string(index) + " does not exist; the document has " +
                    std::to_string(facts.paragraphs.size()) + " paragraphs (1.." +
                    std::to_string(facts.paragraphs.size()) + ")");
  DocCache cache = make_cache(policy, facts);
  ParagraphExplanation out;
  out.result = evaluate_paragraph(policy, facts, *para, cache, &out.verdicts);
  return out;
}

}  // namespace declass::rules
