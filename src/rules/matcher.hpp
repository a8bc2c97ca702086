// One-pass text matching for a whole policy: every pattern goes into one RE2::Set, so a
// paragraph is scanned once whatever the rule count; offsets of the matches are then found
// only for the patterns that did match (and only when spans or quotes are needed).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace declass::rules {

class Matcher {
 public:
  // Patterns must already be valid RE2 (check_pattern); an invalid one throws Error(policy).
  explicit Matcher(const std::vector<std::string>& patterns);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  std::size_t size() const;
  // matched[i] is true when pattern i occurs anywhere in text.
  std::vector<bool> match(std::string_view text) const;
  // Same scan, as the sorted list of matching pattern indexes.
  std::vector<int> match_ids(std::string_view text) const;
  // Non-overlapping, non-empty matches of pattern i, as byte ranges [begin, end), at most `limit`.
  std::vector<std::pair<std::size_t, std::size_t>> find_all(std::size_t i, std::string_view text,
                                                            std::size_t limit = 1000) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Empty string when `pattern` compiles under RE2, else RE2's error text.
std::string check_pattern(const std::string& pattern);
// True when the pattern matches the empty string (useless and dangerous for spans).
bool matches_empty(const std::string& pattern);
// Escapes a literal term for use inside an RE2 pattern.
std::string quote_meta(std::string_view literal);

}  // namespace declass::rules
