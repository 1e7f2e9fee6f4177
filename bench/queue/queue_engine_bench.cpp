// Queue engine benchmark: prints each figure next to its anchor measured in the same run.
//  - "next": CenterQueue::pick and call_next with 10,000 waiting tickets across 12 groups and 50
//    administrators (1-3 primary and 0-3 secondary groups each), priorities, bookings and transfers
//    by name sprinkled; per-call latency over 20,000 decisions (a ticket is re-issued after each call,
//    so 10,000 keep waiting), next to a brute-force linear scan over every waiting ticket that
//    implements the same documented policy (the logic of reference_pick in
//    tests/unit/queue/engine_test.cpp). The engine and the scan are timed in two replays of the same
//    seeded day, so neither evicts the other's data from the cache; the replay of the scan also checks
//    that both pick the same ticket by the same rule every time.
//  - estimate accuracy: a simulated day at a 40-window center (Poisson arrivals, ~2,000 visits over
//    10 hours, lognormal service times around each group's typical time, administrators calling
//    "next" whenever free): the mean absolute error of the engine's expected wait given at issue
//    against the wait that followed, next to a naive estimator on the same day (waiting in the group
//    x typical time / administrators with the group).
// Fixed seeds; no timed assertions. Usage: queue_engine_bench   (a few seconds on one core)
#include "queue/engine.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

using namespace vikno;
using namespace vikno::queue;

namespace {

constexpr Millis kMinute = Millis{60} * 1000;
constexpr Millis kT0 = 1'700'000'000'000; // the morning of the simulated day
const std::string kDay = "2026-11-23";

constexpr int kGroups = 12;
constexpr std::array<const char*, kGroups> kLetters{"А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "К", "Л", "М", "Н"};
// Typical minutes at the window (the catalog's figure) and the share of visitors per group (%).
constexpr std::array<int, kGroups> kTypicalMinutes{14, 9, 22, 11, 7, 18, 5, 11, 14, 9, 11, 7};
constexpr std::array<int, kGroups> kPopularity{20, 15, 5, 10, 12, 4, 8, 6, 5, 7, 4, 4};

using Steady = std::chrono::steady_clock;
double micros(Steady::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// Runs fn and appends how long it took, in microseconds, to `into`; returns what fn returned.
template <class F> auto timed(std::vector<double>& into, F&& fn) {
  auto t0 = Steady::now();
  auto result = fn();
  into.push_back(micros(Steady::now() - t0));
  return result;
}

struct Stats {
  double p50 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
};

Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) {
    return s;
  }
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  s.max = v.back();
  double sum = 0;
  for (double x : v) {
    sum += x;
  }
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

std::int64_t group_id(int index) { return index + 1; }

void set_groups(CenterQueue& q) {
  for (int g = 0; g < kGroups; ++g) {
    q.set_group(group_id(g), GroupInfo{kLetters[static_cast<std::size_t>(g)],
                                       kTypicalMinutes[static_cast<std::size_t>(g)] * kMinute});
  }
}

// 1-3 primary and 0-3 secondary groups, distinct; the first kGroups administrators get group i as
// a primary one, so every group has someone.
Skills random_skills(std::mt19937_64& rng, int index) {
  std::vector<std::int64_t> all;
  all.reserve(kGroups);
  for (int g = 0; g < kGroups; ++g) {
    all.push_back(group_id(g));
  }
  std::shuffle(all.begin(), all.end(), rng);
  if (index < kGroups) {
    auto it = std::find(all.begin(), all.end(), group_id(index));
    std::iter_swap(all.begin(), it);
  }
  auto primary = static_cast<std::size_t>(1 + rng() % 3);
  auto secondary = static_cast<std::size_t>(rng() % 4);
  Skills s;
  s.primary.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(primary));
  s.secondary.assign(all.begin() + static_cast<std::ptrdiff_t>(primary),
                     all.begin() + static_cast<std::ptrdiff_t>(primary + secondary));
  return s;
}

int random_group(std::mt19937_64& rng) {
  static std::discrete_distribution<int> by_popularity(kPopularity.begin(), kPopularity.end());
  return by_popularity(rng);
}

bool has(const std::vector<std::int64_t>& v, std::int64_t g) { return std::find(v.begin(), v.end(), g) != v.end(); }

// --- "next" with 10,000 waiting ------------------------------------------------------------------------

// What the brute-force scan sees of a waiting ticket: a flat array, no index at all.
struct Flat {
  std::int64_t id = 0;
  std::int64_t group = 0;
  Millis issued = 0;
  Millis booked = -1;      // -1: no booking
  std::int64_t target = 0; // 0: not transferred to a person
  bool priority = false;
};

// The documented policy as one pass over every waiting ticket (reference_pick's logic): each
// eligible ticket gets its rule's rank and time, the smallest (rank, time, id) wins.
std::optional<Pick> brute_force(const std::vector<Flat>& waiting, std::int64_t user, const Skills& skills, Millis now,
                                Millis wait_limit_ms) {
  std::optional<std::tuple<int, Millis, std::int64_t>> best;
  for (const Flat& t : waiting) {
    int rank = 0;
    Millis at = t.issued;
    if (t.target != 0) {
      if (t.target != user) {
        continue;
      }
      rank = 0;
    } else if (!has(skills.primary, t.group) && !has(skills.secondary, t.group)) {
      continue;
    } else if (t.booked >= 0 && t.booked <= now) {
      rank = 1;
      at = t.booked;
    } else if (t.priority) {
      rank = 2;
    } else if (t.issued <= now - wait_limit_ms) {
      rank = 3;
    } else if (has(skills.primary, t.group)) {
      rank = 4;
    } else {
      rank = 5;
    }
    std::tuple<int, Millis, std::int64_t> key{rank, at, t.id};
    if (!best || key < *best) {
      best = key;
    }
  }
  if (!best) {
    return std::nullopt;
  }
  return Pick{std::get<2>(*best), static_cast<PickRule>(std::get<0>(*best))};
}

struct NextRun {
  std::vector<double> pick_us;
  std::vector<double> call_us;
  std::vector<double> scan_us;
  std::array<int, 6> rules{};
  int decisions = 0;
  int agree = 0;
  int empty = 0;
  int min_waiting = 1 << 30;
  int max_waiting = 0;
};

constexpr int kWaiting = 10'000;
constexpr int kAdministrators = 50;
constexpr int kDecisions = 20'000;

// One seeded replay of the busy queue. timed_scan: time the brute-force scan (and check it agrees
// with pick) instead of timing pick and call_next. Both replays make exactly the same decisions.
NextRun run_next(bool timed_scan) {
  std::mt19937_64 rng(20261123);
  CenterQueue q;
  set_groups(q);
  Millis now = kT0 + Millis{8} * 60 * kMinute;
  std::vector<Skills> skills;
  for (int u = 0; u < kAdministrators; ++u) {
    skills.push_back(random_skills(rng, u));
    auto a = q.sign_in(u + 1, "Адміністратор " + std::to_string(u + 1), 100 + u, u + 1, skills.back(), now);
    if (!a) {
      std::fprintf(stderr, "sign_in: %s\n", a.error().message.c_str());
      std::exit(1);
    }
  }
  std::vector<Flat> flat;
  std::unordered_map<std::int64_t, std::size_t> where;
  std::int64_t last_id = 0;
  std::uniform_real_distribution<double> unit(0, 1);
  auto issue = [&](Millis issued_at, std::optional<Millis> booked) {
    int g = random_group(rng);
    auto number = q.next_number(group_id(g), kDay);
    Ticket t;
    t.id = ++last_id;
    t.number = number->first;
    t.letter = kLetters[static_cast<std::size_t>(g)];
    t.seq = number->second;
    t.day = kDay;
    t.group_id = group_id(g);
    t.issued_at = issued_at;
    double r = unit(rng);
    if (r < 0.03) {
      t.priority = "disability";
    } else if (r < 0.08) {
      t.booked_for = booked;
    } else if (r < 0.085) {
      t.target_user = 1 + static_cast<std::int64_t>(rng() % kAdministrators);
    }
    Flat f{t.id, t.group_id, t.issued_at, t.booked_for.value_or(-1), t.target_user.value_or(0), !t.priority.empty()};
    where[t.id] = flat.size();
    flat.push_back(f);
    q.add(std::move(t));
  };
  auto forget = [&](std::int64_t id) {
    std::size_t i = where.at(id);
    where[flat.back().id] = i;
    flat[i] = flat.back();
    flat.pop_back();
    where.erase(id);
  };
  // The morning so far: 10,000 tickets issued over the last 45 minutes, in order.
  std::vector<Millis> times;
  times.reserve(kWaiting);
  for (int i = 0; i < kWaiting; ++i) {
    times.push_back(now - static_cast<Millis>(unit(rng) * 45.0 * static_cast<double>(kMinute)));
  }
  std::sort(times.begin(), times.end());
  for (Millis at : times) {
    issue(at, at + static_cast<Millis>(unit(rng) * 90.0 * static_cast<double>(kMinute)));
  }

  NextRun out;
  out.pick_us.reserve(kDecisions);
  out.call_us.reserve(kDecisions);
  out.scan_us.reserve(kDecisions);
  for (int i = 0; i < kDecisions; ++i) {
    now += 100; // ten decisions a second: the run covers 33 minutes of the day
    std::int64_t user = 1 + static_cast<std::int64_t>(rng() % kAdministrators);
    const Skills& mine = skills[static_cast<std::size_t>(user - 1)];
    int waiting = static_cast<int>(flat.size());
    out.min_waiting = std::min(out.min_waiting, waiting);
    out.max_waiting = std::max(out.max_waiting, waiting);
    std::optional<Pick> picked;
    if (timed_scan) {
      auto scanned = timed(out.scan_us, [&] { return brute_force(flat, user, mine, now, q.settings().wait_limit_ms); });
      picked = q.pick(user, now);
      if (scanned.has_value() == picked.has_value() &&
          (!picked || (scanned->ticket_id == picked->ticket_id && scanned->rule == picked->rule))) {
        ++out.agree;
      }
    } else {
      picked = timed(out.pick_us, [&] { return q.pick(user, now); });
    }
    Result<std::optional<Ticket>> called =
        timed_scan ? q.call_next(user, now) : timed(out.call_us, [&] { return q.call_next(user, now); });
    ++out.decisions;
    if (!called || !called->has_value()) {
      ++out.empty;
      continue;
    }
    const Ticket& t = **called;
    if (t.rule) {
      ++out.rules[static_cast<std::size_t>(*t.rule)];
    }
    forget(t.id);
    (void)q.finish(user, t.id, Outcome::consultation_given, std::nullopt, now);
    // A new visitor takes a ticket: the queue stays at 10,000.
    issue(now, now + static_cast<Millis>((unit(rng) * 75.0 - 15.0) * static_cast<double>(kMinute)));
  }
  return out;
}

void next_report() {
  NextRun engine = run_next(false);
  NextRun scan = run_next(true);
  Stats pick = stats(engine.pick_us);
  Stats call = stats(engine.call_us);
  Stats anchor = stats(scan.scan_us);
  std::printf("\"next\" with %d-%d waiting tickets, %d groups, %d administrators, %d decisions (target: p99 < 50 us)\n",
              engine.min_waiting, engine.max_waiting, kGroups, kAdministrators, engine.decisions);
  std::printf("    %-36s %9s %9s %9s %9s\n", "", "p50 us", "p99 us", "max us", "mean us");
  auto row = [](const char* name, const Stats& s, const char* note) {
    std::printf("    %-36s %9.2f %9.2f %9.1f %9.2f  %s\n", name, s.p50, s.p99, s.max, s.mean, note);
  };
  row("CenterQueue::pick", pick, pick.p99 < 50 ? "p99 < 50 us: ok" : "p99 < 50 us: ABOVE");
  row("CenterQueue::call_next", call, call.p99 < 50 ? "p99 < 50 us: ok" : "p99 < 50 us: ABOVE");
  row("anchor: brute-force scan", anchor, "");
  std::printf("    pick p50 is %.0fx faster than the scan; the scan agreed with pick on %d of %d decisions "
              "(ticket and rule)\n",
              pick.p50 > 0 ? anchor.p50 / pick.p50 : 0.0, scan.agree, scan.decisions);
  std::printf("    rules of the calls:");
  for (std::size_t r = 0; r < engine.rules.size(); ++r) {
    std::printf(" %s %d", std::string(to_string(static_cast<PickRule>(r))).c_str(), engine.rules[r]);
  }
  std::printf("; nothing to call: %d\n", engine.empty);
}

// --- Estimate accuracy over a simulated day --------------------------------------------------------

struct Visit {
  std::int64_t group = 0;
  Millis issued = 0;
  Millis called = -1;
  std::optional<Millis> estimate;
  Millis naive = 0;
  bool priority = false;
};

void estimate_report() {
  constexpr int kWindows = 40;
  constexpr double kVisits = 2000;
  constexpr double kHours = 10;
  constexpr double kSigma = 0.5; // of the lognormal service time
  constexpr std::array<double, 10> kHourly{0.6, 1.4, 1.6, 1.4, 0.8, 0.9, 1.2, 1.1, 0.6, 0.4}; // rate by hour
  std::mt19937_64 rng(4042026);
  CenterQueue q;
  set_groups(q);
  std::vector<Skills> skills;
  std::array<int, kGroups> with_group{};
  for (int u = 0; u < kWindows; ++u) {
    skills.push_back(random_skills(rng, u));
    (void)q.sign_in(u + 1, "Адміністратор " + std::to_string(u + 1), 100 + u, u + 1, skills.back(), kT0);
    for (int g = 0; g < kGroups; ++g) {
      if (has(skills.back().primary, group_id(g)) || has(skills.back().secondary, group_id(g))) {
        ++with_group[static_cast<std::size_t>(g)];
      }
    }
  }
  // Arrivals: a Poisson process over the opening hours, its rate following the hour of the day
  // (a morning and an afternoon peak; the mean is kVisits / kHours), drawn by thinning.
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Millis> arrivals;
  const double day_ms = kHours * 60.0 * static_cast<double>(kMinute);
  const double peak = *std::max_element(kHourly.begin(), kHourly.end());
  std::exponential_distribution<double> gap(peak * kVisits / day_ms);
  for (double t = gap(rng); t < day_ms; t += gap(rng)) {
    auto hour = static_cast<std::size_t>(t / (60.0 * static_cast<double>(kMinute)));
    if (unit(rng) * peak < kHourly[hour]) {
      arrivals.push_back(kT0 + static_cast<Millis>(t));
    }
  }
  double work_ms = 0;
  for (int g = 0; g < kGroups; ++g) {
    work_ms += kPopularity[static_cast<std::size_t>(g)] / 100.0 * kTypicalMinutes[static_cast<std::size_t>(g)] *
               static_cast<double>(kMinute);
  }
  const double utilization = kVisits * work_ms / (kWindows * day_ms);
  auto service_ms = [&](std::int64_t group) {
    double mean = kTypicalMinutes[static_cast<std::size_t>(group - 1)] * static_cast<double>(kMinute);
    std::lognormal_distribution<double> d(std::log(mean) - kSigma * kSigma / 2, kSigma);
    return static_cast<Millis>(d(rng));
  };

  std::unordered_map<std::int64_t, Visit> visits;
  // Visits under way: (finish time, administrator, ticket), the earliest first.
  using Busy = std::tuple<Millis, std::int64_t, std::int64_t>;
  std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy;
  std::vector<std::int64_t> idle; // the longest idle first
  for (int u = 1; u <= kWindows; ++u) {
    idle.push_back(u);
  }
  auto call = [&](std::int64_t user, Millis now) {
    auto r = q.call_next(user, now);
    if (!r || !r->has_value()) {
      return false;
    }
    const Ticket& t = **r;
    visits[t.id].called = now;
    (void)q.start(user, t.id, now);
    busy.emplace(now + service_ms(t.group_id), user, t.id);
    return true;
  };
  std::int64_t last_id = 0;
  std::size_t next_arrival = 0;
  while (next_arrival < arrivals.size() || !busy.empty()) {
    bool finish_first =
        !busy.empty() && (next_arrival == arrivals.size() || std::get<0>(busy.top()) <= arrivals[next_arrival]);
    if (finish_first) {
      auto [now, user, id] = busy.top();
      busy.pop();
      (void)q.finish(user, id, Outcome::consultation_given, std::nullopt, now);
      if (!call(user, now)) {
        idle.push_back(user);
      }
      continue;
    }
    Millis now = arrivals[next_arrival++];
    int g = random_group(rng);
    auto number = q.next_number(group_id(g), kDay);
    Ticket t;
    t.id = ++last_id;
    t.number = number->first;
    t.letter = kLetters[static_cast<std::size_t>(g)];
    t.seq = number->second;
    t.day = kDay;
    t.group_id = group_id(g);
    t.issued_at = now;
    t.priority = unit(rng) < 0.03 ? "war_veteran" : "";
    Visit v;
    v.group = t.group_id;
    v.issued = now;
    v.priority = !t.priority.empty();
    // The naive estimate: everyone waiting in the group, at the catalog's time, over everyone who
    // can serve the group.
    int ahead = q.load(group_id(g), now).waiting;
    v.naive = static_cast<Millis>(static_cast<double>(ahead) * kTypicalMinutes[static_cast<std::size_t>(g)] *
                                  static_cast<double>(kMinute) / with_group[static_cast<std::size_t>(g)]);
    q.add(t);
    if (auto e = q.estimate(t.id, now)) {
      v.estimate = e->wait_ms;
    }
    visits[t.id] = v;
    for (auto it = idle.begin(); it != idle.end(); ++it) {
      if (call(*it, now)) {
        idle.erase(it);
        break;
      }
    }
  }

  double n = 0;
  double no_estimate = 0;
  double engine_abs = 0;
  double engine_signed = 0;
  double naive_abs = 0;
  double naive_signed = 0;
  std::vector<double> waits;
  for (const auto& [id, v] : visits) {
    if (v.called < 0) {
      continue;
    }
    double actual = static_cast<double>(v.called - v.issued) / kMinute;
    waits.push_back(actual);
    n += 1;
    if (!v.estimate) {
      no_estimate += 1;
      continue;
    }
    double e = static_cast<double>(*v.estimate) / kMinute;
    double naive = static_cast<double>(v.naive) / kMinute;
    engine_abs += std::abs(e - actual);
    engine_signed += e - actual;
    naive_abs += std::abs(naive - actual);
    naive_signed += naive - actual;
  }
  // Per group: where the error comes from.
  struct Row {
    int n = 0;
    double actual = 0;
    double engine = 0;
    double naive = 0;
    double engine_abs = 0;
  };
  std::array<Row, kGroups> rows{};
  for (const auto& [id, v] : visits) {
    if (v.called < 0 || !v.estimate) {
      continue;
    }
    Row& r = rows[static_cast<std::size_t>(v.group - 1)];
    double actual = static_cast<double>(v.called - v.issued) / kMinute;
    r.n += 1;
    r.actual += actual;
    r.engine += static_cast<double>(*v.estimate) / kMinute;
    r.naive += static_cast<double>(v.naive) / kMinute;
    r.engine_abs += std::abs(static_cast<double>(*v.estimate) / kMinute - actual);
  }
  double m = n - no_estimate;
  Stats w = stats(waits);
  std::printf("\nestimate accuracy: one simulated day, %zu Poisson arrivals over %.0f h (peaks at %.1fx the mean "
              "rate), %d windows, %d groups, lognormal service (sigma %.1f) around the typical time; offered load "
              "%.0f%% of the windows over the day\n",
              arrivals.size(), kHours, *std::max_element(kHourly.begin(), kHourly.end()), kWindows, kGroups, kSigma,
              100 * utilization);
  std::printf("    actual wait: mean %.1f min, median %.1f min, p99 %.1f min, max %.1f min\n", w.mean, w.p50, w.p99,
              w.max);
  std::printf("    %-48s MAE %6.2f min   mean error %+6.2f min\n", "engine estimate(id).wait_ms at issue",
              engine_abs / m, engine_signed / m);
  std::printf("    %-48s MAE %6.2f min   mean error %+6.2f min\n", "anchor: waiting x typical / administrators",
              naive_abs / m, naive_signed / m);
  std::printf("    tickets without an estimate: %.0f of %.0f\n", no_estimate, n);
  std::printf("    per group (mean minutes): group typical administrators visits | actual engine naive | engine MAE\n");
  for (int g = 0; g < kGroups; ++g) {
    const Row& r = rows[static_cast<std::size_t>(g)];
    if (r.n == 0) {
      continue;
    }
    std::printf("      %s %3d %3d %4d | %5.1f %5.1f %5.1f | %5.1f\n", kLetters[static_cast<std::size_t>(g)],
                kTypicalMinutes[static_cast<std::size_t>(g)], with_group[static_cast<std::size_t>(g)], r.n,
                r.actual / r.n, r.engine / r.n, r.naive / r.n, r.engine_abs / r.n);
  }
}

} // namespace

int main() {
  std::printf("=== queue engine (bench/queue/queue_engine_bench) ===\n");
  next_report();
  estimate_report();
  return 0;
}
