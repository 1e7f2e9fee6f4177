#include "media/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <climits>
#include <memory>
#include <new>
#include <string>

namespace vikno::media {
namespace {

// The quiet zone the standard requires around the symbol (ISO/IEC 18004, 4 modules).
constexpr int kQuietZone = 4;

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

} // namespace

Result<QrMatrix> qr_matrix(std::string_view text) {
  if (text.empty()) {
    return fail(Error::invalid("qr_empty", "nothing to encode in a QR code"));
  }
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    return fail(Error::invalid("qr_too_long", "the text does not fit in a QR code"));
  }
  // encodeData rather than encodeString8bit: the text may hold NUL bytes. Version 0 picks the
  // smallest version that fits.
  errno = 0;
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeData(
      static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (!code) {
    if (errno == ERANGE || errno == EINVAL) {
      return fail(Error::invalid("qr_too_long", "the text (" + std::to_string(text.size()) +
                                                    " bytes) does not fit in a QR code at error correction level M"));
    }
    throw std::bad_alloc(); // ENOMEM: the only other failure libqrencode reports
  }
  QrMatrix matrix;
  matrix.size = code->width;
  const std::size_t cells = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  matrix.dark.resize(cells);
  for (std::size_t i = 0; i < cells; ++i) {
    matrix.dark[i] = (code->data[i] & 1U) != 0; // bit 0: dark; the other bits say which part it is
  }
  return matrix;
}

Result<std::string> qr_svg(std::string_view text) {
  VIKNO_TRY(matrix, qr_matrix(text));
  const int width = matrix.size;
  const int side = width + 2 * kQuietZone;
  const std::string size = std::to_string(side);
  std::string svg;
  svg.reserve(256 + static_cast<std::size_t>(width) * static_cast<std::size_t>(width) * 4);
  svg.append(R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )").append(size).append(" ").append(size);
  svg.append(R"(" shape-rendering="crispEdges"><rect width=")").append(size).append(R"(" height=")").append(size);
  svg.append(R"(" fill="#fff"/><path fill="#000" d=")");
  // One subpath per horizontal run of dark modules: a third of the size of one per module.
  for (int y = 0; y < width; ++y) {
    int x = 0;
    while (x < width) {
      if (!matrix.at(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && matrix.at(x + run, y)) {
        ++run;
      }
      const std::string length = std::to_string(run);
      svg.append("M").append(std::to_string(x + kQuietZone)).append(" ").append(std::to_string(y + kQuietZone));
      svg.append("h").append(length).append("v1h-").append(length).append("z");
      x += run;
    }
  }
  svg += R"("/></svg>)";
  return svg;
}

} // namespace vikno::media
