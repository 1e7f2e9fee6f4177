// The one check of stored names, labels and texts: what would cut them short or make them read
// differently from what they hold is refused.
#include "common/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vikno::text {
namespace {

TEST(Text, PlainUkrainianAndEnglishPass) {
  EXPECT_EQ(problem("ЦНАП Кропивницький — «Вікно 1», м'ясо & co."), std::nullopt);
  EXPECT_EQ(problem(""), std::nullopt);
  EXPECT_EQ(problem("emoji ✅ 👍"), std::nullopt);
  EXPECT_EQ(problem("перший рядок\nдругий\r\n\tтретій", Kind::paragraphs), std::nullopt);
}

TEST(Text, NulControlsAndBidiOverridesAreRefused) {
  EXPECT_NE(problem(std::string("ab\0cd", 5)), std::nullopt);
  EXPECT_NE(problem(std::string("ab\0cd", 5), Kind::paragraphs), std::nullopt);
  EXPECT_NE(problem("line\nbreak"), std::nullopt);
  EXPECT_NE(problem("tab\there"), std::nullopt);
  EXPECT_NE(problem("bell\a"), std::nullopt);
  EXPECT_NE(problem("del\x7f"), std::nullopt);
  EXPECT_NE(problem("c1 \xc2\x85"), std::nullopt); // U+0085 NEXT LINE
  for (const char* bidi : {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
                           "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"}) {
    EXPECT_NE(problem(std::string("name ") + bidi + "x"), std::nullopt) << bidi;
    EXPECT_NE(problem(std::string("name ") + bidi + "x", Kind::paragraphs), std::nullopt) << bidi;
  }
  EXPECT_EQ(problem("\xe2\x80\x8f"), std::nullopt); // U+200F RIGHT-TO-LEFT MARK is not an override
}

TEST(Text, BytesThatAreNotUtf8AreRefused) {
  for (const char* bad : {"\xff", "\xc0\xaf", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x80"}) {
    EXPECT_NE(problem(bad), std::nullopt) << bad;
  }
}

} // namespace
} // namespace vikno::text
