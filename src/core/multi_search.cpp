// Aho–Corasick automaton for MultiSearch (see multi_search.hpp): a trie of the needles with failure
// links built breadth-first; edges kept in one hash map so memory is proportional to the needles.
#include "core/multi_search.hpp"

#include <deque>

namespace declass {

namespace {
std::uint64_t edge_key(int node, unsigned char c) { return (static_cast<std::uint64_t>(node) << 8) | c; }
}  // namespace

int MultiSearch::child(int node, unsigned char c) const {
  auto it = m_edges.find(edge_key(node, c));
  return it == m_edges.end() ? -1 : it->second;
}

MultiSearch::MultiSearch(const std::vector<std::string>& needles) : m_needle_count(needles.size()) {
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
}

std::vector<bool> MultiSearch::occurs(std::string_view text) const {
  std::vector<bool> found(m_needle_count, false);
  std::vector<bool> visited(m_nodes.size(), false);  // an output chain is reported once
  int cur = 0;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    int next = child(cur, c);
    while (next < 0 && cur != 0) {
      cur = m_nodes[cur].fail;
      next = child(cur, c);
    }
    cur = next < 0 ? 0 : next;
    for (int o = m_nodes[cur].ends.empty() ? m_nodes[cur].output_link : cur; o > 0 && !visited[o];
         o = m_nodes[o].output_link) {
      visited[o] = true;
      for (int id : m_nodes[o].ends) found[id] = true;
    }
  }
  return found;
}

std::vector<bool> occurs_in(const std::vector<std::string>& needles, std::string_view text) {
  return MultiSearch(needles).occurs(text);
}

}  // namespace declass
