// MultiSearch (Aho–Corasick) against the obvious std::string::find on hand-picked and random cases,
// in both its forms: the dense transition table and the sparse edge map (max_table_entries = 0).
#include <catch2/catch.hpp>

#include <random>

#include "core/multi_search.hpp"

using declass::MultiSearch;

TEST_CASE("multi_search: overlapping and nested needles") {
  std::vector<std::string> needles = {"HE", "SHE", "HIS", "HERS", "", "XYZ", "SHEHERS"};
  auto f = MultiSearch(needles).occurs("USHERS");
  CHECK(f == std::vector<bool>{true, true, false, true, false, false, false});
  auto g = MultiSearch(needles).occurs("ASHEHERSB");
  CHECK(g == std::vector<bool>{true, true, false, true, false, false, true});
  CHECK(MultiSearch(needles).occurs("") == std::vector<bool>(needles.size(), false));
}

TEST_CASE("multi_search: agrees with std::string::find on random input") {
  std::mt19937 rng(1234);
  // needles over a-d, texts over a-f (e and f are in no needle: the "other bytes" class)
  auto word = [&](int n, int letters) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('a' + static_cast<int>(rng() % static_cast<unsigned>(letters)));
    return s;
  };
  std::size_t dense_rounds = 0;
  for (int round = 0; round < 400; ++round) {
    std::vector<std::string> needles;
    for (int i = 0; i < 30; ++i) needles.push_back(word(1 + static_cast<int>(rng() % 6), 4));
    std::string text = word(static_cast<int>(rng() % 200), 6);
    MultiSearch ms(needles, round % 2 ? 0 : MultiSearch::default_max_table_entries);
    CHECK(ms.dense() == (round % 2 == 0));
    dense_rounds += ms.dense();
    auto found = ms.occurs(text);
    for (std::size_t i = 0; i < needles.size(); ++i) CHECK(found[i] == (text.find(needles[i]) != std::string::npos));
  }
  CHECK(dense_rounds == 200);
}

TEST_CASE("multi_search: bytes above 0x7F") {
  std::vector<std::string> needles = {"\xE2\x80\x99", "O\xE2\x80\x99NEIL"};
  for (std::size_t max_entries : {MultiSearch::default_max_table_entries, std::size_t{0}}) {
    auto f = MultiSearch(needles, max_entries).occurs("BIRCH O\xE2\x80\x99NEIL");
    CHECK(f[0]);
    CHECK(f[1]);
    auto g = MultiSearch(needles, max_entries).occurs("O\xE2\x80\x98NEIL \xE2\x80");
    CHECK_FALSE(g[0]);
    CHECK_FALSE(g[1]);
  }
}

TEST_CASE("multi_search: a trie that outgrows the table limit while built falls back to the sparse form") {
  std::mt19937 rng(99);
  std::vector<std::string> needles;
  for (int i = 0; i < 40; ++i) {
    std::string s;
    for (int k = 0; k < 8; ++k) s += static_cast<char>('a' + static_cast<int>(rng() % 5));
    needles.push_back(s);
  }
  // 5 letters → 6 classes; 40 needles of 8 letters need far more than 60 nodes, more than 10 are made first
  MultiSearch limited(needles, 60), full(needles);
  CHECK_FALSE(limited.dense());
  CHECK(full.dense());
  std::string text;
  for (int k = 0; k < 5000; ++k) text += static_cast<char>('a' + static_cast<int>(rng() % 6));
  text += needles[7];
  const auto a = limited.occurs(text), b = full.occurs(text);
  for (std::size_t i = 0; i < needles.size(); ++i) {
    CHECK(a[i] == (text.find(needles[i]) != std::string::npos));
    CHECK(b[i] == a[i]);
  }
  CHECK(a[7]);
}
