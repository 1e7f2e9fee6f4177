// Small facts about an absolute URL's host, without a network lookup.
#pragma once

#include <string_view>

namespace vikno {

// Whether the URL's host is this machine only (localhost, 127.0.0.0/8, [::1]): a link to it in a
// ticket's QR code cannot be opened from a citizen's phone.
bool is_loopback_url(std::string_view url);

// Whether `url` is a web link a page may show as a link: http:// or https:// (any case) and a
// host. Everything else (javascript:, data:, vbscript:, file:, a relative path) is refused where a
// record stores a link.
bool is_web_url(std::string_view url);

} // namespace vikno
