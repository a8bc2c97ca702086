// MultiSearch (Aho–Corasick) against the obvious std::string::find on hand-picked and random cases.
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
  std::uniform_int_distribution<int> letter(0, 3);
  auto word = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('a' + letter(rng));
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> needles;
    for (int i = 0; i < 30; ++i) needles.push_back(word(1 + static_cast<int>(rng() % 6)));
    std::string text = word(static_cast<int>(rng() % 200));
    auto found = MultiSearch(needles).occurs(text);
    for (std::size_t i = 0; i < needles.size(); ++i) CHECK(found[i] == (text.find(needles[i]) != std::string::npos));
  }
}

TEST_CASE("multi_search: bytes above 0x7F") {
  std::vector<std::string> needles = {"\xE2\x80\x99", "O\xE2\x80\x99NEIL"};
  auto f = MultiSearch(needles).occurs("BIRCH O\xE2\x80\x99NEIL");
  CHECK(f[0]);
  CHECK(f[1]);
}
