#include <gtest/gtest.h>

#include "registry/search.hpp"

namespace vikno::registry {
namespace {

TEST(RegistrySearch, LowerCasesCyrillicIncludingUkrainianLetters) {
  EXPECT_EQ(normalize_search_text("ПАСПОРТ Громадянина"), "паспорт громадянина");
  EXPECT_EQ(normalize_search_text("ЇЖАК Євген ІВАН Ґанок"), "їжак євген іван ґанок");
  EXPECT_EQ(normalize_search_text("ID-картка"), "id картка");
}

TEST(RegistrySearch, ApostropheVariantsAllVanish) {
  const std::string expected = "сімї";
  EXPECT_EQ(normalize_search_text("сім'ї"), expected);
  EXPECT_EQ(normalize_search_text("сім’ї"), expected);
  EXPECT_EQ(normalize_search_text("сімʼї"), expected);
  EXPECT_EQ(normalize_search_text("СІМ`Ї"), expected);
}

TEST(RegistrySearch, PunctuationCollapsesToSingleSpaces) {
  EXPECT_EQ(normalize_search_text("  «Про адміністративні   послуги», ст. 8 "), "про адміністративні послуги ст 8");
  EXPECT_EQ(normalize_search_text(""), "");
}

TEST(RegistrySearch, InvalidUtf8IsDroppedNotFatal) {
  EXPECT_EQ(normalize_search_text(std::string("па\xff\xfeспорт")), "паспорт");
  EXPECT_EQ(normalize_search_text(std::string("\xd0")), "");
}

TEST(RegistrySearch, QueryWordsLoseCommonEndings) {
  EXPECT_EQ(search_words("паспорт"), std::vector<std::string>{"паспорт"});
  EXPECT_EQ(search_words("Паспорти"), std::vector<std::string>{"паспорт"});
  EXPECT_EQ(search_words("ПАСПОРТА"), std::vector<std::string>{"паспорт"});
  EXPECT_EQ(search_words("реєстрація місця"), (std::vector<std::string>{"реєстраці", "місц"}));
  // Short words keep their endings: nothing shorter than four letters is left.
  EXPECT_EQ(search_words("ФОП"), std::vector<std::string>{"фоп"});
  EXPECT_EQ(search_words("і в"), std::vector<std::string>{});
}

TEST(RegistrySearch, ANormalizedQueryWordIsASubstringOfTheTitle) {
  const std::string title = normalize_search_text("Оформлення паспорта громадянина України для виїзду за кордон");
  for (const char* q : {"паспорт", "ПАСПОРТ", "паспорти", "Україна", "виїзд", "кордону"}) {
    for (const auto& w : search_words(q)) {
      EXPECT_NE(title.find(w), std::string::npos) << q << " -> " << w;
    }
  }
}

TEST(RegistrySearch, AtMostMaxWords) { EXPECT_EQ(search_words("а1 б2 в3 г4 д5", 3).size(), 3U); }

} // namespace
} // namespace vikno::registry
