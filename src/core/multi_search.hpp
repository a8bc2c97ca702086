// Finds which of many literal needles occur in a text in one pass (Aho–Corasick automaton), so
// checking thousands of withheld terms against a whole document costs O(text + needles), not
// O(text × needles). Byte-exact matching; callers normalise both sides first when they need to.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace declass {

class MultiSearch {
 public:
  explicit MultiSearch(const std::vector<std::string>& needles);
  // found[i] is true when needle i (non-empty) occurs in `text`. Empty needles are never found.
  std::vector<bool> occurs(std::string_view text) const;
  std::size_t size() const { return m_needle_count; }

 private:
  struct Node {
    int fail = 0;
    int output_link = -1;             // nearest node on the fail chain that ends a needle
    std::vector<int> ends;            // needles ending exactly here
  };
  int child(int node, unsigned char c) const;
  std::vector<Node> m_nodes;
  std::unordered_map<std::uint64_t, int> m_edges;  // (node << 8 | byte) → node
  std::size_t m_needle_count = 0;
};

// Convenience: which needles occur in text.
std::vector<bool> occurs_in(const std::vector<std::string>& needles, std::string_view text);

}  // namespace declass
