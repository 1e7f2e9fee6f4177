#include "cases/demo.hpp"

#include <array>
#include <map>
#include <random>

namespace vikno::cases {

namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kHour = 3600LL * 1000;

constexpr std::array kSurnames{"Коваленко", "Бондаренко", "Ткаченко",  "Кравченко", "Шевчук",   "Мельник",
                               "Бойко",     "Мороз",      "Лисенко",   "Руденко",   "Савченко", "Марченко",
                               "Поліщук",   "Гончаренко", "Кузьменко", "Павленко",  "Костенко", "Олійник"};
constexpr std::array kNames{"Олена",  "Андрій", "Ірина",  "Сергій", "Наталія", "Оксана",
                            "Тетяна", "Юлія",   "Микола", "Петро",  "Василь",  "Дмитро"};
constexpr std::array kPatronymics{"Іванович", "Петрівна", "Миколайович", "Олександрівна", "Васильович", "Сергіївна"};

auth::Principal staff(std::int64_t id, auth::Role role, std::optional<std::int64_t> provider = std::nullopt) {
  auth::Principal p;
  p.kind = auth::PrincipalKind::user;
  p.id = id;
  p.role = role;
  p.provider = provider;
  return p;
}

} // namespace

Result<DemoCasesSummary> load_demo_cases(storage::Db& db, registry::Registry& registry, const seal::Keyring& keys,
                                         std::int64_t center_id, std::int64_t front_user, Millis now, int count) {
  Millis at = now;
  CaseService service(
      db, registry, keys, [&at] { return at; }, CaseOptions{});
  VIKNO_TRY(center, registry.get_center(center_id));
  std::map<std::int64_t, std::int64_t> employee_of; // provider -> a demo user working for it
  db.read([&](storage::Connection& c) {
    for (const auto& r :
         c.query("SELECT provider_id, min(id) FROM users WHERE provider_id IS NOT NULL GROUP BY provider_id")) {
      employee_of[r.int64(0)] = r.int64(1);
    }
  });
  std::vector<registry::Service> services;
  for (auto id : center.service_ids) {
    auto s = registry.get_service(id);
    if (s && employee_of.contains(s->current.card.provider_id)) {
      services.push_back(*s);
    }
  }
  DemoCasesSummary summary;
  if (services.empty()) {
    return summary;
  }
  std::mt19937_64 random(15); // NOLINT(cert-msc32-c,cert-msc51-cpp): the demo is the same every time
  auto pick = [&random](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const auth::Principal front = staff(front_user, auth::Role::center_head);
  const Actor front_actor{front, "demo"};
  auto written = service.batch([&]() -> Result<void> {
    for (int i = 0; i < count; ++i) {
      const auto& s = services[pick(services.size())];
      const auto& card = s.current.card;
      // Registered on one of the last 45 days, in office hours (08:00-16:00 Kyiv is 06:00-14:00 UTC).
      at = now - static_cast<Millis>(1 + pick(45)) * kDay;
      at = at - at % kDay + 6 * kHour + static_cast<Millis>(pick(8)) * kHour;
      Registration r;
      r.applicant.name = std::string(kSurnames[pick(kSurnames.size())]) + " " + kNames[pick(kNames.size())] + " " +
                         kPatronymics[pick(kPatronymics.size())];
      r.applicant.phone = "+38067" + std::to_string(1000000 + pick(8999999));
      r.applicant.consent = {NotifyChannel::sms};
      ServiceRequest sr;
      sr.service_id = s.id;
      sr.fee_paid = true;
      for (const auto& d : card.documents) {
        InventoryLine l;
        l.name = d.name;
        l.pages = static_cast<int>(1 + pick(3));
        sr.inventory.push_back(std::move(l));
      }
      r.services.push_back(std::move(sr));
      auto registered = service.register_application(front_actor, center_id, r, {});
      if (!registered) {
        return fail(registered.error());
      }
      Case k = registered->cases.front();
      ++summary.cases;
      const auth::Principal provider =
          staff(employee_of.at(k.provider_id), auth::Role::provider_employee, k.provider_id);
      const Actor provider_actor{provider, "demo"};
      // How fast this provider is with this case: the share of the term its decision takes.
      const double pace = 0.3 + static_cast<double>(pick(170)) / 100.0;
      const Millis term_ms =
          static_cast<Millis>(k.term.days) * kDay * (k.term.unit == TermUnit::working_days ? 7 : 5) / 5;
      const Millis decide_at = k.registered_at + static_cast<Millis>(pace * static_cast<double>(term_ms));
      auto step = [&](const Actor& who, const MoveRequest& m, Millis when) -> bool {
        if (when >= now) {
          return false;
        }
        at = when;
        auto moved = service.move(who, center_id, k.id, std::nullopt, m, {});
        if (!moved) {
          return false;
        }
        k = moved->k;
        return true;
      };
      auto plain = [](MoveKind kind) {
        MoveRequest m;
        m.kind = kind;
        return m;
      };
      Millis t = k.registered_at + 2 * kHour;
      if (!step(front_actor, plain(MoveKind::hand_over), t) ||
          !step(provider_actor, plain(MoveKind::accept), t + kDay)) {
        continue;
      }
      const auto stages = static_cast<Millis>(k.stages.size());
      bool open = true;
      for (Millis n = 1; n <= stages && open; ++n) {
        open = step(provider_actor, plain(MoveKind::finish_stage),
                    k.registered_at + (decide_at - k.registered_at) * n / (stages + 1));
      }
      if (!open) {
        continue;
      }
      if (pick(10) == 0) {
        MoveRequest wait = plain(MoveKind::suspend);
        wait.reason = "Довідка про реєстрацію місця проживання";
        Millis when = decide_at - 3 * kDay;
        if (!step(provider_actor, wait, when) || !step(provider_actor, plain(MoveKind::resume), when + 2 * kDay)) {
          continue;
        }
      }
      MoveRequest decision = plain(MoveKind::decide_ready);
      if (pick(20) == 0) {
        decision = plain(MoveKind::refuse);
        decision.refusal_ground = "incomplete_documents";
        decision.legal_basis = "ч. 1 ст. 12 Закону України «Про адміністративні послуги»";
        decision.reason = "До заяви не додано документ, передбачений інформаційною карткою";
      }
      if (!step(provider_actor, decision, decide_at) ||
          !step(front_actor, plain(MoveKind::receive_result), decide_at + kDay)) {
        continue;
      }
      MoveRequest issue = plain(MoveKind::issue);
      issue.issue_method = IssueMethod::in_person;
      issue.identity_checked = true;
      step(front_actor, issue, decide_at + static_cast<Millis>(2 + pick(12)) * kDay);
    }
    return {};
  });
  if (!written) {
    return fail(written.error());
  }
  at = now;
  store::Query overdue;
  overdue.center_id = center_id;
  overdue.open_only = true;
  overdue.due_before = calendar::format_iso_date(service.today());
  overdue.limit = 1;
  store::Query soon = overdue;
  soon.due_before.clear();
  soon.due_from = calendar::format_iso_date(service.today());
  soon.due_through = calendar::format_iso_date(service.calendar().add_working_days(service.today(), 2));
  db.read([&](storage::Connection& c) {
    summary.overdue = static_cast<int>(store::list(c, overdue).total);
    summary.due_soon = static_cast<int>(store::list(c, soon).total);
  });
  return summary;
}

} // namespace vikno::cases
