// Aho–Corasick automaton for MultiSearch (see multi_search.hpp): a trie of the needles with failure
// links built breadth-first, as a dense table over byte classes (one lookup per scanned byte), or,
// when that table would be too large, as a hash map of edges.
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
  bool used[256] = {};
  for (const auto& n : needles)
    for (unsigned char c : n) used[c] = true;
  m_classes = 1;  // class 0: bytes in no needle
  for (int c = 0; c < 256; ++c)
    if (used[c]) m_class_of[c] = static_cast<std::uint8_t>(m_classes++);
  if (m_classes > 255 || !build_dense(needles, max_table_entries)) build_sparse(needles);
}

// The trie is built straight into the table (a row per node, 0 = no child yet: no child is the root),
// then rows are completed breadth-first: a missing edge of u goes where its failure node's edge goes
// (that row is complete already, being shallower). False when the table would exceed `max_entries`.
bool MultiSearch::build_dense(const std::vector<std::string>& needles, std::size_t max_entries) {
  const std::size_t classes = m_classes;
  if (classes > max_entries) return false;
  std::size_t bytes = 0;
  for (const auto& n : needles) bytes += n.size();
  const std::size_t rows = std::min({bytes + 1, max_entries / classes, std::size_t{1} << 16});  // at most
  m_nodes.reserve(rows);
  m_table.reserve(rows * classes);
  m_nodes.assign(1, Node{});
  m_table.assign(classes, 0);
  for (std::size_t i = 0; i < needles.size(); ++i) {
    if (needles[i].empty()) continue;
    std::size_t cur = 0;
    for (unsigned char c : needles[i]) {
      std::int32_t& slot = m_table[cur * classes + m_class_of[c]];
      if (slot == 0) {
        if ((m_nodes.size() + 1) > max_entries / classes) {
          m_nodes.clear();
          m_table = {};
          return false;
        }
        slot = static_cast<std::int32_t>(m_nodes.size());  // before the resize below moves the table
        m_nodes.emplace_back();
        m_table.resize(m_table.size() + classes, 0);
      }
      cur = static_cast<std::size_t>(m_table[cur * classes + m_class_of[c]]);
    }
    m_nodes[cur].ends.push_back(static_cast<int>(i));
  }
  m_has_output.assign(m_nodes.size(), 0);
  std::vector<std::int32_t> queue;
  queue.reserve(m_nodes.size());
  for (std::size_t k = 0; k < classes; ++k)
    if (std::int32_t v = m_table[k]; v != 0) queue.push_back(v);  // depth 1: failure link to the root (0)
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const auto u = static_cast<std::size_t>(queue[head]);
    const Node& nu = m_nodes[u];
    m_has_output[u] = !nu.ends.empty() || nu.output_link >= 0;
    std::int32_t* row = &m_table[u * classes];
    const std::int32_t* fail_row = &m_table[static_cast<std::size_t>(nu.fail) * classes];
    for (std::size_t k = 0; k < classes; ++k) {
      if (row[k] == 0) {
        row[k] = fail_row[k];
        continue;
      }
      Node& nv = m_nodes[static_cast<std::size_t>(row[k])];
      nv.fail = u == 0 ? 0 : fail_row[k];
      const Node& f = m_nodes[static_cast<std::size_t>(nv.fail)];
      nv.output_link = !f.ends.empty() ? nv.fail : f.output_link;
      queue.push_back(row[k]);
    }
  }
  return true;
}

// Too large for a table: trie edges in a hash map, failure links followed while scanning.
void MultiSearch::build_sparse(const std::vector<std::string>& needles) {
  m_nodes.assign(1, Node{});
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
        children[static_cast<std::size_t>(cur)].emplace_back(c, next);
      }
      cur = next;
    }
    m_nodes[static_cast<std::size_t>(cur)].ends.push_back(static_cast<int>(i));
  }
  std::deque<int> queue;
  for (auto [c, n] : children[0]) {
    m_nodes[static_cast<std::size_t>(n)].fail = 0;
    queue.push_back(n);
  }
  while (!queue.empty()) {
    int u = queue.front();
    queue.pop_front();
    for (auto [c, v] : children[static_cast<std::size_t>(u)]) {
      int f = m_nodes[static_cast<std::size_t>(u)].fail;
      while (f != 0 && child(f, c) < 0) f = m_nodes[static_cast<std::size_t>(f)].fail;
      int fc = child(f, c);
      Node& nv = m_nodes[static_cast<std::size_t>(v)];
      nv.fail = (fc >= 0 && fc != v) ? fc : 0;
      const Node& fn = m_nodes[static_cast<std::size_t>(nv.fail)];
      nv.output_link = !fn.ends.empty() ? nv.fail : fn.output_link;
      queue.push_back(v);
    }
  }
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
