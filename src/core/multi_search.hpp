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
  // Transitions are kept as a dense table (one int per node and byte class, the bytes that occur in
  // needles each their own class, all others one class) when it has at most `max_table_entries`
  // cells, else as a hash map of trie edges followed through failure links (slower, smaller).
  static constexpr std::size_t default_max_table_entries = std::size_t{1} << 25;  // 128 MiB of int32
  explicit MultiSearch(const std::vector<std::string>& needles, std::size_t max_table_entries = default_max_table_entries);
  // found[i] is true when needle i (non-empty) occurs in `text`. Empty needles are never found.
  std::vector<bool> occurs(std::string_view text) const;
  std::size_t size() const { return m_needle_count; }
  bool dense() const { return !m_table.empty(); }

 private:
  struct Node {
    int fail = 0;
    int output_link = -1;             // nearest node on the fail chain that ends a needle
    std::vector<int> ends;            // needles ending exactly here
  };
  bool build_dense(const std::vector<std::string>& needles, std::size_t max_entries);
  void build_sparse(const std::vector<std::string>& needles);
  int child(int node, unsigned char c) const;
  void report(int node, std::vector<bool>& visited, std::vector<bool>& found) const;
  std::vector<Node> m_nodes;
  std::unordered_map<std::uint64_t, int> m_edges;  // sparse form only: (node << 8 | byte) → node
  std::size_t m_needle_count = 0;
  // Dense automaton: m_table[node * m_classes + m_class_of[byte]] = next node (failure links folded in).
  std::vector<std::int32_t> m_table;
  std::vector<std::uint8_t> m_has_output;  // node ends a needle or has an output link
  std::uint8_t m_class_of[256] = {};
  std::size_t m_classes = 0;
};

// Convenience: which needles occur in text.
std::vector<bool> occurs_in(const std::vector<std::string>& needles, std::string_view text);

}  // namespace declass
