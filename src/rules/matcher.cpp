// RE2::Set-backed matcher (see matcher.hpp). If the DFA behind the set runs out of memory on
// a pathological policy, it falls back to scanning each pattern on its own (same answer, slower).
#include "rules/matcher.hpp"

#include <algorithm>
#include <re2/re2.h>
#include <re2/set.h>

#include "core/error.hpp"

namespace declass::rules {

namespace {
RE2::Options re2_options() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(int64_t{256} << 20);
  return o;
}
}  // namespace

struct Matcher::Impl {
  RE2::Set set{re2_options(), RE2::UNANCHORED};
  std::vector<std::unique_ptr<RE2>> singles;
  bool set_ok = false;
};

Matcher::Matcher(const std::vector<std::string>& patterns) : m_impl(std::make_unique<Impl>()) {
  for (const auto& p : patterns) {
    auto re = std::make_unique<RE2>(p, re2_options());
    if (!re->ok()) throw Error(ErrorCategory::policy, "pattern", "invalid RE2 pattern: " + re->error());
    std::string err;
    if (m_impl->set.Add(p, &err) < 0) throw Error(ErrorCategory::policy, "pattern", "invalid RE2 pattern: " + err);
    m_impl->singles.push_back(std::move(re));
  }
  m_impl->set_ok = patterns.empty() ? false : m_impl->set.Compile();
}

Matcher::~Matcher() = default;

std::size_t Matcher::size() const { return m_impl->singles.size(); }

std::vector<int> Matcher::match_ids(std::string_view text) const {
  std::vector<int> ids;
  const std::size_t n = m_impl->singles.size();
  if (n == 0) return ids;
  re2::StringPiece sp(text.data(), text.size());
  if (m_impl->set_ok) {
    RE2::Set::ErrorInfo info{};
    if (m_impl->set.Match(sp, &ids, &info)) {
      std::sort(ids.begin(), ids.end());
      ids.erase(std::remove_if(ids.begin(), ids.end(), [n](int h) { return h < 0 || static_cast<std::size_t>(h) >= n; }),
                ids.end());
      return ids;
    }
    ids.clear();
    if (info.kind == RE2::Set::kNoError) return ids;  // simply no match
  }
  for (std::size_t i = 0; i < n; ++i)  // DFA out of memory: one pattern at a time
    if (RE2::PartialMatch(sp, *m_impl->singles[i])) ids.push_back(static_cast<int>(i));
  return ids;
}

std::vector<bool> Matcher::match(std::string_view text) const {
  std::vector<bool> out(m_impl->singles.size(), false);
  for (int id : match_ids(text)) out[static_cast<std::size_t>(id)] = true;
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> Matcher::find_all(std::size_t i, std::string_view text,
                                                                   std::size_t limit) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (i >= m_impl->singles.size()) return out;
  const RE2& re = *m_impl->singles[i];
  re2::StringPiece sp(text.data(), text.size());
  std::size_t pos = 0;
  while (pos <= text.size() && out.size() < limit) {
    re2::StringPiece m;
    if (!re.Match(sp, pos, text.size(), RE2::UNANCHORED, &m, 1)) break;
    auto b = static_cast<std::size_t>(m.data() - text.data());
    auto e = b + m.size();
    if (e > b) {
      out.emplace_back(b, e);
      pos = e;
    } else {
      pos = b + 1;  // empty match: step over one byte
    }
  }
  return out;
}

std::string check_pattern(const std::string& pattern) {
  RE2 re(pattern, re2_options());
  return re.ok() ? std::string() : re.error();
}

bool matches_empty(const std::string& pattern) {
  RE2 re(pattern, re2_options());
  return re.ok() && RE2::FullMatch("", re);
}

std::string quote_meta(std::string_view literal) { return RE2::QuoteMeta(re2::StringPiece(literal.data(), literal.size())); }

}  // namespace declass::rules
