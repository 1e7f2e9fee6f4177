// Small facts about an absolute URL's host, without a network lookup.
#pragma once

#include <string_view>

namespace vikno {

// Whether the URL's host is this machine only (localhost, 127.0.0.0/8, [::1]): a link to it in a
// ticket's QR code cannot be opened from a citizen's phone.
bool is_loopback_url(std::string_view url);

} // namespace vikno
