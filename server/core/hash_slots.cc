#include "server/core/hash_slots.h"

namespace airprox {

void HashSlots::Insert(std::uint64_t hash, std::uint32_t value) {
  if (2 * (used_ + 1) > slots_.size()) Grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = Home(hash);
  while (slots_[i].value != kNone) i = (i + 1) & mask;
  slots_[i] = {hash, value};
  ++used_;
}

void HashSlots::EraseAt(std::size_t i) {
  const std::size_t mask = slots_.size() - 1;
  --used_;
  // Later entries of the run move into the hole, unless their home lies cyclically in (hole, j].
  for (std::size_t j = (i + 1) & mask; slots_[j].value != kNone; j = (j + 1) & mask) {
    const std::size_t home = Home(slots_[j].hash);
    if (((j - home) & mask) >= ((j - i) & mask)) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = Slot{};
}

void HashSlots::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  --shift_;
  used_ = 0;
  for (const Slot& s : old) {
    if (s.value != kNone) Insert(s.hash, s.value);
  }
}

}  // namespace airprox
