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

} // namespace
} // namespace vikno::media
