#include "common/url.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace vikno {

bool is_loopback_url(std::string_view url) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
  }
  url = url.substr(0, url.find_first_of("/?#"));
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    url.remove_prefix(at + 1); // user:password@
  }
  std::string_view host = url;
  if (host.starts_with('[')) {
    host = host.substr(1, host.find(']') == std::string_view::npos ? host.size() : host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.ends_with('.')) {
    lower.pop_back();
  }
  return lower == "localhost" || lower.ends_with(".localhost") || lower.starts_with("127.") || lower == "::1" ||
         lower == "0:0:0:0:0:0:0:1";
}

} // namespace vikno
