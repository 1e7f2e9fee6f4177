// Who is on the other end of a connection: the trusted reverse proxies whose X-Forwarded-For is
// believed, and the loopback test. A request's `remote_ip` is the client these give, so every
// per-address limit (rate limits, the login throttle), the audit source and the access log see the
// client and not the proxy in front of it.
//
// Only a trusted proxy's header counts: anyone can send X-Forwarded-For, so from any other peer it
// is ignored (otherwise an attacker would pick a new address for each guess). From a trusted peer
// the client is the right-most address of the chain that is not itself a trusted proxy (proxies
// append the address they saw, so everything left of that is what the client claimed). A header
// that is not a list of addresses leaves the peer as the client.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace vikno::http {

class TrustedProxies {
public:
  // "127.0.0.1, 10.0.0.0/8, ::1": addresses or CIDR ranges, IPv4 or IPv6, separated by commas or
  // spaces. An empty list trusts nobody. An entry that is neither is an error naming it.
  static Result<TrustedProxies> parse(std::string_view list);

  [[nodiscard]] bool empty() const { return ranges_.empty(); }
  [[nodiscard]] bool contains(std::string_view address) const;
  // The request's client: `peer` unless the peer is trusted and `forwarded_for` (every
  // X-Forwarded-For value, comma-joined in order) names one; see above.
  [[nodiscard]] std::string client(const std::string& peer, std::string_view forwarded_for) const;

private:
  struct Range {
    std::array<std::uint8_t, 16> bytes{}; // IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
    int prefix = 128;
  };
  std::vector<Range> ranges_;
};

// 127.0.0.0/8, ::1 and IPv4-mapped loopback; false for anything that is not an address.
bool is_loopback(std::string_view address);

} // namespace vikno::http
