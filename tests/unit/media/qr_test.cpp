// QR codes as SVG, checked against libqrencode itself: the dark modules drawn by the path must be
// exactly the symbol's, shifted by the quiet zone, so any scanner reads what libqrencode encoded.
#include "media/qr.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <memory>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace vikno::media {
namespace {

using Module = std::pair<int, int>; // x, y in viewBox units

int view_box_side(const std::string& svg) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(svg, match, std::regex(R"re(viewBox="0 0 (\d+) (\d+)")re")));
  if (match.empty()) {
    return 0;
  }
  EXPECT_EQ(match[1], match[2]);
  return std::stoi(match[1]);
}

// The modules the path paints, from its "Mx yhNv1h-Nz" runs.
std::set<Module> painted(const std::string& svg) {
  std::smatch path;
  EXPECT_TRUE(std::regex_search(svg, path, std::regex(R"re(<path fill="#000" d="([^"]*)")re")));
  std::set<Module> modules;
  if (path.empty()) {
    return modules;
  }
  const std::string d = path[1];
  const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  std::size_t covered = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator(); ++it) {
    const int x = std::stoi((*it)[1]);
    const int y = std::stoi((*it)[2]);
    const int length = std::stoi((*it)[3]);
    EXPECT_EQ(length, std::stoi((*it)[4]));
    for (int i = 0; i < length; ++i) {
      modules.emplace(x + i, y);
    }
    covered += static_cast<std::size_t>(it->length());
  }
  EXPECT_EQ(covered, d.size()) << "the path holds something other than runs";
  return modules;
}

std::set<Module> expected_modules(const std::string& text) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeData(static_cast<int>(text.size()),
                                                                    reinterpret_cast<const unsigned char*>(text.data()),
                                                                    0, QR_ECLEVEL_M),
                                                  QRcode_free);
  std::set<Module> modules;
  EXPECT_NE(code.get(), nullptr);
  if (!code) {
    return modules;
  }
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if ((code->data[y * code->width + x] & 1U) != 0) {
        modules.emplace(x + 4, y + 4);
      }
    }
  }
  return modules;
}

// A finder pattern with its top-left corner at (left, top): a dark 7x7 ring, a light ring, a dark
// 3x3 center.
void expect_finder(const std::set<Module>& dark, int left, int top) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      const bool center = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      EXPECT_EQ(dark.contains({left + x, top + y}), ring || center)
          << "finder at (" << left << ", " << top << "), module (" << x << ", " << y << ")";
    }
  }
}

TEST(QrSvg, IsAnSvgDocument) {
  auto svg = qr_svg("https://vikno.example/t/А-015");
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg->ends_with("</svg>"));
  EXPECT_NE(svg->find(R"(shape-rendering="crispEdges")"), std::string::npos);
  EXPECT_EQ(svg->find("width=\"100"), std::string::npos) << "no fixed size: CSS scales it";
  // One path of dark modules, on a white background.
  EXPECT_NE(svg->find(R"(fill="#fff")"), std::string::npos);
  const std::string path = "<path";
  const auto first = svg->find(path);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(svg->find(path, first + 1), std::string::npos);
}

TEST(QrSvg, ShortTextIsVersionOneWithQuietZone) {
  auto svg = qr_svg("А-015"); // 7 bytes: version 1 holds 14 at level M
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_EQ(view_box_side(*svg), 21 + 2 * 4);
}

TEST(QrSvg, LongerTextGrowsTheSymbol) {
  auto svg = qr_svg("https://vikno.example/booking/2024-05-14/confirm?code=7KQ2M9");
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_GT(view_box_side(*svg), 29);
  EXPECT_EQ((view_box_side(*svg) - 8 - 17) % 4, 0) << "a QR side is 17 + 4 * version";
}

TEST(QrSvg, PathPaintsExactlyTheSymbolsDarkModules) {
  for (const std::string& text :
       std::vector<std::string>{"А-015", "https://vikno.example/t/9f8e7d6c", std::string(300, 'z')}) {
    auto svg = qr_svg(text);
    ASSERT_TRUE(svg) << svg.error().message;
    const std::set<Module> dark = painted(*svg);
    EXPECT_EQ(dark, expected_modules(text)) << text;
    const int side = view_box_side(*svg);
    expect_finder(dark, 4, 4);
    expect_finder(dark, side - 4 - 7, 4);
    expect_finder(dark, 4, side - 4 - 7);
    // Nothing in the quiet zone.
    for (const auto& [x, y] : dark) {
      ASSERT_TRUE(x >= 4 && y >= 4 && x < side - 4 && y < side - 4) << x << "," << y;
    }
  }
}

TEST(QrSvg, BytesIncludingNulAreEncoded) {
  const std::string text("a\0b", 3);
  auto svg = qr_svg(text);
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_EQ(painted(*svg), expected_modules(text));
}

TEST(QrSvg, TextThatDoesNotFitIsAnError) {
  // Version 40 at level M holds 2331 bytes.
  EXPECT_TRUE(qr_svg(std::string(2331, 'x')));
  auto too_long = qr_svg(std::string(2332, 'x'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, "qr_too_long");
  EXPECT_EQ(too_long.error().kind, ErrorKind::invalid_input);
}

TEST(QrSvg, EmptyTextIsAnError) {
  auto empty = qr_svg("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "qr_empty");
}

// What qr_svg printed before it was built on qr_matrix (commit 42fcb39), byte for byte: the kiosk's
// tickets and the booking pages keep the same codes.
TEST(QrSvg, OutputIsUnchangedByTheMatrix) {
  const std::string before =
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" shape-rendering="crispEdges"><rect width="29" height="29" fill="#fff"/><path fill="#000" d="M4 4h7v1h-7zM13 4h2v1h-2zM16 4h1v1h-1zM18 4h7v1h-7zM4 5h1v1h-1zM10 5h1v1h-1zM14 5h1v1h-1zM18 5h1v1h-1zM24 5h1v1h-1zM4 6h1v1h-1zM6 6h3v1h-3zM10 6h1v1h-1zM13 6h1v1h-1zM15 6h1v1h-1zM18 6h1v1h-1zM20 6h3v1h-3zM24 6h1v1h-1zM4 7h1v1h-1zM6 7h3v1h-3zM10 7h1v1h-1zM14 7h3v1h-3zM18 7h1v1h-1zM20 7h3v1h-3zM24 7h1v1h-1zM4 8h1v1h-1zM6 8h3v1h-3zM10 8h1v1h-1zM13 8h1v1h-1zM16 8h1v1h-1zM18 8h1v1h-1zM20 8h3v1h-3zM24 8h1v1h-1zM4 9h1v1h-1zM10 9h1v1h-1zM12 9h2v1h-2zM15 9h2v1h-2zM18 9h1v1h-1zM24 9h1v1h-1zM4 10h7v1h-7zM12 10h1v1h-1zM14 10h1v1h-1zM16 10h1v1h-1zM18 10h7v1h-7zM13 11h1v1h-1zM15 11h2v1h-2zM4 12h1v1h-1zM7 12h1v1h-1zM9 12h2v1h-2zM12 12h3v1h-3zM17 12h1v1h-1zM19 12h1v1h-1zM4 13h1v1h-1zM11 13h1v1h-1zM14 13h1v1h-1zM18 13h2v1h-2zM21 13h3v1h-3zM4 14h3v1h-3zM8 14h1v1h-1zM10 14h2v1h-2zM13 14h1v1h-1zM16 14h2v1h-2zM21 14h2v1h-2zM24 14h1v1h-1zM7 15h1v1h-1zM11 15h3v1h-3zM15 15h1v1h-1zM21 15h1v1h-1zM23 15h1v1h-1zM4 16h3v1h-3zM8 16h4v1h-4zM14 16h1v1h-1zM16 16h1v1h-1zM18 16h1v1h-1zM20 16h1v1h-1zM22 16h3v1h-3zM12 17h2v1h-2zM15 17h1v1h-1zM21 17h3v1h-3zM4 18h7v1h-7zM13 18h2v1h-2zM17 18h1v1h-1zM20 18h1v1h-1zM23 18h1v1h-1zM4 19h1v1h-1zM10 19h1v1h-1zM12 19h1v1h-1zM15 19h3v1h-3zM24 19h1v1h-1zM4 20h1v1h-1zM6 20h3v1h-3zM10 20h1v1h-1zM14 20h2v1h-2zM18 20h3v1h-3zM22 20h1v1h-1zM24 20h1v1h-1zM4 21h1v1h-1zM6 21h3v1h-3zM10 21h1v1h-1zM12 21h1v1h-1zM14 21h2v1h-2zM19 21h6v1h-6zM4 22h1v1h-1zM6 22h3v1h-3zM10 22h1v1h-1zM14 22h1v1h-1zM16 22h1v1h-1zM20 22h1v1h-1zM24 22h1v1h-1zM4 23h1v1h-1zM10 23h1v1h-1zM13 23h2v1h-2zM17 23h2v1h-2zM4 24h7v1h-7zM12 24h2v1h-2zM15 24h2v1h-2zM19 24h1v1h-1zM21 24h3v1h-3z"/></svg>)svg";
  auto svg = qr_svg("VIKNO-1");
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_EQ(*svg, before);
}

TEST(QrMatrix, HasTheSymbolsModulesWithoutQuietZone) {
  for (const std::string& text : std::vector<std::string>{"VIKNO-1", "https://vikno.example/c/ABCDEFGHJKMNPQRS"}) {
    auto matrix = qr_matrix(text);
    ASSERT_TRUE(matrix) << matrix.error().message;
    ASSERT_EQ(matrix->dark.size(), static_cast<std::size_t>(matrix->size) * static_cast<std::size_t>(matrix->size));
    std::set<Module> dark;
    for (int y = 0; y < matrix->size; ++y) {
      for (int x = 0; x < matrix->size; ++x) {
        if (matrix->at(x, y)) {
          dark.emplace(x + 4, y + 4);
        }
      }
    }
    EXPECT_EQ(dark, expected_modules(text)) << text;
    auto svg = qr_svg(text);
    ASSERT_TRUE(svg);
    EXPECT_EQ(view_box_side(*svg), matrix->size + 8);
    EXPECT_EQ(painted(*svg), dark) << "qr_svg draws the matrix";
  }
  EXPECT_EQ(qr_matrix("VIKNO-1")->size, 21);
}

TEST(QrMatrix, ErrorsAreQrSvgs) {
  EXPECT_EQ(qr_matrix("").error().code, "qr_empty");
  EXPECT_EQ(qr_matrix(std::string(2332, 'x')).error().code, "qr_too_long");
}

} // namespace
} // namespace vikno::media
