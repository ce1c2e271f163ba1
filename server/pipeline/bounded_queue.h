// A bounded multi-producer queue with an explicit overflow policy: Push blocks the producer while
// the queue is full (backpressure) and counts every time it had to; TryPush refuses instead.
// Close() wakes everyone: pushes fail, pops drain what is left and then fail.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace airprox {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Blocks while full. False when the queue is closed.
  bool Push(T item) {
    std::unique_lock lock(mu_);
    if (!closed_ && items_.size() >= capacity_) {
      ++blocked_pushes_;
      not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    }
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // False when full or closed; counts refusals because of a full queue.
  bool TryPush(T item) {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (items_.size() >= capacity_) {
      ++refused_pushes_;
      return false;
    }
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Blocks until an item is available; nullopt once closed and drained.
  std::optional<T> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }
  std::size_t capacity() const { return capacity_; }
  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }
  std::uint64_t blocked_pushes() const {
    std::lock_guard lock(mu_);
    return blocked_pushes_;
  }
  std::uint64_t refused_pushes() const {
    std::lock_guard lock(mu_);
    return refused_pushes_;
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;
  bool closed_ = false;
  std::uint64_t blocked_pushes_ = 0;
  std::uint64_t refused_pushes_ = 0;
};

}  // namespace airprox
