// A small open-addressing table from 64-bit hashes to 32-bit values, for the core's hot lookups
// (track ids, index cells). Linear probing over a power-of-two table kept at most half full; the
// home slot is the hash's top bits, so hashes must be well mixed there. Erase shifts the rest of
// the run back: no tombstones. The table keeps hashes, not keys: callers that can have two keys
// with one hash compare their own keys in Find's predicate.
#pragma once

#include <cstdint>
#include <vector>

namespace airprox {

class HashSlots {
 public:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};  // no value; not storable

  // Position of the slot holding a value for which same(value) holds among those stored under
  // `hash`, or of the empty slot where such a value would go (value(at) == kNone).
  template <typename Same>
  std::size_t Find(std::uint64_t hash, Same&& same) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = Home(hash);
    for (; slots_[i].value != kNone; i = (i + 1) & mask) {
      if (slots_[i].hash == hash && same(slots_[i].value)) break;
    }
    return i;
  }
  std::uint32_t value(std::size_t at) const { return slots_[at].value; }

  // Stores value under hash (the caller has found that no equal key is stored).
  void Insert(std::uint64_t hash, std::uint32_t value);
  // Removes the value at a position Find returned.
  void EraseAt(std::size_t at);

  std::size_t size() const { return used_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t value = kNone;
  };
  std::size_t Home(std::uint64_t hash) const { return static_cast<std::size_t>(hash >> shift_); }
  void Grow();

  std::vector<Slot> slots_ = std::vector<Slot>(16);
  int shift_ = 64 - 4;  // 64 - log2(slots_.size())
  std::size_t used_ = 0;
};

}  // namespace airprox
