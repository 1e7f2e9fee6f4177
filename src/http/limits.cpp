#include "http/limits.hpp"

namespace vikno::http {

Admission AddressCounter::acquire(const std::string& address, bool exempt, bool force) {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(address);
  std::size_t held = it == counts_.end() ? 0 : it->second;
  if (!exempt && held >= per_address_cap_) {
    return Admission::address_full;
  }
  if (!force && total_ >= total_cap_) {
    return Admission::total_full;
  }
  if (it == counts_.end()) {
    counts_.emplace(address, 1);
  } else {
    ++it->second;
  }
  ++total_;
  return Admission::admitted;
}

void AddressCounter::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(address);
  if (it == counts_.end()) {
    return;
  }
  if (--it->second == 0) {
    counts_.erase(it);
  }
  --total_;
}

void AddressCounter::set_total_cap(std::size_t cap) {
  std::lock_guard lock(mutex_);
  total_cap_ = cap;
}

std::size_t AddressCounter::total_cap() const {
  std::lock_guard lock(mutex_);
  return total_cap_;
}

std::size_t AddressCounter::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

std::size_t AddressCounter::of(const std::string& address) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(address);
  return it == counts_.end() ? 0 : it->second;
}

} // namespace vikno::http
