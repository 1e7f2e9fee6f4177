#include <gtest/gtest.h>

#include "registry/validation.hpp"

namespace vikno::registry {
namespace {

std::vector<std::string> fields(const Problems& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) {
    out.push_back(p.field);
  }
  return out;
}

TEST(RegistryValidation, KatottgIsUaAndSeventeenDigits) {
  EXPECT_TRUE(valid_katottg("UA12020010010052307"));
  EXPECT_FALSE(valid_katottg("UA1202001001005230"));   // 16 digits
  EXPECT_FALSE(valid_katottg("UA120200100100523071")); // 18 digits
  EXPECT_FALSE(valid_katottg("ua12020010010052307"));
  EXPECT_FALSE(valid_katottg("UA1202001001005230X"));
  EXPECT_FALSE(valid_katottg(""));
}

TEST(RegistryValidation, TimesOfDay) {
  EXPECT_EQ(parse_hhmm("08:00"), 480);
  EXPECT_EQ(parse_hhmm("24:00"), 1440);
  EXPECT_EQ(parse_hhmm("24:01"), std::nullopt);
  EXPECT_EQ(parse_hhmm("8:00"), std::nullopt);
  EXPECT_EQ(parse_hhmm("12:60"), std::nullopt);
  EXPECT_EQ(format_hhmm(1200), "20:00");
  EXPECT_EQ(format_hhmm(65), "01:05");
}

TEST(RegistryValidation, OverlappingHoursOnOneDayAreRefusedWithTheLaterIndex) {
  Problems out;
  check_hours({{1, 480, 780}, {2, 480, 1020}, {1, 720, 1020}}, "", out);
  ASSERT_EQ(fields(out), std::vector<std::string>{"hours[2]"});
  EXPECT_NE(out[0].problem.find("hours[0]"), std::string::npos);
}

TEST(RegistryValidation, ALunchBreakIsNotAnOverlap) {
  Problems out;
  check_hours({{1, 480, 720}, {1, 720, 1020}, {6, 540, 960}}, "", out);
  EXPECT_TRUE(out.empty());
}

TEST(RegistryValidation, HoursMustCloseAfterOpeningOnARealWeekday) {
  Problems out;
  check_hours({{1, 600, 600}, {8, 480, 600}}, "centers[0].", out);
  EXPECT_EQ(fields(out), (std::vector<std::string>{"centers[0].hours[0].closes", "centers[0].hours[1].weekday"}));
}

TEST(RegistryValidation, WindowNumberUsedTwice) {
  Problems out;
  check_windows({{0, 1, "Вікно 1", true, 1}, {0, 2, "", true, 1}, {0, 1, "ще раз", true, 1}}, "", out);
  EXPECT_EQ(fields(out), std::vector<std::string>{"windows[2].number"});
}

TEST(RegistryValidation, CenterProblemsAreAllReported) {
  CenterProfile c;
  c.name_uk = "";
  c.katottg = "UA1";
  c.kind = CenterKind::branch; // without a parent
  c.technical_condition = 6;
  c.latitude = 48.5;
  c.time_zone = "Kyiv";
  Problems out;
  check_center(c, "", out);
  EXPECT_EQ(fields(out), (std::vector<std::string>{"name_uk", "katottg", "parent_id", "longitude", "time_zone",
                                                   "technical_condition"}));
}

TEST(RegistryValidation, ServiceCardFeeTermAndLists) {
  ServiceCard card;
  card.title_uk = "Реєстрація місця проживання";
  card.fee_kopiykas = -1;
  card.term = {-2, TermUnit::working_days};
  card.channels = {{Channel::online, ""}, {Channel::online, ""}};
  card.purposes = {Purpose::consultation, Purpose::consultation};
  card.documents = {{"", "без назви"}};
  Problems out;
  check_service_card(card, "", out);
  EXPECT_EQ(fields(out), (std::vector<std::string>{"fee.kopiykas", "term.days", "documents[0].name",
                                                   "channels[1].channel", "purposes[1]"}));
}

TEST(RegistryValidation, LinksMustBeHttpOrHttps) {
  CenterProfile c;
  c.name_uk = "ЦНАП";
  c.website = "javascript:alert(1)";
  Problems out;
  check_center(c, "centers[2].", out);
  EXPECT_EQ(fields(out), std::vector<std::string>{"centers[2].website"});
  c.website = "https://cnap.example.gov.ua";
  out.clear();
  check_center(c, "", out);
  EXPECT_TRUE(out.empty());

  ServiceCard card;
  card.title_uk = "Послуга";
  card.legal_basis = {{"Закон", "https://zakon.rada.gov.ua/laws/show/1"},
                      {"Постанова", "data:text/html,x"},
                      {"Без посилання", ""},
                      {"Наказ", "vbscript:msgbox"}};
  out.clear();
  check_service_card(card, "", out);
  EXPECT_EQ(fields(out), (std::vector<std::string>{"legal_basis[1].url", "legal_basis[3].url"}));
}

TEST(RegistryValidation, NamesAndLabelsRefuseNulControlsAndBidiOverrides) {
  CenterProfile c;
  c.name_uk = std::string("ЦНАП\0", 9);
  c.name_en = "Center \u202e";
  c.address = "вул. Миру\n1";
  Problems out;
  check_center(c, "", out);
  EXPECT_EQ(fields(out), (std::vector<std::string>{"name_uk", "name_en", "address"}));
  out.clear();
  check_windows({{0, 1, "Вікно \u2066", true, 1}}, "", out);
  EXPECT_EQ(fields(out), std::vector<std::string>{"windows[0].label"});

  ServiceCard card;
  card.title_uk = "Послуга";
  card.description = "Перший абзац.\n\nДругий абзац.";
  out.clear();
  check_service_card(card, "", out);
  EXPECT_TRUE(out.empty()) << "a description may hold line breaks";
  card.description = "текст \u202e";
  check_service_card(card, "", out);
  EXPECT_EQ(fields(out), std::vector<std::string>{"description"});
}

TEST(RegistryValidation, ADefaultCardIsThirtyCalendarDaysAndFree) {
  ServiceCard card;
  EXPECT_EQ(card.term.days, 30);
  EXPECT_EQ(card.term.unit, TermUnit::calendar_days);
  EXPECT_FALSE(card.term_set_by_law);
  EXPECT_EQ(card.fee_kopiykas, 0);
}

TEST(RegistryValidation, GroupTicketLetterIsOneLetterOfAnyScript) {
  Problems out;
  check_group({"passports", "Паспорти", "", "П", 0}, "", out);
  check_group({"land", "Земля", "", "Z", 0}, "", out);
  EXPECT_TRUE(out.empty());
  check_group({"bad", "Погано", "", "AB", 0}, "", out);
  EXPECT_EQ(fields(out), std::vector<std::string>{"ticket_letter"});
}

TEST(RegistryValidation, ToResultCarriesEveryProblem) {
  auto r = to_result({{"a", "x", 0}, {"b", "y", 0}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(r.error().problems.size(), 2U);
  EXPECT_TRUE(to_result({}));
}

} // namespace
} // namespace vikno::registry
