// Aho–Corasick automaton for MultiSearch (see multi_search.hpp): a trie of the needles with failure
// links built breadth-first; edges kept in one hash map, then (when small enough) folded into a dense
// table over byte classes so the scan is one lookup per byte.
#include "core/multi_search.hpp"

#include <algorithm>
#include <deque>

namespace declass {

namespace {
std::uint64_t edge_key(int node, unsigned char c) { return (static_cast<std::uint64_t>(node) << 8) | c; }
}  // namespace

int MultiSearch::child(int node, unsigned char c) const {
  auto it = m_edges.find(edge_key(node, c));
  return it == m_edges.end() ? -1 : it->second;
}

MultiSearch::MultiSearch(const std::vector<std::string>& needles, std::size_t max_table_entries) : m_needle_count(needles.size()) {
  m_nodes.emplace_back();
  std::vector<std::vector<std::pair<unsigned char, int>>> children(1);
  for (std::size_t i = 0; i < needles.size(); ++i) {
    const std::string& n = needles[i];
    if (n.empty()) continue;
    int cur = 0;
    for (unsigned char c : n) {
      int next = child(cur, c);
      if (next < 0) {
        next = static_cast<int>(m_nodes.size());
        m_nodes.emplace_back();
        children.emplace_back();
        m_edges.emplace(edge_key(cur, c), next);
        children[cur].emplace_back(c, next);
      }
      cur = next;
    }
    m_nodes[cur].ends.push_back(static_cast<int>(i));
  }
  // Breadth-first: fail links and output links.
  std::deque<int> queue;
  for (auto [c, n] : children[0]) {
    m_nodes[n].fail = 0;
    queue.push_back(n);
  }
  while (!queue.empty()) {
    int u = queue.front();
    queue.pop_front();
    for (auto [c, v] : children[u]) {
      int f = m_nodes[u].fail;
      while (f != 0 && child(f, c) < 0) f = m_nodes[f].fail;
      int fc = child(f, c);
      m_nodes[v].fail = (fc >= 0 && fc != v) ? fc : 0;
      int fv = m_nodes[v].fail;
      m_nodes[v].output_link = !m_nodes[fv].ends.empty() ? fv : m_nodes[fv].output_link;
      queue.push_back(v);
    }
  }
  // Dense table in breadth-first order: a missing edge of v goes where its failure node's edge goes
  // (computed before v, being shallower).
  bool used[256] = {};
  for (const auto& n : needles)
    for (unsigned char c : n) used[c] = true;
  m_classes = 1;  // class 0: bytes in no needle
  for (int c = 0; c < 256; ++c)
    if (used[c]) m_class_of[c] = static_cast<std::uint8_t>(m_classes++);
  if (m_classes > 255 || m_nodes.size() > max_table_entries / m_classes) return;  // keep the sparse form
  m_table.assign(m_nodes.size() * m_classes, 0);
  m_has_output.assign(m_nodes.size(), 0);
  std::vector<int> order;
  order.reserve(m_nodes.size());
  order.push_back(0);
  for (std::size_t k = 0; k < order.size(); ++k)
    for (auto [c, v] : children[static_cast<std::size_t>(order[k])]) order.push_back(v);
  for (int u : order) {
    const auto uu = static_cast<std::size_t>(u);
    m_has_output[uu] = !m_nodes[uu].ends.empty() || m_nodes[uu].output_link >= 0;
    std::int32_t* row = &m_table[uu * m_classes];
    if (u != 0) {
      const std::int32_t* fail_row = &m_table[static_cast<std::size_t>(m_nodes[uu].fail) * m_classes];
      std::copy(fail_row, fail_row + m_classes, row);
    }
    for (auto [c, v] : children[uu]) row[m_class_of[c]] = v;
  }
  m_edges = {};  // the table replaces the edge map (which is as large as the trie): free it
}

void MultiSearch::report(int node, std::vector<bool>& visited, std::vector<bool>& found) const {
  for (int o = m_nodes[static_cast<std::size_t>(node)].ends.empty() ? m_nodes[static_cast<std::size_t>(node)].output_link : node;
       o > 0 && !visited[static_cast<std::size_t>(o)]; o = m_nodes[static_cast<std::size_t>(o)].output_link) {
    visited[static_cast<std::size_t>(o)] = true;
    for (int id : m_nodes[static_cast<std::size_t>(o)].ends) found[static_cast<std::size_t>(id)] = true;
  }
}

std::vector<bool> MultiSearch::occurs(std::string_view text) const {
  std::vector<bool> found(m_needle_count, false);
  std::vector<bool> visited(m_nodes.size(), false);  // an output chain is reported once
  if (!m_table.empty()) {
    std::size_t cur = 0;
    for (char ch : text) {
      cur = static_cast<std::size_t>(m_table[cur * m_classes + m_class_of[static_cast<unsigned char>(ch)]]);
      if (m_has_output[cur]) report(static_cast<int>(cur), visited, found);
    }
    return found;
  }
  int cur = 0;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    int next = child(cur, c);
    while (next < 0 && cur != 0) {
      cur = m_nodes[cur].fail;
      next = child(cur, c);
    }
    cur = next < 0 ? 0 : next;
    report(cur, visited, found);
  }
  return found;
}

std::vector<bool> occurs_in(const std::vector<std::string>& needles, std::string_view text) {
  return MultiSearch(needles).occurs(text);
}

}  // namespace declass
