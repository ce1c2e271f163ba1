#include "server/core/hash_slots.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace airprox {
namespace {

// Keys whose hashes collide on purpose (few distinct hashes, crowded top bits), inserted and
// erased at random: the table must agree with a std::map model throughout.
TEST(HashSlots, AgreesWithAMapUnderChurnAndCollisions) {
  HashSlots table;
  std::map<std::uint32_t, std::uint64_t> model;  // key (stored as the value) -> hash
  std::mt19937_64 rng(11);
  auto hash_of = [](std::uint32_t key) {
    // 64 distinct hashes for 3000 keys, and their top bits close together: long runs.
    return (0x8000000000000000ull + (static_cast<std::uint64_t>(key % 64) << 40)) ^ (key % 3);
  };
  auto find = [&](std::uint32_t key) {
    return table.Find(hash_of(key), [&](std::uint32_t v) { return v == key; });
  };
  for (int step = 0; step < 60000; ++step) {
    const auto key = static_cast<std::uint32_t>(rng() % 3000);
    const std::size_t at = find(key);
    if (model.count(key)) {
      ASSERT_EQ(table.value(at), key);
      if (rng() % 2) {
        table.EraseAt(at);
        model.erase(key);
      }
    } else {
      ASSERT_EQ(table.value(at), HashSlots::kNone);
      table.Insert(hash_of(key), key);
      model[key] = hash_of(key);
    }
    ASSERT_EQ(table.size(), model.size());
  }
  for (std::uint32_t key = 0; key < 3000; ++key) {
    EXPECT_EQ(table.value(find(key)), model.count(key) ? key : HashSlots::kNone) << key;
  }
}

TEST(HashSlots, GrowsPastManyEntries) {
  HashSlots table;
  for (std::uint32_t v = 0; v < 100000; ++v) table.Insert((v + 1) * 0x9e3779b97f4a7c15ull, v);
  EXPECT_EQ(table.size(), 100000u);
  for (std::uint32_t v = 0; v < 100000; v += 997) {
    const std::uint64_t hash = (v + 1) * 0x9e3779b97f4a7c15ull;
    EXPECT_EQ(table.value(table.Find(hash, [&](std::uint32_t x) { return x == v; })), v);
  }
}

}  // namespace
}  // namespace airprox
