// QR codes as SVG, for queue tickets (талон) and booking confirmations: the kiosk prints the
// ticket's status link, the booking page shows the code to scan at the center.
#pragma once

#include "common/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace vikno::media {

// The modules of a QR code (error correction level M, byte mode, the smallest version that fits),
// without the quiet zone: `size` x `size`, row by row, `dark[y * size + x]` true for a black one.
// The one encoder behind qr_svg and the printed forms (documents/pdf). Errors as qr_svg's.
struct QrMatrix {
  int size = 0;
  std::vector<bool> dark;
  [[nodiscard]] bool at(int x, int y) const {
    return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)];
  }
};
Result<QrMatrix> qr_matrix(std::string_view text);

// An SVG image of a QR code (error correction level M, byte mode) for `text`: black modules on a
// white background with the 4-module quiet zone, one <path> of the dark modules, `viewBox` in
// modules and no width/height, so CSS sizes it and `shape-rendering="crispEdges"` keeps the
// edges sharp at any scale. Errors: `qr_empty` for an empty text, `qr_too_long` when the text
// does not fit in a version-40 symbol (2331 bytes at level M).
Result<std::string> qr_svg(std::string_view text);

} // namespace vikno::media
