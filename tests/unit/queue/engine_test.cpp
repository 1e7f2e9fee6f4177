#include "queue/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace vikno::queue {
namespace {

constexpr Millis kMinute = 60 * 1000;
constexpr Millis kT0 = 1'700'000'000'000;
constexpr std::int64_t kPassports = 1; // А
constexpr std::int64_t kSocial = 2;    // С
constexpr std::int64_t kLand = 3;      // З

class EngineTest : public ::testing::Test {
protected:
  void SetUp() override {
    q.set_group(kPassports, {"А", 20 * kMinute});
    q.set_group(kSocial, {"С", 10 * kMinute});
    q.set_group(kLand, {"З", 30 * kMinute});
  }

  std::int64_t issue(std::int64_t group, Millis at, std::string priority = {}, std::optional<Millis> booked = {}) {
    auto number = q.next_number(group, "2026-11-22");
    EXPECT_TRUE(number.has_value());
    Ticket t;
    t.id = ++last_id;
    t.number = number->first;
    t.seq = number->second;
    t.day = "2026-11-22";
    t.group_id = group;
    t.issued_at = at;
    t.priority = std::move(priority);
    t.booked_for = booked;
    q.add(t);
    return t.id;
  }

  void admin(std::int64_t user, std::int64_t window, std::vector<std::int64_t> primary,
             std::vector<std::int64_t> secondary = {}) {
    auto a = q.sign_in(user, "Адміністратор " + std::to_string(user), window, static_cast<int>(window),
                       Skills{std::move(primary), std::move(secondary)}, kT0);
    ASSERT_TRUE(a.has_value()) << a.error().message;
  }

  Ticket next(std::int64_t user, Millis now) {
    auto r = q.call_next(user, now);
    EXPECT_TRUE(r.has_value());
    EXPECT_TRUE(r->has_value()) << "nothing to call";
    return r->value_or(Ticket{});
  }

  CenterQueue q;
  std::int64_t last_id = 0;
};

TEST_F(EngineTest, NumbersAreLetterAndDailySequencePerLetter) {
  EXPECT_EQ(q.next_number(kPassports, "2026-11-22")->first, "А-001");
  EXPECT_EQ(q.next_number(kPassports, "2026-11-22")->first, "А-002");
  EXPECT_EQ(q.next_number(kSocial, "2026-11-22")->first, "С-001");
  EXPECT_EQ(q.next_number(kPassports, "2026-11-23")->first, "А-001");
  q.restore_sequence("2026-11-24", "А", 41);
  EXPECT_EQ(q.next_number(kPassports, "2026-11-24")->first, "А-042");
  EXPECT_EQ(q.next_number(99, "2026-11-22").error().code, "unknown_group");
}

TEST_F(EngineTest, NextCallsTheLongestWaitingOfPrimaryGroupsBeforeSecondary) {
  admin(10, 1, {kPassports}, {kSocial});
  auto social = issue(kSocial, kT0);
  auto passport_late = issue(kPassports, kT0 + 2 * kMinute);
  auto passport_early = issue(kPassports, kT0 + kMinute);
  Ticket t = next(10, kT0 + 3 * kMinute);
  EXPECT_EQ(t.id, passport_early);
  EXPECT_EQ(t.rule, PickRule::primary_skill);
  EXPECT_EQ(t.state, TicketState::called);
  EXPECT_EQ(t.window_number, 1);
  ASSERT_TRUE(q.finish(10, t.id, Outcome::consultation_given, {}, kT0 + 4 * kMinute).has_value());
  EXPECT_EQ(next(10, kT0 + 5 * kMinute).id, passport_late);
  ASSERT_TRUE(q.finish(10, passport_late, Outcome::other, {}, kT0 + 6 * kMinute).has_value());
  Ticket s = next(10, kT0 + 7 * kMinute);
  EXPECT_EQ(s.id, social);
  EXPECT_EQ(s.rule, PickRule::secondary_skill);
}

TEST_F(EngineTest, TicketsOutsideTheSkillsAreNeverCalled) {
  admin(10, 1, {kPassports});
  issue(kLand, kT0);
  auto r = q.call_next(10, kT0 + kMinute);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value());
}

TEST_F(EngineTest, PriorityBeatsEarlierOrdinaryTickets) {
  admin(10, 1, {kPassports}, {kSocial});
  issue(kPassports, kT0);
  auto veteran = issue(kSocial, kT0 + 5 * kMinute, "war_veteran");
  Ticket t = next(10, kT0 + 6 * kMinute);
  EXPECT_EQ(t.id, veteran);
  EXPECT_EQ(t.rule, PickRule::priority);
}

TEST_F(EngineTest, BookedVisitorWhoseTimeHasComeGoesBeforePriority) {
  admin(10, 1, {kPassports});
  auto early_booking = issue(kPassports, kT0, {}, kT0 + 30 * kMinute); // came early: not yet due
  issue(kPassports, kT0 + kMinute, "disability");
  auto booked = issue(kPassports, kT0 + 2 * kMinute, {}, kT0 + 5 * kMinute);
  Ticket t = next(10, kT0 + 6 * kMinute);
  EXPECT_EQ(t.id, booked);
  EXPECT_EQ(t.rule, PickRule::booking);
  ASSERT_TRUE(q.finish(10, t.id, Outcome::other, {}, kT0 + 7 * kMinute).has_value());
  EXPECT_EQ(next(10, kT0 + 8 * kMinute).rule, PickRule::priority);
  ASSERT_TRUE(q.no_show(10, q.administrator(10)->ticket_id.value(), kT0 + 9 * kMinute).has_value());
  Ticket rest = next(10, kT0 + 9 * kMinute);
  EXPECT_EQ(rest.id, early_booking); // before its time it waits like everyone, by issue time
  EXPECT_EQ(rest.rule, PickRule::primary_skill);
}

TEST_F(EngineTest, TicketOverTheWaitLimitJumpsAheadOfPrimaryGroups) {
  admin(10, 1, {kPassports}, {kSocial});
  auto old_social = issue(kSocial, kT0);
  issue(kPassports, kT0 + 20 * kMinute);
  Ticket t = next(10, kT0 + 31 * kMinute);
  EXPECT_EQ(t.id, old_social);
  EXPECT_EQ(t.rule, PickRule::wait_limit);
}

TEST_F(EngineTest, TransferKeepsIssueTimeAndANamedAdministratorCallsItFirst) {
  admin(10, 1, {kPassports});
  admin(11, 2, {kSocial});
  auto a = issue(kPassports, kT0);
  issue(kSocial, kT0 + kMinute);
  Ticket called = next(10, kT0 + 2 * kMinute);
  ASSERT_EQ(called.id, a);
  auto moved = q.transfer(10, a, kSocial, 11, kT0 + 10 * kMinute);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->state, TicketState::waiting);
  EXPECT_EQ(moved->issued_at, kT0);
  ASSERT_EQ(moved->transfers.size(), 1U);
  EXPECT_EQ(moved->transfers[0].to_user, 11);
  EXPECT_FALSE(q.administrator(10)->ticket_id.has_value());
  // Nobody but the named administrator calls it.
  admin(12, 3, {kSocial});
  EXPECT_NE(next(12, kT0 + 11 * kMinute).id, a);
  Ticket t = next(11, kT0 + 11 * kMinute);
  EXPECT_EQ(t.id, a);
  EXPECT_EQ(t.rule, PickRule::transfer);
  EXPECT_EQ(t.group_id, kSocial);
}

TEST_F(EngineTest, TransferToAGroupWaitsThereWithItsIssueTime) {
  admin(10, 1, {kPassports});
  admin(11, 2, {kSocial});
  auto a = issue(kPassports, kT0);
  auto s = issue(kSocial, kT0 + kMinute);
  next(10, kT0 + 2 * kMinute);
  ASSERT_TRUE(q.transfer(10, a, kSocial, std::nullopt, kT0 + 3 * kMinute).has_value());
  EXPECT_EQ(next(11, kT0 + 4 * kMinute).id, a); // issued before s
  ASSERT_TRUE(q.finish(11, a, Outcome::other, {}, kT0 + 5 * kMinute).has_value());
  EXPECT_EQ(next(11, kT0 + 6 * kMinute).id, s);
}

TEST_F(EngineTest, TwoAdministratorsNeverHoldTheSameTicket) {
  admin(10, 1, {kPassports});
  admin(11, 2, {kPassports});
  auto first = issue(kPassports, kT0);
  auto second = issue(kPassports, kT0 + 1);
  EXPECT_EQ(next(10, kT0 + kMinute).id, first);
  EXPECT_EQ(next(11, kT0 + kMinute).id, second);
  auto r = q.call_next(11, kT0 + kMinute);
  EXPECT_EQ(r.error().code, "holding_ticket");
}

TEST_F(EngineTest, CommandsCheckWhoHoldsTheTicketAndItsState) {
  admin(10, 1, {kPassports});
  admin(11, 2, {kPassports});
  auto a = issue(kPassports, kT0);
  next(10, kT0 + kMinute);
  EXPECT_EQ(q.finish(11, a, Outcome::other, {}, kT0).error().code, "not_your_ticket");
  EXPECT_EQ(q.finish(11, a, Outcome::other, {}, kT0).error().kind, ErrorKind::conflict);
  EXPECT_EQ(q.finish(10, 999, Outcome::other, {}, kT0).error().code, "ticket_not_found");
  ASSERT_TRUE(q.start(10, a, kT0 + 2 * kMinute).has_value());
  EXPECT_EQ(q.no_show(10, a, kT0).error().code, "wrong_state");
  EXPECT_EQ(q.recall(10, a, kT0).error().code, "wrong_state");
  EXPECT_EQ(q.sign_out(10, kT0).error().code, "holding_ticket");
  EXPECT_EQ(q.pause(10, "break", kT0).error().code, "holding_ticket");
  auto done = q.finish(10, a, Outcome::application_registered, 77, kT0 + 12 * kMinute);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->state, TicketState::done);
  EXPECT_EQ(done->service_id, 77);
  EXPECT_EQ(done->started_at, kT0 + 2 * kMinute);
  EXPECT_EQ(q.ticket(a), nullptr); // finished tickets leave the engine's memory
  EXPECT_EQ(q.call_next(99, kT0).error().code, "not_signed_in");
}

TEST_F(EngineTest, RecallsPastTheLimitMakeANoShow) {
  q.set_settings(Settings{.recalls_before_no_show = 2});
  admin(10, 1, {kPassports});
  auto a = issue(kPassports, kT0);
  next(10, kT0);
  EXPECT_EQ(q.recall(10, a, kT0 + 1)->recalls, 1);
  EXPECT_EQ(q.recall(10, a, kT0 + 2)->state, TicketState::called);
  auto third = q.recall(10, a, kT0 + 3);
  EXPECT_EQ(third->state, TicketState::no_show);
  EXPECT_FALSE(q.administrator(10)->ticket_id.has_value());
}

TEST_F(EngineTest, PausedAdministratorCannotCallAndWindowsAreNotShared) {
  admin(10, 1, {kPassports});
  issue(kPassports, kT0);
  ASSERT_TRUE(q.pause(10, "обід", kT0).has_value());
  EXPECT_EQ(q.call_next(10, kT0).error().code, "paused");
  EXPECT_EQ(q.sign_in(11, "Інша", 1, 1, Skills{{kPassports}, {}}, kT0).error().code, "window_taken");
  ASSERT_TRUE(q.resume(10, kT0).has_value());
  next(10, kT0);
}

TEST_F(EngineTest, EndOfDayClosesWaitingAndCalledTicketsWithAReason) {
  admin(10, 1, {kPassports});
  auto called = issue(kPassports, kT0);
  auto serving = issue(kPassports, kT0 + 1);
  auto waiting = issue(kSocial, kT0 + 2);
  next(10, kT0);
  ASSERT_TRUE(q.start(10, called, kT0).has_value());
  ASSERT_TRUE(q.finish(10, called, Outcome::other, {}, kT0 + 1).has_value());
  next(10, kT0 + 2);
  auto closed = q.close_day("2026-11-22", true, "center_closed", kT0 + 3);
  ASSERT_EQ(closed.size(), 2U);
  EXPECT_EQ(closed[0].id, serving); // called, not started: closed
  EXPECT_EQ(closed[1].id, waiting);
  EXPECT_EQ(closed[1].state, TicketState::closed);
  EXPECT_EQ(closed[1].close_reason, "center_closed");
  EXPECT_EQ(q.waiting_count(), 0);
  // The next day's numbering starts over.
  EXPECT_EQ(q.next_number(kPassports, "2026-11-23")->first, "А-001");
}

TEST_F(EngineTest, EstimatesCountTheTicketsAheadAndTheAdministrators) {
  auto a1 = issue(kPassports, kT0);
  auto a2 = issue(kPassports, kT0 + 1);
  auto a3 = issue(kPassports, kT0 + 2, "pregnant");
  EXPECT_FALSE(q.estimate(a1, kT0)->wait_ms.has_value()); // nobody at work for this group
  EXPECT_EQ(q.estimate(a1, kT0)->ahead, 1);               // the priority ticket goes first
  EXPECT_EQ(q.estimate(a2, kT0)->ahead, 2);
  EXPECT_EQ(q.estimate(a3, kT0)->ahead, 0);
  admin(10, 1, {kPassports});
  admin(11, 2, {kPassports});
  // Two idle administrators take a3 and a1 at once; a2 waits for half a visit over two windows.
  EXPECT_EQ(q.estimate(a1, kT0)->wait_ms, 0);
  EXPECT_EQ(q.estimate(a2, kT0)->wait_ms, 20 * kMinute / 4);
  GroupLoad load = q.load(kPassports, kT0 + kMinute);
  EXPECT_EQ(load.waiting, 3);
  EXPECT_EQ(load.serving_administrators, 2);
  EXPECT_EQ(load.longest_wait_ms, kMinute);
  EXPECT_EQ(load.expected_wait_ms, 20 * kMinute * 3 / 4); // (3 - 2 + 0.5) visits over 2 windows
  // Every group's load at once (the displays' list) says the same as each group's alone.
  auto all = q.loads(kT0 + kMinute);
  ASSERT_EQ(all.size(), q.groups().size());
  for (const auto& l : all) {
    GroupLoad one = q.load(l.group_id, kT0 + kMinute);
    EXPECT_EQ(l.waiting, one.waiting);
    EXPECT_EQ(l.serving_administrators, one.serving_administrators);
    EXPECT_EQ(l.expected_wait_ms, one.expected_wait_ms);
    EXPECT_EQ(l.longest_wait_ms, one.longest_wait_ms);
  }
}

TEST_F(EngineTest, RollingAverageStartsFromTheCatalogAndFollowsTheVisits) {
  EXPECT_EQ(q.average_service_ms(kSocial), 10 * kMinute);
  for (int i = 0; i < 20; ++i) {
    q.record_service_time(kSocial, 4 * kMinute);
  }
  // (3 * 10 + 20 * 4) / 23 minutes
  EXPECT_NEAR(static_cast<double>(q.average_service_ms(kSocial)), (3.0 * 10 + 20 * 4) * kMinute / 23, 1.0);
  // Only the latest 20 visits count: 20 more of 8 minutes push the 4-minute ones out.
  for (int i = 0; i < 20; ++i) {
    q.record_service_time(kSocial, 8 * kMinute);
  }
  EXPECT_NEAR(static_cast<double>(q.average_service_ms(kSocial)), (3.0 * 10 + 20 * 8) * kMinute / 23, 1.0);
}

// The routing policy spelled the slow way, to check the indexed one against: every waiting
// ticket this administrator may call, ranked by the documented rules.
std::optional<Pick> reference_pick(const CenterQueue& q, std::int64_t user, Millis now) {
  const Administrator* a = q.administrator(user);
  auto has = [](const std::vector<std::int64_t>& v, std::int64_t g) {
    return std::find(v.begin(), v.end(), g) != v.end();
  };
  std::optional<std::tuple<int, Millis, std::int64_t>> best;
  for (const Ticket* t : q.open_tickets()) {
    if (t->state != TicketState::waiting) {
      continue;
    }
    int rank = 0;
    Millis at = t->issued_at;
    if (t->target_user) {
      if (*t->target_user != user) {
        continue;
      }
      rank = 0;
    } else if (!has(a->skills.primary, t->group_id) && !has(a->skills.secondary, t->group_id)) {
      continue;
    } else if (t->booked_for && *t->booked_for <= now) {
      rank = 1;
      at = *t->booked_for;
    } else if (!t->priority.empty()) {
      rank = 2;
    } else if (t->issued_at <= now - q.settings().wait_limit_ms) {
      rank = 3;
    } else if (has(a->skills.primary, t->group_id)) {
      rank = 4;
    } else {
      rank = 5;
    }
    std::tuple<int, Millis, std::int64_t> key{rank, at, t->id};
    if (!best || key < *best) {
      best = key;
    }
  }
  if (!best) {
    return std::nullopt;
  }
  return Pick{std::get<2>(*best), static_cast<PickRule>(std::get<0>(*best))};
}

TEST_F(EngineTest, RandomDaysFollowTheDocumentedPolicyAndKeepTheInvariants) {
  std::mt19937_64 rng(20261122);
  for (int day = 0; day < 20; ++day) {
    CenterQueue fresh;
    q = fresh;
    SetUp();
    for (std::int64_t u = 1; u <= 6; ++u) {
      std::vector<std::int64_t> groups{kPassports, kSocial, kLand};
      std::shuffle(groups.begin(), groups.end(), rng);
      admin(u, u, {groups[0]}, {groups[1]});
    }
    Millis now = kT0;
    for (int step = 0; step < 400; ++step) {
      now += static_cast<Millis>(rng() % (3 * kMinute));
      int action = static_cast<int>(rng() % 10);
      std::int64_t user = 1 + static_cast<std::int64_t>(rng() % 6);
      const Administrator* a = q.administrator(user);
      if (action < 4) {
        std::int64_t g = 1 + static_cast<std::int64_t>(rng() % 3);
        bool priority = rng() % 8 == 0;
        std::optional<Millis> booked;
        if (rng() % 6 == 0) {
          booked = now + static_cast<Millis>(rng() % (20 * kMinute));
        }
        issue(g, now, priority ? "disability" : "", booked);
      } else if (!a->ticket_id) {
        auto expected = reference_pick(q, user, now);
        auto got = q.call_next(user, now);
        ASSERT_TRUE(got.has_value());
        ASSERT_EQ(got->has_value(), expected.has_value());
        if (expected) {
          EXPECT_EQ((*got)->id, expected->ticket_id);
          EXPECT_EQ((*got)->rule, expected->rule);
        }
      } else {
        auto id = *a->ticket_id;
        if (action == 9) {
          auto to = 1 + static_cast<std::int64_t>(rng() % 3);
          std::optional<std::int64_t> to_user;
          if (rng() % 2 == 0) {
            to_user = 1 + static_cast<std::int64_t>(rng() % 6);
          }
          ASSERT_TRUE(q.transfer(user, id, to, to_user, now).has_value());
        } else if (action == 8) {
          ASSERT_TRUE(q.no_show(user, id, now).has_value());
        } else {
          ASSERT_TRUE(q.finish(user, id, Outcome::other, {}, now).has_value());
        }
      }
      // Invariants: each held ticket is held by exactly the administrator who says so.
      int held = 0;
      for (const Ticket* t : q.open_tickets()) {
        if (t->state == TicketState::called || t->state == TicketState::serving) {
          ++held;
          ASSERT_TRUE(t->user_id.has_value());
          ASSERT_EQ(q.administrator(*t->user_id)->ticket_id, t->id);
        }
      }
      int holders = 0;
      for (const Administrator* x : q.administrators()) {
        holders += x->ticket_id ? 1 : 0;
      }
      ASSERT_EQ(held, holders);
      ASSERT_EQ(q.waiting_count() + held, static_cast<int>(q.open_tickets().size()));
    }
  }
}

TEST_F(EngineTest, EveryCountHoldsTicketsTransferredToAPersonByName) {
  admin(10, 1, {kPassports});
  issue(kPassports, kT0);
  auto named = issue(kSocial, kT0 + 1);
  issue(kSocial, kT0 + 2);
  Ticket t = next(10, kT0 + kMinute);
  ASSERT_EQ(t.group_id, kPassports);
  // Transferred to administrator 11, who is not at work: nobody can call it now, yet it waits.
  ASSERT_TRUE(q.transfer(10, t.id, kSocial, 11, kT0 + 2 * kMinute).has_value());
  GroupLoad social = q.load(kSocial, kT0 + 3 * kMinute);
  EXPECT_EQ(social.waiting, 3);
  EXPECT_EQ(social.longest_wait_ms, 3 * kMinute); // the transferred ticket keeps its issue time
  EXPECT_EQ(q.load(kPassports, kT0 + 3 * kMinute).waiting, 0);
  int sum = 0;
  for (const auto& l : q.loads(kT0 + 3 * kMinute)) {
    sum += l.waiting;
  }
  EXPECT_EQ(sum, q.waiting_count());
  // Reassigned to the group (anyone), it leaves the person's line and stays counted once.
  ASSERT_TRUE(q.reassign(1, t.id, kSocial, std::nullopt, kT0 + 4 * kMinute).has_value());
  EXPECT_EQ(q.load(kSocial, kT0 + 4 * kMinute).waiting, 3);
  EXPECT_EQ(q.waiting_count(), 3);
  (void)named;
}

TEST_F(EngineTest, TheLastFinishCanBeCorrectedForFiveMinutesByItsAdministrator) {
  admin(10, 1, {kPassports});
  admin(11, 2, {kPassports});
  issue(kPassports, kT0);
  issue(kPassports, kT0 + 1);
  Ticket first = next(10, kT0 + kMinute);
  ASSERT_TRUE(q.finish(10, first.id, Outcome::application_registered, {}, kT0 + 2 * kMinute).has_value());
  ASSERT_NE(q.correctable(10, kT0 + 3 * kMinute), nullptr);
  EXPECT_EQ(q.correctable(11, kT0 + 3 * kMinute), nullptr);
  EXPECT_EQ(q.correct_outcome(11, first.id, Outcome::consultation_given, {}, kT0 + 3 * kMinute).error().code,
            "not_your_last_visit");
  auto fixed = q.correct_outcome(10, first.id, Outcome::consultation_given, {}, kT0 + 3 * kMinute);
  ASSERT_TRUE(fixed.has_value());
  EXPECT_EQ(fixed->outcome, Outcome::consultation_given);
  EXPECT_EQ(fixed->state, TicketState::done);
  EXPECT_EQ(fixed->finished_at, kT0 + 2 * kMinute); // the visit itself is not changed
  EXPECT_EQ(q.correct_outcome(10, first.id, Outcome::other, {}, kT0 + 7 * kMinute + 1).error().code,
            "correction_expired");
  // Only the last finish: after the next visit, the first one is no longer correctable.
  Ticket second = next(10, kT0 + 3 * kMinute);
  ASSERT_TRUE(q.finish(10, second.id, Outcome::other, {}, kT0 + 4 * kMinute).has_value());
  EXPECT_EQ(q.correct_outcome(10, first.id, Outcome::other, {}, kT0 + 4 * kMinute).error().code, "not_your_last_visit");
}

TEST_F(EngineTest, AheadCountsWhatTheRoutingCallsFirstWhenGroupsShareAdministrators) {
  // The only administrator serves passports first and social questions second: a social ticket
  // waits behind every passport ticket, even those issued after it.
  admin(10, 1, {kPassports}, {kSocial});
  auto social = issue(kSocial, kT0);
  issue(kPassports, kT0 + 1);
  issue(kPassports, kT0 + 2);
  auto e = q.estimate(social, kT0 + 3);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->ahead, 2);
  EXPECT_TRUE(e->shared);
  issue(kPassports, kT0 + 4, "disability");
  e = q.estimate(social, kT0 + 5);
  EXPECT_EQ(e->ahead, 3);
  EXPECT_EQ(e->priority_ahead, 1);
  // The routing agrees: three calls, then the social ticket.
  for (int i = 0; i < 3; ++i) {
    Ticket t = next(10, kT0 + 10 + i);
    EXPECT_NE(t.id, social);
    ASSERT_TRUE(q.finish(10, t.id, Outcome::other, {}, kT0 + 20 + i).has_value());
  }
  EXPECT_EQ(next(10, kT0 + 30).id, social);
}

// How many tickets one administrator alone would call before `ticket` (the slow way: calling them).
int calls_before(CenterQueue q, std::int64_t user, std::int64_t ticket, Millis now) {
  for (const Administrator* a : q.administrators()) {
    if (a->user_id != user && a->status == AdministratorStatus::available && !a->ticket_id) {
      (void)q.pause(a->user_id, "", now);
    }
  }
  for (int n = 0;; ++n) {
    auto called = q.call_next(user, now);
    if (!called || !called->has_value()) {
      return -1;
    }
    if ((*called)->id == ticket) {
      return n;
    }
    (void)q.finish(user, (*called)->id, Outcome::other, {}, now);
  }
}

TEST_F(EngineTest, AheadIsTheFewestCallsOfAnyAdministratorWhoServesTheTicket) {
  std::mt19937_64 rng(20261203);
  for (int round = 0; round < 40; ++round) {
    CenterQueue fresh(Settings{24LL * 60 * kMinute, 2, {"disability"}}); // no wait limit within the test
    q = fresh;
    SetUp();
    std::vector<std::int64_t> groups{kPassports, kSocial, kLand};
    const int administrators = 1 + static_cast<int>(rng() % 3);
    for (std::int64_t u = 1; u <= administrators; ++u) {
      std::shuffle(groups.begin(), groups.end(), rng);
      admin(u, u, {groups[0]}, rng() % 2 == 0 ? std::vector<std::int64_t>{groups[1]} : std::vector<std::int64_t>{});
    }
    std::vector<std::int64_t> tickets;
    for (int i = 0; i < 12; ++i) {
      tickets.push_back(issue(1 + static_cast<std::int64_t>(rng() % 3), kT0 + i, rng() % 5 == 0 ? "disability" : ""));
    }
    for (auto id : tickets) {
      auto e = q.estimate(id, kT0 + kMinute);
      ASSERT_TRUE(e.has_value());
      std::optional<int> fewest;
      for (const Administrator* a : q.administrators()) {
        const Ticket* t = q.ticket(id);
        if (std::find(a->skills.primary.begin(), a->skills.primary.end(), t->group_id) == a->skills.primary.end() &&
            std::find(a->skills.secondary.begin(), a->skills.secondary.end(), t->group_id) ==
                a->skills.secondary.end()) {
          continue;
        }
        int n = calls_before(q, a->user_id, id, kT0 + kMinute);
        if (!fewest || n < *fewest) {
          fewest = n;
        }
      }
      if (fewest) {
        EXPECT_EQ(e->ahead, *fewest) << "round " << round << ", ticket " << id;
      }
    }
  }
}

} // namespace
} // namespace vikno::queue
