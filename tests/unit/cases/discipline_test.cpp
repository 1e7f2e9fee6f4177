// The executive discipline report against dates checked by hand on a wall calendar of December
// 2026: Tue 1, Fri 4, Fri 18, Sat 19, Sun 20, Mon 21, Tue 22, Thu 24, Fri 25 (Christmas, a working
// day under martial law), Sat 26, Sun 27, Mon 28, Tue 29.
#include "cases/discipline.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "common/csv.hpp"

namespace vikno::cases::discipline {
namespace {

Date d(int y, unsigned m, unsigned day) { return calendar::make_date(y, m, day); }

const calendar::Calendar& ua() {
  static const calendar::Calendar calendar = calendar::Calendar::ukraine();
  return calendar;
}

// Ukraine's calendar as it would be without martial law (holidays are days off again).
const calendar::Calendar& peacetime() {
  static const calendar::Calendar calendar = [] {
    auto rules = calendar::ukraine_rules();
    rules.martial_law.clear();
    return calendar::Calendar(rules);
  }();
  return calendar;
}

int next_id = 0;

Fact fact(std::string registered, std::string due, std::string decided = "", std::string closed = "",
          std::int64_t provider = 5, std::int64_t service = 12) {
  Fact f;
  f.id = "case-" + std::to_string(++next_id);
  f.number = "cnap-" + std::to_string(next_id);
  f.center_id = 1;
  f.provider_id = provider;
  f.provider_name = "Провайдер " + std::to_string(provider);
  f.service_id = service;
  f.service_title = "Послуга " + std::to_string(service);
  f.status = decided.empty() ? "in_review" : "issued";
  f.registered_on = std::move(registered);
  f.due_on = std::move(due);
  f.decided_on = std::move(decided);
  f.closed_on = std::move(closed);
  return f;
}

Standing standing(const Fact& f, Date as_of, int within = 2, const calendar::Calendar& cal = ua()) {
  return standing_of(f, Options{as_of, within}, cal);
}

TEST(DisciplineDates, DefaultAsOfIsThe21stOrTodayWhenEarlier) {
  EXPECT_EQ(default_as_of(d(2026, 12, 3)), d(2026, 12, 3));
  EXPECT_EQ(default_as_of(d(2026, 12, 21)), d(2026, 12, 21));
  EXPECT_EQ(default_as_of(d(2026, 12, 30)), d(2026, 12, 21));
  EXPECT_EQ(month_start(d(2026, 12, 21)), d(2026, 12, 1));
}

TEST(DisciplineStanding, DueSoonWindowFromAFridayReachesOverTheWeekendToTuesday) {
  const Date fri = d(2026, 12, 18); // 2 working days after: Mon 21, Tue 22
  EXPECT_EQ(ua().add_working_days(fri, 2), d(2026, 12, 22));
  auto due_soon = [&](const char* due) { return standing(fact("2026-12-01", due), fri).due_soon; };
  EXPECT_TRUE(due_soon("2026-12-18"));  // due today: not overdue yet
  EXPECT_TRUE(due_soon("2026-12-19"));  // Saturday
  EXPECT_TRUE(due_soon("2026-12-20"));  // Sunday
  EXPECT_TRUE(due_soon("2026-12-22"));  // the 2nd working day
  EXPECT_FALSE(due_soon("2026-12-23")); // the 3rd
  EXPECT_FALSE(due_soon("2026-12-17")); // yesterday: overdue instead
  // within 0: due today only.
  EXPECT_TRUE(standing(fact("2026-12-01", "2026-12-18"), fri, 0).due_soon);
  EXPECT_FALSE(standing(fact("2026-12-01", "2026-12-19"), fri, 0).due_soon);
}

TEST(DisciplineStanding, ChristmasUnderMartialLawIsAWorkingDayOfTheWindow) {
  const Date thu = d(2026, 12, 24);
  // Under martial law Fri Dec 25 is worked: the window is Fri 25, Mon 28.
  EXPECT_TRUE(standing(fact("2026-12-01", "2026-12-28"), thu).due_soon);
  EXPECT_FALSE(standing(fact("2026-12-01", "2026-12-29"), thu).due_soon);
  // Without martial law Dec 25 is a day off: Mon 28, Tue 29.
  EXPECT_TRUE(standing(fact("2026-12-01", "2026-12-29"), thu, 2, peacetime()).due_soon);
}

TEST(DisciplineStanding, OverdueDaysAreCalendarDaysFromTheDeadline) {
  const Date as_of = d(2026, 12, 21);
  Standing one = standing(fact("2026-12-01", "2026-12-20"), as_of);
  EXPECT_TRUE(one.in_work);
  EXPECT_TRUE(one.overdue);
  EXPECT_FALSE(one.due_soon);
  EXPECT_EQ(one.days_overdue, 1);
  Standing many = standing(fact("2026-11-02", "2026-11-16"), as_of);
  EXPECT_EQ(many.days_overdue, 35); // Nov 16 -> Nov 30: 14, + 21
}

TEST(DisciplineStanding, InWorkFollowsTheDatesNotTheCurrentStatus) {
  const Date as_of = d(2026, 12, 18);
  EXPECT_FALSE(standing(fact("2026-12-19", "2026-12-30"), as_of).in_work); // registered later
  EXPECT_TRUE(standing(fact("2026-12-18", "2026-12-30"), as_of).in_work);  // registered that day
  // Decided that day: finished, no longer in work.
  Standing decided = standing(fact("2026-12-01", "2026-12-20", "2026-12-18", ""), as_of);
  EXPECT_FALSE(decided.in_work);
  EXPECT_TRUE(decided.finished_on_time);
  // Decided after the report's date: still in work then (a past report recomputed).
  Standing later = standing(fact("2026-12-01", "2026-12-10", "2026-12-19", ""), as_of);
  EXPECT_TRUE(later.in_work);
  EXPECT_TRUE(later.overdue);
  EXPECT_EQ(later.days_overdue, 8);
  EXPECT_FALSE(later.finished_late);
  // Withdrawn (closed without a decision): out of work from that day, never finished.
  Standing withdrawn = standing(fact("2026-12-01", "2026-12-10", "", "2026-12-05"), as_of);
  EXPECT_FALSE(withdrawn.in_work);
  EXPECT_FALSE(withdrawn.overdue);
  EXPECT_FALSE(withdrawn.finished_on_time || withdrawn.finished_late);
  EXPECT_TRUE(standing(fact("2026-12-01", "2026-12-30", "", "2026-12-19"), as_of).in_work);
}

TEST(DisciplineStanding, FinishedThisMonthOnTimeOrLate) {
  const Date as_of = d(2026, 12, 21);
  EXPECT_TRUE(standing(fact("2026-11-20", "2026-12-01", "2026-12-01"), as_of).finished_on_time); // first day
  EXPECT_TRUE(standing(fact("2026-11-20", "2026-12-09", "2026-12-10"), as_of).finished_late);
  EXPECT_TRUE(standing(fact("2026-11-20", "2026-12-25", "2026-12-21"), as_of).finished_on_time); // on as_of
  Standing last_month = standing(fact("2026-11-02", "2026-11-10", "2026-11-30"), as_of);
  EXPECT_FALSE(last_month.finished_on_time || last_month.finished_late || last_month.in_work);
  EXPECT_FALSE(standing(fact("2026-12-02", "2026-12-30", "2026-12-22"), as_of).finished_on_time); // after as_of
}

TEST(DisciplineReport, CountsPerProviderAndServiceWithTotalsAndLateShare) {
  const Date as_of = d(2026, 12, 21); // Mon; due soon through Wed 23
  std::vector<Fact> facts = {
      // Provider 5, service 12: 2 in work (1 overdue 3 days, 1 due soon), 2 on time, 1 late.
      fact("2026-12-01", "2026-12-18"),
      fact("2026-12-10", "2026-12-23"),
      fact("2026-11-25", "2026-12-09", "2026-12-08"),
      fact("2026-11-25", "2026-12-09", "2026-12-09"),
      fact("2026-11-25", "2026-12-09", "2026-12-11"),
      // Provider 5, service 13: overdue by 11 days, on track.
      fact("2026-11-20", "2026-12-10", "", "", 5, 13),
      fact("2026-12-15", "2026-12-29", "", "", 5, 13),
      // Provider 7: decided last month (nothing to count), and one on time.
      fact("2026-11-01", "2026-11-15", "2026-11-14", "", 7, 20),
      fact("2026-12-01", "2026-12-15", "2026-12-14", "", 7, 21),
  };
  Report r = build(facts, Options{as_of, 2}, ua());
  EXPECT_EQ(r.month_from, d(2026, 12, 1));
  EXPECT_EQ(r.due_soon_until, d(2026, 12, 23));
  ASSERT_EQ(r.providers.size(), 2U);
  const ProviderLine& p5 = r.providers[0];
  EXPECT_EQ(p5.provider_id, 5);
  ASSERT_EQ(p5.services.size(), 2U);
  EXPECT_EQ(p5.services[0].service_id, 12);
  const Counts& s12 = p5.services[0].counts;
  EXPECT_EQ(s12.in_work, 2);
  EXPECT_EQ(s12.overdue, 1);
  EXPECT_EQ(s12.overdue_days_max, 3);
  EXPECT_EQ(s12.due_soon, 1);
  EXPECT_EQ(s12.finished_on_time, 2);
  EXPECT_EQ(s12.finished_late, 1);
  EXPECT_DOUBLE_EQ(s12.late_share, 33.33);
  const Counts& s13 = p5.services[1].counts;
  EXPECT_EQ(s13.in_work, 2);
  EXPECT_EQ(s13.overdue, 1);
  EXPECT_EQ(s13.overdue_days_max, 11);
  EXPECT_DOUBLE_EQ(s13.late_share, 0.0); // nothing finished
  EXPECT_EQ(p5.counts.in_work, 4);
  EXPECT_EQ(p5.counts.overdue, 2);
  EXPECT_EQ(p5.counts.overdue_days_max, 11);
  EXPECT_EQ(p5.counts.overdue_days_sum, 14);
  EXPECT_DOUBLE_EQ(p5.counts.late_share, 33.33);
  const ProviderLine& p7 = r.providers[1];
  ASSERT_EQ(p7.services.size(), 1U); // service 20 had nothing this month
  EXPECT_EQ(p7.services[0].service_id, 21);
  EXPECT_EQ(r.total.in_work, 4);
  EXPECT_EQ(r.total.finished_on_time, 3);
  EXPECT_EQ(r.total.finished_late, 1);
  EXPECT_DOUBLE_EQ(r.total.late_share, 25.0);
  EXPECT_EQ(r.total.overdue_days_sum, 14);
}

TEST(DisciplineReport, APastReportIsRecomputedFromTheSameFacts) {
  std::vector<Fact> facts = {fact("2026-11-02", "2026-11-16", "2026-12-10"), fact("2026-11-25", "2026-12-09")};
  Report november = build(facts, Options{d(2026, 11, 21), 2}, ua());
  ASSERT_EQ(november.providers.size(), 1U);
  EXPECT_EQ(november.total.in_work, 1); // the second was not registered yet
  EXPECT_EQ(november.total.overdue, 1);
  EXPECT_EQ(november.total.overdue_days_max, 5);
  EXPECT_EQ(november.total.finished_late, 0);
  Report december = build(facts, Options{d(2026, 12, 21), 2}, ua());
  EXPECT_EQ(december.total.in_work, 1);
  EXPECT_EQ(december.total.overdue_days_max, 12);
  EXPECT_EQ(december.total.finished_late, 1);
  EXPECT_DOUBLE_EQ(december.total.late_share, 100.0);
}

TEST(DisciplineReport, ProvidersAndServicesInUkrainianAlphabeticalOrder) {
  std::vector<Fact> facts = {fact("2026-12-01", "2026-12-30", "", "", 1), fact("2026-12-01", "2026-12-30", "", "", 2),
                             fact("2026-12-01", "2026-12-30", "", "", 3), fact("2026-12-01", "2026-12-30", "", "", 4)};
  facts[0].provider_name = "Управління соціального захисту";
  facts[1].provider_name = "Єдиний державний реєстр";
  facts[2].provider_name = "Головне управління Держгеокадастру";
  facts[3].provider_name = "Ґрунтознавча служба";
  Report r = build(facts, Options{d(2026, 12, 21), 2}, ua());
  ASSERT_EQ(r.providers.size(), 4U);
  // In UTF-8 bytes "Є" and "Ґ" sort before "А": the Ukrainian alphabet puts them after Г and Е.
  EXPECT_EQ(r.providers[0].provider_name, "Головне управління Держгеокадастру");
  EXPECT_EQ(r.providers[1].provider_name, "Ґрунтознавча служба");
  EXPECT_EQ(r.providers[2].provider_name, "Єдиний державний реєстр");
  EXPECT_EQ(r.providers[3].provider_name, "Управління соціального захисту");
  EXPECT_TRUE(uk_less("ліс", "Ліси"));
  EXPECT_TRUE(uk_less("Ирпінь", "Іршава"));
  EXPECT_TRUE(uk_less("Іршава", "Їжакевич"));
}

TEST(DisciplineReport, NothingToCountIsAnEmptyReportWithZeroShare) {
  Report r = build({}, Options{d(2026, 12, 21), 2}, ua());
  EXPECT_TRUE(r.providers.empty());
  EXPECT_EQ(r.total, Counts{});
}

Report sample() {
  std::vector<Fact> facts = {fact("2026-12-01", "2026-12-18"), fact("2026-11-25", "2026-12-09", "2026-12-11")};
  facts[0].provider_name = facts[1].provider_name = "=HYPERLINK(\"http://evil\")";
  return build(facts, Options{d(2026, 12, 21), 2}, ua());
}

TEST(DisciplineViews, JsonHasTheContractShape) {
  boost::json::object j = to_json(sample());
  EXPECT_EQ(j.at("as_of").as_string(), "2026-12-21");
  EXPECT_EQ(j.at("month_from").as_string(), "2026-12-01");
  EXPECT_EQ(j.at("within").as_int64(), 2);
  const auto& p = j.at("providers").as_array().at(0).as_object();
  EXPECT_EQ(p.at("provider_id").as_int64(), 5);
  EXPECT_EQ(p.at("overdue").as_int64(), 1);
  EXPECT_EQ(p.at("overdue_days_max").as_int64(), 3);
  EXPECT_DOUBLE_EQ(p.at("late_share").as_double(), 100.0);
  const auto& s = p.at("services").as_array().at(0).as_object();
  EXPECT_EQ(s.at("service_id").as_int64(), 12);
  EXPECT_EQ(s.at("service_title").as_string(), "Послуга 12");
  EXPECT_EQ(j.at("total").as_object().at("in_work").as_int64(), 1);
}

TEST(DisciplineViews, CsvHasUkrainianTitlesARowPerProviderAndServiceAndNeutralisesFormulas) {
  std::string text = to_csv(sample());
  auto records = csv::read(text);
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 4U); // titles, the provider, its service, the total
  EXPECT_EQ((*records)[0].fields.at(0), "Суб'єкт надання");
  EXPECT_EQ((*records)[0].fields.at(3), "Строк спливає протягом 2 роб. дн.");
  EXPECT_EQ((*records)[0].fields.size(), 10U);
  EXPECT_NE(text.find("'=HYPERLINK"), std::string::npos);               // shown as text, not run
  EXPECT_EQ((*records)[1].fields.at(0), "=HYPERLINK(\"http://evil\")"); // read back whole
  EXPECT_EQ((*records)[1].fields.at(1), "Усього");
  EXPECT_EQ((*records)[2].fields.at(1), "Послуга 12");
  EXPECT_EQ((*records)[2].fields.at(9), "100.00");
  EXPECT_EQ((*records)[3].fields.at(0), "Усього по ЦНАП");
  EXPECT_EQ((*records)[3].fields.at(2), "1");
}

// The shape of documents/xlsx.hpp's types, to check the copy into them.
struct TestCell {
  std::variant<std::monostate, std::string, double, std::int64_t> value;
  bool bold = false;
};
struct TestSheet {
  std::string name;
  std::vector<std::string> header;
  std::vector<double> widths;
  std::vector<std::vector<TestCell>> rows;
};

TEST(DisciplineViews, SheetsHaveTypedCellsProvidersBoldAndTheParameters) {
  auto sheets = to_sheets_as<TestSheet>(sample());
  ASSERT_EQ(sheets.size(), 2U);
  const TestSheet& main = sheets[0];
  EXPECT_EQ(main.name, "Виконавська дисципліна");
  EXPECT_EQ(main.header.size(), main.widths.size());
  ASSERT_EQ(main.rows.size(), 3U);
  EXPECT_TRUE(main.rows[0][0].bold);                                // the provider
  EXPECT_FALSE(main.rows[1][1].bold);                               // its service
  EXPECT_EQ(std::get<std::int64_t>(main.rows[1][4].value), 1);      // overdue: a number, not text
  EXPECT_DOUBLE_EQ(std::get<double>(main.rows[1][9].value), 100.0); // late share
  EXPECT_EQ(std::get<std::string>(main.rows[2][0].value), "Усього по ЦНАП");
  EXPECT_EQ(std::get<std::string>(sheets[1].rows[0][1].value), "2026-12-21");
}

TEST(DisciplineKinds, NamesRoundTrip) {
  for (Kind k : {Kind::in_work, Kind::due_soon, Kind::overdue, Kind::finished_on_time, Kind::finished_late}) {
    EXPECT_EQ(kind_from(to_string(k)), k);
  }
  EXPECT_FALSE(kind_from("late").has_value());
}

} // namespace
} // namespace vikno::cases::discipline
