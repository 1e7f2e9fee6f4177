// The Ukrainian working-day calendar against dates checked by hand (a wall calendar and the
// announcements of the Ministry of Economy for the year).
#include "calendar/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

namespace vikno::calendar {
namespace {

Date d(int y, unsigned m, unsigned day) { return make_date(y, m, day); }

const Calendar& ua() {
  static const Calendar calendar = Calendar::ukraine();
  return calendar;
}

DayOffReason reason(Date date, const CenterDays* center = nullptr) {
  auto off = ua().day_off(date, center);
  EXPECT_TRUE(off.has_value()) << format_iso_date(date) << " should be a day off";
  return off ? off->reason : DayOffReason::weekend;
}

TEST(OrthodoxEaster, KnownYears) {
  EXPECT_EQ(orthodox_easter(2000), d(2000, 4, 30));
  EXPECT_EQ(orthodox_easter(2016), d(2016, 5, 1));
  EXPECT_EQ(orthodox_easter(2021), d(2021, 5, 2));
  EXPECT_EQ(orthodox_easter(2022), d(2022, 4, 24));
  EXPECT_EQ(orthodox_easter(2023), d(2023, 4, 16));
  EXPECT_EQ(orthodox_easter(2024), d(2024, 5, 5));
  EXPECT_EQ(orthodox_easter(2025), d(2025, 4, 20));
  EXPECT_EQ(orthodox_easter(2026), d(2026, 4, 12));
  // Outside 1900-2099 the Julian-Gregorian gap is 12 and 14 days.
  EXPECT_EQ(orthodox_easter(1850), d(1850, 5, 5));
  EXPECT_EQ(orthodox_easter(2101), d(2101, 4, 24));
}

TEST(IsoDate, ParsesAndFormats) {
  auto date = parse_iso_date("2024-02-29");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, d(2024, 2, 29));
  EXPECT_EQ(format_iso_date(*date), "2024-02-29");
  EXPECT_EQ(format_iso_date(d(987, 1, 5)), "0987-01-05");
}

TEST(IsoDate, RejectsMalformedAndNonexistentDays) {
  for (const char* text : {"", "2021-1-01", "20210101", "2021-01-01x", " 2021-01-01", "2021/01/01", "2021-0a-01",
                           "2021-13-01", "2021-00-10", "2021-02-29", "2023-04-31", "2021-01-00"}) {
    auto date = parse_iso_date(text, "start");
    ASSERT_FALSE(date.has_value()) << text;
    EXPECT_EQ(date.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(date.error().code, "invalid_field");
    ASSERT_EQ(date.error().problems.size(), 1u);
    EXPECT_EQ(date.error().problems[0].field, "start");
  }
}

TEST(TermUnit, Parses) {
  EXPECT_EQ(parse_term_unit("working").value(), TermUnit::working_days);
  EXPECT_EQ(parse_term_unit("calendar_days").value(), TermUnit::calendar_days);
  EXPECT_FALSE(parse_term_unit("weeks").has_value());
}

TEST(Holidays, NewYear2022OnSaturdayMovesToMonday) {
  EXPECT_EQ(reason(d(2022, 1, 1)), DayOffReason::holiday);
  EXPECT_EQ(reason(d(2022, 1, 2)), DayOffReason::weekend);
  auto monday = ua().day_off(d(2022, 1, 3));
  ASSERT_TRUE(monday.has_value());
  EXPECT_EQ(monday->reason, DayOffReason::transferred_holiday);
  EXPECT_EQ(monday->related, d(2022, 1, 1));
  EXPECT_EQ(monday->name_en, "New Year's Day");
  EXPECT_EQ(describe_en(*monday), "day off for New Year's Day (2022-01-01)");
  EXPECT_EQ(describe_uk(*monday), "вихідний за свято «Новий рік» (2022-01-01)");
  EXPECT_TRUE(ua().is_working_day(d(2022, 1, 4)));
}

TEST(Holidays, EasterAndLabourDayWeekend2021GiveTwoMondaysOff) {
  // May 1 (Sat, Labour Day) and May 2 (Sun, Easter): each weekend holiday gives its own day off,
  // the earlier holiday the earlier day: Mon May 3 and Tue May 4.
  EXPECT_EQ(ua().day_off(d(2021, 5, 3))->related, d(2021, 5, 1));
  EXPECT_EQ(ua().day_off(d(2021, 5, 4))->related, d(2021, 5, 2));
  EXPECT_TRUE(ua().is_working_day(d(2021, 5, 5)));
  // Victory Day on Sunday May 9 -> Monday May 10.
  EXPECT_EQ(reason(d(2021, 5, 10)), DayOffReason::transferred_holiday);
}

TEST(Holidays, TwoHolidaysOnOneSundayGiveOneDayOff) {
  // 2016: Easter = May 1 (Sun); May 2 (Mon) was still Labour Day's second day; one transfer -> May 3.
  auto sunday = ua().day_off(d(2016, 5, 1));
  ASSERT_TRUE(sunday.has_value());
  EXPECT_NE(sunday->name_uk.find("Великдень"), std::string::npos);
  EXPECT_NE(sunday->name_uk.find("солідарності"), std::string::npos);
  EXPECT_EQ(reason(d(2016, 5, 2)), DayOffReason::holiday);
  EXPECT_EQ(reason(d(2016, 5, 3)), DayOffReason::transferred_holiday);
  EXPECT_TRUE(ua().is_working_day(d(2016, 5, 4)));
}

TEST(Holidays, TrinityOnSundayGivesMondayOff) {
  EXPECT_EQ(reason(d(2021, 6, 20)), DayOffReason::holiday);
  auto monday = ua().day_off(d(2021, 6, 21));
  ASSERT_TRUE(monday.has_value());
  EXPECT_EQ(monday->reason, DayOffReason::transferred_holiday);
  EXPECT_EQ(monday->name_uk, "Трійця");
}

TEST(Holidays, MayTwoWasAHolidayUntil2017) {
  EXPECT_EQ(reason(d(2017, 5, 2)), DayOffReason::holiday); // Tuesday
  EXPECT_TRUE(ua().is_working_day(d(2018, 5, 2)));         // Wednesday
  EXPECT_EQ(reason(d(2017, 12, 25)), DayOffReason::holiday);
  EXPECT_TRUE(ua().is_working_day(d(2016, 12, 26))); // Dec 25, 2016 was no holiday yet: nothing moves
}

TEST(MartialLaw, HolidaysAreWorkingDays) {
  EXPECT_TRUE(ua().under_martial_law(d(2022, 3, 24)));
  EXPECT_FALSE(ua().under_martial_law(d(2022, 3, 23)));
  // Before Law 2136-IX came into force: Mar 8, 2022 off, with the Cabinet's Mar 7 swap.
  EXPECT_EQ(reason(d(2022, 3, 8)), DayOffReason::holiday);
  EXPECT_EQ(reason(d(2022, 3, 7)), DayOffReason::government_swap);
  EXPECT_TRUE(ua().is_working_day(d(2022, 3, 12))); // the Saturday worked instead
  // Easter 2022 on Sunday Apr 24: no transfer, Monday is a working day.
  EXPECT_TRUE(ua().is_working_day(d(2022, 4, 25)));
  // Holidays on weekdays are ordinary working days.
  EXPECT_TRUE(ua().is_working_day(d(2023, 12, 25))); // Monday
  EXPECT_TRUE(ua().is_working_day(d(2024, 6, 28)));  // Friday, Constitution Day
  EXPECT_TRUE(ua().is_working_day(d(2025, 1, 1)));   // Wednesday
}

TEST(MartialLaw, HolidaysStillListedWithTheirDayOffFlag) {
  auto h2024 = ua().holidays(2024);
  auto find = [&](Date date) {
    return std::find_if(h2024.begin(), h2024.end(), [&](const Holiday& h) { return h.date == date; });
  };
  ASSERT_NE(find(d(2024, 7, 15)), h2024.end()); // Statehood Day moved from Jul 28
  EXPECT_FALSE(find(d(2024, 7, 15))->day_off);
  EXPECT_EQ(find(d(2024, 7, 28)), h2024.end());
  EXPECT_NE(find(d(2024, 5, 8)), h2024.end());
  EXPECT_EQ(find(d(2024, 5, 9)), h2024.end());
  EXPECT_NE(find(d(2024, 10, 1)), h2024.end());
  EXPECT_EQ(find(d(2024, 1, 7)), h2024.end()); // Jan 7 no longer a holiday

  auto h2021 = ua().holidays(2021);
  EXPECT_TRUE(std::all_of(h2021.begin(), h2021.end(), [](const Holiday& h) { return h.day_off; }));
  EXPECT_TRUE(std::none_of(h2021.begin(), h2021.end(), [](const Holiday& h) { return h.date == d(2021, 7, 28); }));
}

TEST(MartialLaw, EndingItIsOneLineOfData) {
  CalendarRules rules = ukraine_rules();
  rules.martial_law.back().until = d(2025, 12, 31);
  const Calendar after_war{std::move(rules)};
  EXPECT_FALSE(after_war.is_working_day(d(2026, 1, 1))); // Thursday, New Year again a day off
  EXPECT_TRUE(after_war.is_working_day(d(2025, 1, 1)));
  // Easter 2026 = Apr 12 (Sun): the transfer rule is back too.
  EXPECT_EQ(after_war.day_off(d(2026, 4, 13))->reason, DayOffReason::transferred_holiday);
}

TEST(GovernmentSwaps, Year2021) {
  auto friday = ua().day_off(d(2021, 1, 8));
  ASSERT_TRUE(friday.has_value());
  EXPECT_EQ(friday->reason, DayOffReason::government_swap);
  EXPECT_EQ(friday->related, d(2021, 1, 16));
  EXPECT_TRUE(ua().is_working_day(d(2021, 1, 16))); // Saturday worked instead
  EXPECT_EQ(reason(d(2021, 8, 23)), DayOffReason::government_swap);
  EXPECT_TRUE(ua().is_working_day(d(2021, 8, 28)));
  EXPECT_EQ(reason(d(2021, 10, 15)), DayOffReason::government_swap);
  EXPECT_TRUE(ua().is_working_day(d(2021, 10, 23)));
  EXPECT_EQ(ua().working_weekend_days(2021), (std::vector<Date>{d(2021, 1, 16), d(2021, 8, 28), d(2021, 10, 23)}));
  // A worked Saturday counts in a working-day term: Fri Jan 15 + 1 working day = Sat Jan 16.
  EXPECT_EQ(ua().add_working_days(d(2021, 1, 15), 1), d(2021, 1, 16));
}

TEST(NonWorkingDays, Year2021HasTheOfficial250WorkingDays) {
  const auto days = ua().non_working_days(2021);
  // 104 weekend days - 3 worked Saturdays + 14 weekdays off.
  EXPECT_EQ(days.size(), 115u);
  std::vector<Date> weekdays_off;
  for (const NonWorkingDay& day : days) {
    const std::chrono::weekday wd{std::chrono::sys_days{day.date}};
    if (wd != std::chrono::Saturday && wd != std::chrono::Sunday) {
      weekdays_off.push_back(day.date);
    }
  }
  const std::vector<Date> expected{d(2021, 1, 1),  d(2021, 1, 7),   d(2021, 1, 8),   d(2021, 3, 8),  d(2021, 5, 3),
                                   d(2021, 5, 4),  d(2021, 5, 10),  d(2021, 6, 21),  d(2021, 6, 28), d(2021, 8, 23),
                                   d(2021, 8, 24), d(2021, 10, 14), d(2021, 10, 15), d(2021, 12, 27)};
  EXPECT_EQ(weekdays_off, expected);
}

TEST(NonWorkingDays, Year2024IsOnlyWeekends) {
  const auto days = ua().non_working_days(2024);
  EXPECT_EQ(days.size(), 104u);
  EXPECT_TRUE(std::all_of(days.begin(), days.end(),
                          [](const NonWorkingDay& day) { return day.reason == DayOffReason::weekend; }));
}

TEST(NonWorkingDays, ListsTheCentersClosedDays) {
  CenterDays center;
  center.close(d(2024, 6, 5), "санітарний день");
  const auto days = ua().non_working_days(2024, &center);
  EXPECT_EQ(days.size(), 105u);
  auto closed =
      std::find_if(days.begin(), days.end(), [](const NonWorkingDay& day) { return day.date == d(2024, 6, 5); });
  ASSERT_NE(closed, days.end());
  EXPECT_EQ(closed->reason, DayOffReason::center_closed);
  EXPECT_EQ(describe_uk(*closed), "ЦНАП зачинено: санітарний день");
}

TEST(Deadline, TenWorkingDaysAcrossMayHolidays2021) {
  // Started Thu 2021-04-29; counting from the next day:
  //   Fri Apr 30 = 1; Sat May 1 - Tue May 4 off (weekend, transfers of May 1 and Easter);
  //   Wed May 5 = 2, Thu 6 = 3, Fri 7 = 4; Sat 8, Sun 9, Mon 10 off (transfer of May 9);
  //   Tue 11 = 5, Wed 12 = 6, Thu 13 = 7, Fri 14 = 8; weekend; Mon 17 = 9, Tue 18 = 10.
  EXPECT_EQ(ua().deadline(d(2021, 4, 29), 10, TermUnit::working_days), d(2021, 5, 18));
  EXPECT_EQ(ua().add_working_days(d(2021, 4, 29), 10), d(2021, 5, 18));
}

TEST(Deadline, CalendarTermEndingOnSundayMovesToMonday) {
  // 2023-03-31 + 30 = Sun 2023-04-30 -> Mon May 1: Labour Day, but a working day under martial law.
  EXPECT_EQ(ua().deadline(d(2023, 3, 31), 30, TermUnit::calendar_days), d(2023, 5, 1));
  // 2021-04-02 + 30 = Sun 2021-05-02 (Easter) -> Mon 3, Tue 4 are transferred days off -> Wed May 5.
  EXPECT_EQ(ua().deadline(d(2021, 4, 2), 30, TermUnit::calendar_days), d(2021, 5, 5));
}

TEST(Deadline, MovesOffAWeekend) {
  // Wed 2024-06-05 + 10 = Sat Jun 15 -> Mon Jun 17.
  EXPECT_EQ(ua().deadline(d(2024, 6, 5), 10, TermUnit::calendar_days), d(2024, 6, 17));
  // Fri 2024-06-07 + 1 working day = Mon Jun 10.
  EXPECT_EQ(ua().deadline(d(2024, 6, 7), 1, TermUnit::working_days), d(2024, 6, 10));
  // A zero-length term started on a Saturday ends on the next working day.
  EXPECT_EQ(ua().deadline(d(2024, 6, 8), 0, TermUnit::working_days), d(2024, 6, 10));
}

TEST(Deadline, CentersClosedDayCounts) {
  CenterDays center;
  center.close(d(2024, 6, 5), "power outage");
  // Mon 2024-06-03 + 3 working days: Tue 4, Wed 5, Thu 6; with Wed closed: Tue 4, Thu 6, Fri 7.
  EXPECT_EQ(ua().add_working_days(d(2024, 6, 3), 3), d(2024, 6, 6));
  EXPECT_EQ(ua().add_working_days(d(2024, 6, 3), 3, &center), d(2024, 6, 7));
  EXPECT_EQ(ua().deadline(d(2024, 6, 3), 3, TermUnit::working_days, &center), d(2024, 6, 7));
  // Sat 2024-06-01 + 4 = Wed Jun 5, closed -> Thu Jun 6.
  EXPECT_EQ(ua().deadline(d(2024, 6, 1), 4, TermUnit::calendar_days, &center), d(2024, 6, 6));
  EXPECT_FALSE(ua().is_working_day(d(2024, 6, 5), &center));
  EXPECT_TRUE(ua().is_working_day(d(2024, 6, 5)));
}

TEST(Deadline, NegativeTermIsABug) {
  EXPECT_THROW((void)ua().deadline(d(2024, 6, 3), -1, TermUnit::working_days), std::invalid_argument);
}

TEST(WorkingDays, CountsBackwards) {
  EXPECT_EQ(ua().add_working_days(d(2021, 5, 5), -1), d(2021, 4, 30));
  EXPECT_EQ(ua().add_working_days(d(2021, 5, 5), 0), d(2021, 5, 5));
  EXPECT_EQ(add_calendar_days(d(2024, 2, 28), 2), d(2024, 3, 1));
}

TEST(WorkingDays, YearsOutsideTheCacheStillWork) {
  // 2150 is beyond the precomputed years; martial law is open-ended in the data.
  EXPECT_TRUE(ua().is_working_day(d(2150, 1, 1)));  // Thursday
  EXPECT_FALSE(ua().is_working_day(d(2150, 1, 3))); // Saturday
  CalendarRules rules = ukraine_rules();
  rules.martial_law.clear();
  const Calendar peace{std::move(rules)};
  // Sat 2101-01-01 -> Mon Jan 3, computed outside the cache.
  EXPECT_EQ(peace.day_off(d(2101, 1, 3))->reason, DayOffReason::transferred_holiday);
}

} // namespace
} // namespace vikno::calendar
