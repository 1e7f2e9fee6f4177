// QR codes as SVG, for queue tickets (талон) and booking confirmations: the kiosk prints the
// ticket's status link, the booking page shows the code to scan at the center.
#pragma once

#include "common/error.hpp"

#include <string>
#include <string_view>

namespace vikno::media {

// An SVG image of a QR code (error correction level M, byte mode) for `text`: black modules on a
// white background with the 4-module quiet zone, one <path> of the dark modules, `viewBox` in
// modules and no width/height, so CSS sizes it and `shape-rendering="crispEdges"` keeps the
// edges sharp at any scale. Errors: `qr_empty` for an empty text, `qr_too_long` when the text
// does not fit in a version-40 symbol (2331 bytes at level M).
Result<std::string> qr_svg(std::string_view text);

} // namespace vikno::media
