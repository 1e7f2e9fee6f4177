#include "http/peer.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <optional>

#include "common/text.hpp"

namespace vikno::http {

namespace {

// The address as 16 bytes (IPv4 mapped into IPv6); nullopt when it is not an address.
std::optional<std::array<std::uint8_t, 16>> to_bytes(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(text, ec);
  if (ec) {
    return std::nullopt;
  }
  if (address.is_v4()) {
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes();
  }
  if (address.to_v6().scope_id() != 0) {
    return std::nullopt; // fe80::1%eth0: a zone has no place in a proxy list or a forwarded chain
  }
  return address.to_v6().to_bytes();
}

bool is_mapped_v4(const std::array<std::uint8_t, 16>& b) {
  for (int i = 0; i < 10; ++i) {
    if (b[i] != 0) {
      return false;
    }
  }
  return b[10] == 0xFF && b[11] == 0xFF;
}

} // namespace

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find_first_of(", \t", start);
    if (end == std::string_view::npos) {
      end = list.size();
    }
    std::string_view entry = list.substr(start, end - start);
    start = end + 1;
    if (entry.empty()) {
      continue;
    }
    auto bad = [&] {
      return Error::invalid("invalid_trusted_proxy", "not an address or a CIDR range: " + std::string(entry) +
                                                         " (e.g. 10.0.0.1, 10.0.0.0/8, ::1)");
    };
    std::string_view address = entry;
    std::optional<int> prefix;
    if (auto slash = entry.find('/'); slash != std::string_view::npos) {
      address = entry.substr(0, slash);
      std::string_view bits = entry.substr(slash + 1);
      int n = -1;
      auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
      if (ec != std::errc{} || ptr != bits.data() + bits.size() || bits.empty()) {
        return fail(bad());
      }
      prefix = n;
    }
    auto bytes = to_bytes(address);
    if (!bytes) {
      return fail(bad());
    }
    Range range{*bytes, 128};
    if (prefix) {
      bool v4 = is_mapped_v4(*bytes) && address.find(':') == std::string_view::npos;
      if (*prefix < 0 || *prefix > (v4 ? 32 : 128)) {
        return fail(bad());
      }
      range.prefix = v4 ? 96 + *prefix : *prefix;
    }
    out.ranges_.push_back(range);
  }
  return out;
}

bool TrustedProxies::contains(std::string_view address) const {
  if (ranges_.empty()) {
    return false;
  }
  auto bytes = to_bytes(address);
  if (!bytes) {
    return false;
  }
  for (const Range& r : ranges_) {
    int full = r.prefix / 8;
    int rest = r.prefix % 8;
    bool match = std::equal(r.bytes.begin(), r.bytes.begin() + full, bytes->begin());
    if (match && rest != 0) {
      auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
      match = (r.bytes[full] & mask) == ((*bytes)[full] & mask);
    }
    if (match) {
      return true;
    }
  }
  return false;
}

std::string TrustedProxies::client(const std::string& peer, std::string_view forwarded_for) const {
  if (ranges_.empty() || forwarded_for.empty() || !contains(peer)) {
    return peer;
  }
  // Every entry must be an address: a chain with garbage in it says nothing reliable.
  std::vector<std::string_view> chain;
  std::size_t start = 0;
  while (start <= forwarded_for.size()) {
    std::size_t end = forwarded_for.find(',', start);
    if (end == std::string_view::npos) {
      end = forwarded_for.size();
    }
    std::string_view entry = text::trim_blanks(forwarded_for.substr(start, end - start));
    start = end + 1;
    if (!to_bytes(entry)) {
      return peer;
    }
    chain.push_back(entry);
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!contains(*it)) {
      return std::string(*it);
    }
  }
  return std::string(chain.front()); // proxies all the way: the first one is the nearest to the client
}

bool is_loopback(std::string_view address) {
  auto bytes = to_bytes(address);
  if (!bytes) {
    return false;
  }
  if (is_mapped_v4(*bytes)) {
    return (*bytes)[12] == 127;
  }
  std::array<std::uint8_t, 16> one{};
  one[15] = 1;
  return *bytes == one;
}

} // namespace vikno::http
