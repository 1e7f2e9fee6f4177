// AddressCounter: how many of something (open connections, live streams) each address holds, and
// whether one more may open, against a total cap and a per-address cap. Touched only when a
// connection or a stream opens or ends, never per request: a map under a short mutex.
//
// The caps keep one client (or a flood of them) from taking every file descriptor; what the
// server does beyond them (503, or room made by closing an idle connection) is the server's.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vikno::http {

enum class Admission { admitted, total_full, address_full };

class AddressCounter {
public:
  AddressCounter(std::size_t total_cap, std::size_t per_address_cap)
      : total_cap_(total_cap), per_address_cap_(per_address_cap) {}

  // Counts one more for `address` unless a cap is reached. `force` counts it whatever the total
  // says (a connection admitted because an idle one is being closed for it); `exempt` skips the
  // per-address cap (a trusted proxy carries many clients).
  Admission acquire(const std::string& address, bool exempt = false, bool force = false);
  void release(const std::string& address);

  void set_total_cap(std::size_t cap);
  [[nodiscard]] std::size_t total_cap() const;
  [[nodiscard]] std::size_t total() const;
  [[nodiscard]] std::size_t of(const std::string& address) const;

private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> counts_;
  std::size_t total_ = 0;
  std::size_t total_cap_;
  std::size_t per_address_cap_;
};

} // namespace vikno::http
