// The rules of a case with dates checked by hand against the calendar of their year.
#include <gtest/gtest.h>

#include "cases/rules.hpp"

namespace vikno::cases {
namespace {

using calendar::Calendar;
using calendar::make_date;

const Calendar& cal() {
  static const Calendar c = Calendar::ukraine();
  return c;
}

std::string iso(calendar::Date d) { return calendar::format_iso_date(d); }

TEST(CaseDeadline, TenWorkingDaysFrom29April2021EndOn18May) {
  // 2021: May 1 (Sat) and Easter (May 2) moved to May 3 and 4; May 9 (Sun) moved to May 10.
  TermSnapshot term{10, TermUnit::working_days, true, 30};
  EXPECT_EQ(iso(first_deadline(cal(), make_date(2021, 4, 29), term)), "2021-05-18");
}

TEST(CaseDeadline, ThirtyCalendarDaysEndingOnSaturdayMoveToMonday) {
  // Under martial law Jan 1 is a working day, but Jan 2, 2027 is a Saturday.
  TermSnapshot term{30, TermUnit::calendar_days, true, 30};
  EXPECT_EQ(iso(first_deadline(cal(), make_date(2026, 12, 3), term)), "2027-01-04");
}

TEST(CaseDeadline, ProviderReceivesTheCaseTheNextWorkingDay) {
  EXPECT_EQ(iso(hand_over_due(cal(), make_date(2026, 12, 4))), "2026-12-07"); // Friday -> Monday
  EXPECT_EQ(iso(hand_over_due(cal(), make_date(2026, 12, 2))), "2026-12-03");
}

TEST(CaseDeadline, SuspensionStopsAWorkingDayClock) {
  TermSnapshot term{10, TermUnit::working_days, true, 30};
  // Suspended on Wed 12 May, resumed Fri 14 May: the 13th and the 14th do not count.
  auto due =
      deadline_after_suspension(cal(), make_date(2021, 5, 18), make_date(2021, 5, 12), make_date(2021, 5, 14), term);
  EXPECT_EQ(iso(due), "2021-05-20");
  term.clock_stops_when_suspended = false;
  EXPECT_EQ(iso(deadline_after_suspension(cal(), make_date(2021, 5, 18), make_date(2021, 5, 12), make_date(2021, 5, 14),
                                          term)),
            "2021-05-18");
}

TEST(CaseDeadline, SuspensionStopsACalendarDayClockAndStillLandsOnAWorkingDay) {
  TermSnapshot term{30, TermUnit::calendar_days, true, 30};
  // Five days stopped: Jan 4 + 5 = Sat Jan 9 -> Mon Jan 11.
  auto due =
      deadline_after_suspension(cal(), make_date(2027, 1, 4), make_date(2026, 12, 10), make_date(2026, 12, 15), term);
  EXPECT_EQ(iso(due), "2027-01-11");
}

TEST(CaseDeadline, StagesArePlannedOneAfterAnother) {
  // Accepted Fri 4 Dec 2026: 1 working day -> Mon 7; 3 working days more -> Thu 10; 2 calendar -> Sat 12 -> Mon 14.
  auto plan = plan_stages(cal(), make_date(2026, 12, 4),
                          {{1, TermUnit::working_days}, {3, TermUnit::working_days}, {2, TermUnit::calendar_days}});
  ASSERT_EQ(plan.size(), 3U);
  EXPECT_EQ(iso(plan[0]), "2026-12-07");
  EXPECT_EQ(iso(plan[1]), "2026-12-10");
  EXPECT_EQ(iso(plan[2]), "2026-12-14");
}

Case open_case(const std::string& due) {
  Case k;
  k.status = Status::in_review;
  k.due_on = due;
  k.registered_on = "2026-11-20";
  return k;
}

TEST(CaseDue, DueSoonWithinTwoWorkingDaysAndOverdueAfter) {
  Case k = open_case("2026-12-08"); // Tuesday
  auto friday = due_view(cal(), k, make_date(2026, 12, 4), 2);
  EXPECT_EQ(friday.state, DueState::due_soon);
  EXPECT_EQ(friday.working_days_left, 2); // Mon 7, Tue 8
  EXPECT_EQ(due_view(cal(), k, make_date(2026, 12, 3), 2).state, DueState::on_track);
  EXPECT_EQ(due_view(cal(), k, make_date(2026, 12, 8), 2).state, DueState::due_soon);
  auto late = due_view(cal(), k, make_date(2026, 12, 11), 2);
  EXPECT_EQ(late.state, DueState::overdue);
  EXPECT_EQ(late.days_overdue, 3);
  k.decided_on = "2026-12-09";
  k.status = Status::result_ready;
  EXPECT_EQ(due_view(cal(), k, make_date(2026, 12, 11), 2).state, DueState::done);
}

MoveRequest move(MoveKind kind) {
  MoveRequest r;
  r.kind = kind;
  return r;
}

TEST(CaseMoves, OutOfOrderIsAConflictNamingStatusAndMove) {
  Case k;
  auto r = apply_move(cal(), k, move(MoveKind::accept), make_date(2026, 12, 3));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  EXPECT_EQ(r.error().code, "move_not_allowed");
  ASSERT_EQ(r.error().problems.size(), 2U);
  EXPECT_EQ(r.error().problems[0].problem, "registered");
  EXPECT_EQ(r.error().problems[1].problem, "accept");
  EXPECT_EQ(k.status, Status::registered);
  EXPECT_TRUE(k.moves.empty());
}

TEST(CaseMoves, TheWholeWayFromRegistrationToIssue) {
  Case k;
  k.registered_on = "2026-12-03";
  k.due_on = "2026-12-17";
  k.term = {10, TermUnit::working_days, true, 30};
  k.stages = {CaseStage{1, "Перевірка", "Відділ", 1, TermUnit::working_days, "", ""},
              CaseStage{2, "Рішення", "Начальник", 2, TermUnit::working_days, "", ""}};
  ASSERT_TRUE(apply_move(cal(), k, move(MoveKind::hand_over), make_date(2026, 12, 3)));
  ASSERT_TRUE(apply_move(cal(), k, move(MoveKind::accept), make_date(2026, 12, 4)));
  EXPECT_EQ(k.current_stage, 1);
  EXPECT_EQ(k.stages[0].planned_on, "2026-12-07");
  EXPECT_EQ(k.stages[1].planned_on, "2026-12-09");
  ASSERT_TRUE(apply_move(cal(), k, move(MoveKind::finish_stage), make_date(2026, 12, 7)));
  EXPECT_EQ(k.stages[0].finished_on, "2026-12-07");
  EXPECT_EQ(k.current_stage, 2);

  auto suspend = move(MoveKind::suspend);
  EXPECT_EQ(apply_move(cal(), k, suspend, make_date(2026, 12, 7)).error().code, "reason_required");
  suspend.reason = "Довідка про склад сім'ї";
  ASSERT_TRUE(apply_move(cal(), k, suspend, make_date(2026, 12, 7)));
  EXPECT_EQ(k.status, Status::suspended);
  // Resumed Wed 9 Dec: Tue 8 and Wed 9 did not count, so the 17th becomes the 21st (a Monday).
  ASSERT_TRUE(apply_move(cal(), k, move(MoveKind::resume), make_date(2026, 12, 9)));
  EXPECT_EQ(k.due_on, "2026-12-21");

  auto extend = move(MoveKind::extend);
  extend.new_deadline = "2026-12-28";
  EXPECT_EQ(apply_move(cal(), k, extend, make_date(2026, 12, 9)).error().code, "legal_basis_required");
  extend.legal_basis = "ч. 3 ст. 10 Закону";
  extend.new_deadline = "2026-12-21";
  EXPECT_EQ(apply_move(cal(), k, extend, make_date(2026, 12, 9)).error().code, "new_deadline_not_later");
  extend.new_deadline = "2026-12-28";
  ASSERT_TRUE(apply_move(cal(), k, extend, make_date(2026, 12, 9)));
  EXPECT_EQ(k.due_on, "2026-12-28");
  EXPECT_EQ(k.moves.back().new_deadline, "2026-12-28");

  ASSERT_TRUE(apply_move(cal(), k, move(MoveKind::finish_stage), make_date(2026, 12, 10)));
  EXPECT_EQ(apply_move(cal(), k, move(MoveKind::finish_stage), make_date(2026, 12, 10)).error().code, "no_open_stage");
  ASSERT_TRUE(apply_move(cal(), k, move(MoveKind::decide_ready), make_date(2026, 12, 10)));
  EXPECT_EQ(k.decided_on, "2026-12-10");
  ASSERT_TRUE(apply_move(cal(), k, move(MoveKind::receive_result), make_date(2026, 12, 11)));
  EXPECT_EQ(k.status, Status::at_center);
  EXPECT_EQ(k.pickup_until, "2027-01-10");
  EXPECT_EQ(apply_move(cal(), k, move(MoveKind::mark_unclaimed), make_date(2027, 1, 10)).error().code,
            "storage_term_not_over");

  auto issue = move(MoveKind::issue);
  EXPECT_EQ(apply_move(cal(), k, issue, make_date(2026, 12, 14)).error().code, "issue_method_required");
  issue.issue_method = IssueMethod::in_person;
  EXPECT_EQ(apply_move(cal(), k, issue, make_date(2026, 12, 14)).error().code, "identity_not_checked");
  issue.identity_checked = true;
  ASSERT_TRUE(apply_move(cal(), k, issue, make_date(2026, 12, 14)));
  EXPECT_EQ(k.status, Status::issued);
  EXPECT_EQ(k.closed_on, "2026-12-14");
  EXPECT_TRUE(moves_from(k.status).empty());
  EXPECT_EQ(k.moves.size(), 10U);
}

TEST(CaseMoves, RefusalNeedsAGroundFromTheListItsBasisAndAnExplanation) {
  Case k = open_case("2026-12-17");
  auto refuse = move(MoveKind::refuse);
  refuse.refusal_ground = "because";
  EXPECT_EQ(apply_move(cal(), k, refuse, make_date(2026, 12, 9)).error().code, "unknown_refusal_ground");
  refuse.refusal_ground = "incomplete_documents";
  EXPECT_EQ(apply_move(cal(), k, refuse, make_date(2026, 12, 9)).error().code, "legal_basis_required");
  refuse.legal_basis = "ст. 12";
  EXPECT_EQ(apply_move(cal(), k, refuse, make_date(2026, 12, 9)).error().code, "reason_required");
  refuse.reason = "Немає довідки";
  ASSERT_TRUE(apply_move(cal(), k, refuse, make_date(2026, 12, 9)));
  EXPECT_EQ(k.status, Status::refused);
  EXPECT_EQ(k.moves.back().detail, "incomplete_documents");
}

TEST(CaseMoves, EachMoveBelongsToOneSide) {
  EXPECT_EQ(side_of(MoveKind::accept), Side::provider);
  EXPECT_EQ(side_of(MoveKind::refuse), Side::provider);
  EXPECT_EQ(side_of(MoveKind::hand_over), Side::front_office);
  EXPECT_EQ(side_of(MoveKind::issue), Side::front_office);
  EXPECT_EQ(next_status(Status::unclaimed, MoveKind::return_to_provider), Status::returned_to_provider);
  EXPECT_FALSE(next_status(Status::issued, MoveKind::withdraw).has_value());
}

TEST(CaseInput, PhonesAreNormalizedAndNonsenseRefused) {
  EXPECT_EQ(normalize_phone("+380 67 123-45-67"), "+380671234567");
  EXPECT_EQ(normalize_phone("0671234567"), "+380671234567");
  EXPECT_EQ(normalize_phone("(067) 123 45 67"), "+380671234567");
  EXPECT_FALSE(normalize_phone("+48123456789").has_value());
  EXPECT_FALSE(normalize_phone("067123456").has_value());
  EXPECT_FALSE(normalize_phone("067-ABC").has_value());
  EXPECT_TRUE(valid_email("olena@example.com"));
  EXPECT_FALSE(valid_email("olena@example"));
  EXPECT_FALSE(valid_email("a@b@c.ua"));
  EXPECT_FALSE(valid_email("olena @example.com"));
}

TEST(CaseInput, InventoryMustFollowTheCardAndMissingDocumentsNeedAReason) {
  std::vector<std::string> card{"Паспорт", "Довідка"};
  InventoryLine passport{0, "Паспорт", true, DocumentForm::original, DocumentMedium::paper, 2, true, ""};
  InventoryLine note{0, "Довідка", true, DocumentForm::copy, DocumentMedium::paper, 1, false, ""};
  InventoryLine extra{0, "Фото", false, DocumentForm::original, DocumentMedium::paper, 1, true, ""};

  auto swapped = check_inventory(card, {note, passport}, "services[0].inventory");
  EXPECT_EQ(swapped.error().code, "inventory_mismatch");
  auto missing = check_inventory(card, {passport, note, extra}, "services[0].inventory");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "missing_reason_required");
  EXPECT_EQ(missing.error().problems.at(0).field, "services[0].inventory[1].missing_reason");
  note.missing_reason = "Подасть пізніше";
  auto ok = check_inventory(card, {passport, note, extra}, "services[0].inventory");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at(2).position, 3);
}

TEST(CaseNames, InitialsAndNumbers) {
  Applicant a;
  a.name = "Шевченко Тарас Григорович";
  EXPECT_EQ(initials_of(a), "Т. Ш.");
  a.name = "Шевченко";
  EXPECT_EQ(initials_of(a), "Ш.");
  EXPECT_EQ(case_number("kropyvnytskyi", 2026, 123), "kropyvnytskyi-2026-000123");
  EXPECT_EQ(status_from("at_center"), Status::at_center);
  EXPECT_EQ(to_string(MoveKind::return_unreviewed), "return_unreviewed");
}

} // namespace
} // namespace vikno::cases
