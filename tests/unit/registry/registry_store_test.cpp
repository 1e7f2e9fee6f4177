// The registry against real databases: every case runs on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "audit/audit.hpp"
#include "registry/registry.hpp"
#include "testing/test_db.hpp"

namespace vikno::registry {
namespace {

using storage::Connection;

// 2026-03-10T10:00:00Z, a Tuesday.
constexpr Millis kNow = 1773136800000;

class RegistryStoreTest : public storage::testing::DbTest {
protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    registry_ = std::make_unique<Registry>(db(), [] { return kNow; });
    provider_ = registry_->create_provider(actor(), {"dmsu", "ДМС", "", ProviderKind::state_body, "", "", "", ""})->id;
    group_ = registry_->create_group(actor(), {"passports", "Паспорти", "", "П", 1})->id;
  }

  Actor actor() { return Actor{system_, "test"}; }

  ServiceCard card(std::string title) {
    ServiceCard c;
    c.title_uk = std::move(title);
    c.group_id = group_;
    c.provider_id = provider_;
    c.term = {20, TermUnit::working_days};
    c.documents = {{"Паспорт", ""}};
    c.purposes = {Purpose::submit_documents, Purpose::receive_result};
    c.stages = {{"Прийом", "Адміністратор", {1, TermUnit::working_days}}};
    return c;
  }

  std::int64_t count(const std::string& table) {
    return db().read([&](Connection& c) { return c.query_one("SELECT COUNT(*) FROM " + table)->int64(0); });
  }

  auth::Principal system_ = auth::Principal::system();
  std::unique_ptr<Registry> registry_;
  std::int64_t provider_ = 0;
  std::int64_t group_ = 0;
};

TEST_P(RegistryStoreTest, CenterRoundTripsWithHoursExceptionsAndWindows) {
  CenterProfile p;
  p.code = "kr";
  p.name_uk = "ЦНАП м. Кропивницького";
  p.katottg = "UA35020010010012345";
  p.latitude = 48.5079;
  p.longitude = 32.2623;
  p.floor_area_m2 = 1450.5;
  p.technical_condition = 5;
  p.population_served = 222695;
  p.founding_body = FoundingBody::city_council;
  p.hours = {{1, 480, 1200}, {2, 480, 1020}};
  p.exceptions = {{"2026-12-31", false, 480, 900, "передсвятковий день"},
                  {"2026-04-01", true, 0, 0, "санітарний день"}};
  auto created = registry_->create_center(actor(), p, {});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->profile.hours, p.hours);
  EXPECT_EQ(created->profile.exceptions.front().day, "2026-04-01"); // sorted by date
  EXPECT_EQ(created->profile.latitude, 48.5079);
  EXPECT_EQ(created->profile.technical_condition, 5);

  auto windows =
      registry_->set_windows(actor(), created->id, 1, {{0, 1, "Вікно 1", true, 1}, {0, 2, "Вікно 2", true, 1}});
  ASSERT_TRUE(windows);
  EXPECT_EQ(windows->version, 2);
  EXPECT_EQ(windows->windows.size(), 2U);
}

TEST_P(RegistryStoreTest, StaleVersionIsAConflictAndWritesNothing) {
  CenterProfile p;
  p.name_uk = "ЦНАП";
  auto c = registry_->create_center(actor(), p, {});
  ASSERT_TRUE(c);
  p.address = "перша адреса";
  ASSERT_TRUE(registry_->update_center(actor(), c->id, 1, p, {}));
  p.address = "друга адреса";
  auto stale = registry_->update_center(actor(), c->id, 1, p, {});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
  EXPECT_EQ(stale.error().code, "version_conflict");
  EXPECT_EQ(registry_->get_center(c->id)->profile.address, "перша адреса");
  auto missing = registry_->update_center(actor(), 9999, 1, p, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

// Every versioned record kind tells a record that is not there (404, its own code) from one that
// someone else changed since it was read (409 version_conflict), and writes nothing in either case.
TEST_P(RegistryStoreTest, EveryKindTellsMissingFromStale) {
  CenterProfile profile;
  profile.name_uk = "ЦНАП";
  auto center = registry_->create_center(actor(), profile, {});
  ASSERT_TRUE(center);
  auto service = registry_->create_service(actor(), "s", "", card("Послуга"), {});
  ASSERT_TRUE(service);
  auto situation = registry_->create_life_situation(actor(), {"ls", "Ситуація", "", "", {}}, {});
  ASSERT_TRUE(situation);
  const ProviderData provider{"dmsu", "ДМС", "", ProviderKind::state_body, "", "", "", ""};
  const GroupData group{"passports", "Паспорти", "", "Я", 1}; // a letter no other group has
  const LifeSituationData ls{"ls", "Ситуація", "", "", {}};
  const std::int64_t none = 987654;
  struct Case {
    const char* what;
    std::function<Result<void>(std::int64_t id, std::int64_t version)> update;
    std::int64_t id;
    const char* not_found;
  };
  auto drop = [](auto r) -> Result<void> {
    if (!r) {
      return fail(r.error());
    }
    return {};
  };
  const std::vector<Case> cases{
      {"provider", [&](auto id, auto v) { return drop(registry_->update_provider(actor(), id, v, provider)); },
       provider_, "provider_not_found"},
      {"group", [&](auto id, auto v) { return drop(registry_->update_group(actor(), id, v, group)); }, group_,
       "group_not_found"},
      {"service",
       [&](auto id, auto v) { return drop(registry_->update_service(actor(), id, v, "", card("Інша"), {})); },
       service->id, "service_not_found"},
      {"life situation",
       [&](auto id, auto v) { return drop(registry_->update_life_situation(actor(), id, v, ls, nullptr)); },
       situation->id, "life_situation_not_found"},
      {"center", [&](auto id, auto v) { return drop(registry_->update_center(actor(), id, v, profile, {})); },
       center->id, "center_not_found"},
      {"windows", [&](auto id, auto v) { return drop(registry_->set_windows(actor(), id, v, {})); }, center->id,
       "center_not_found"},
      {"center services", [&](auto id, auto v) { return drop(registry_->set_center_services(actor(), id, v, {})); },
       center->id, "center_not_found"},
  };
  const auto audit_rows = count("audit_log");
  for (const auto& c : cases) {
    auto missing = c.update(none, 1);
    ASSERT_FALSE(missing) << c.what;
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found) << c.what;
    EXPECT_EQ(missing.error().code, c.not_found) << c.what;
    auto stale = c.update(c.id, 99);
    ASSERT_FALSE(stale) << c.what;
    EXPECT_EQ(stale.error().kind, ErrorKind::conflict) << c.what;
    EXPECT_EQ(stale.error().code, "version_conflict") << c.what;
  }
  auto skills = registry_->set_skills(actor(), center->id, none, 1, {});
  ASSERT_FALSE(skills);
  EXPECT_EQ(skills.error().code, "staff_not_found");
  EXPECT_EQ(count("audit_log"), audit_rows);
  EXPECT_EQ(registry_->id_by_code(RecordKind::service, "s"), service->id);
  EXPECT_EQ(registry_->id_by_code(RecordKind::life_situation, "ls"), situation->id);
  EXPECT_EQ(registry_->id_by_code(RecordKind::provider, "dmsu"), provider_);
  EXPECT_EQ(registry_->id_by_code(RecordKind::service_group, "passports"), group_);
  EXPECT_FALSE(registry_->id_by_code(RecordKind::center, "s"));
}

TEST_P(RegistryStoreTest, BadInputWritesNothingNotEvenAnAuditEntry) {
  const auto audit_before = count("audit_log");
  CenterProfile p;
  p.name_uk = "ЦНАП";
  p.katottg = "UA1";
  EXPECT_FALSE(registry_->create_center(actor(), p, {}));
  ServiceCard c = card("Послуга");
  CardRefs refs;
  refs.provider = Ref{0, "no-such-provider"};
  auto unknown = registry_->create_service(actor(), "svc-x", "", c, refs);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().problems.at(0).field, "provider");
  EXPECT_EQ(count("centers"), 0);
  EXPECT_EQ(count("services"), 0);
  EXPECT_EQ(count("service_versions"), 0);
  EXPECT_EQ(count("audit_log"), audit_before);
}

TEST_P(RegistryStoreTest, AnEditIsANewVersionAndTheOldOneIsKept) {
  auto s = registry_->create_service(actor(), "passport-abroad", "2026-01-01",
                                     card("Оформлення паспорта громадянина України для виїзду за кордон"), {});
  ASSERT_TRUE(s) << s.error().message;
  const std::int64_t first_version = s->current.id;
  ServiceCard next = s->current.card;
  next.fee_kopiykas = 100000;
  auto edited = registry_->update_service(actor(), s->id, s->version, "2026-04-01", next, {});
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_NE(edited->current.id, first_version);
  EXPECT_EQ(edited->current.seq, 2);
  // Today (2026-03-10) the first version is in force; from April the second.
  EXPECT_EQ(registry_->get_service(s->id)->current.id, first_version);
  EXPECT_EQ(registry_->get_service(s->id, "2026-04-01")->current.card.fee_kopiykas, 100000);
  auto old = registry_->service_version(first_version);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->current.card.fee_kopiykas, 0);
  EXPECT_EQ(old->current.card.stages.size(), 1U);
  EXPECT_EQ(registry_->service_versions(s->id).size(), 2U);
  auto stale = registry_->update_service(actor(), s->id, s->version, "", next, {});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "version_conflict");
}

TEST_P(RegistryStoreTest, SearchFindsCyrillicWordsCaseInsensitively) {
  ASSERT_TRUE(registry_->create_service(actor(), "a", "",
                                        card("Оформлення паспорта громадянина України для виїзду за кордон"), {}));
  ASSERT_TRUE(registry_->create_service(actor(), "b", "", card("Реєстрація місця проживання особи"), {}));
  ASSERT_TRUE(registry_->create_service(actor(), "c", "", card("Державна реєстрація народження дитини"), {}));
  auto titles = [&](std::string q) {
    std::vector<std::string> out;
    for (const auto& h : registry_->search({.text = std::move(q)}).items) {
      out.push_back(h.identifier);
    }
    return out;
  };
  EXPECT_EQ(titles("паспорт"), std::vector<std::string>{"a"});
  EXPECT_EQ(titles("ПАСПОРТИ"), std::vector<std::string>{"a"});
  // Where the word comes earlier in the title ranks first.
  EXPECT_EQ(titles("реєстрація"), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(titles("Реєстрація ДИТИНИ"), std::vector<std::string>{"c"});
  EXPECT_EQ(titles("земля"), std::vector<std::string>{});
  EXPECT_EQ(registry_->search({.text = "", .page = 2, .per_page = 2}).items.size(), 1U);
  EXPECT_EQ(registry_->search({}).total, 3);
}

TEST_P(RegistryStoreTest, LifeSituationsAndCenterServicesFilterTheCatalog) {
  auto a = registry_->create_service(actor(), "a", "", card("Реєстрація народження"), {});
  auto b = registry_->create_service(actor(), "b", "", card("Реєстрація місця проживання"), {});
  ASSERT_TRUE(a && b);
  auto birth = registry_->create_life_situation(actor(), {"birth", "Народження дитини", "", "", {}}, {Ref{0, "a"}});
  ASSERT_TRUE(birth) << birth.error().message;
  CenterProfile p;
  p.name_uk = "Віддалене робоче місце";
  auto center = registry_->create_center(actor(), p, {});
  ASSERT_TRUE(center);
  ASSERT_TRUE(registry_->set_center_services(actor(), center->id, 1, {Ref{b->id, {}}}));
  EXPECT_EQ(registry_->search({.text = "реєстрація", .life_situation_id = birth->id}).items.at(0).service_id, a->id);
  EXPECT_EQ(registry_->search({.text = "реєстрація", .center_id = center->id}).items.at(0).service_id, b->id);
  auto twice = registry_->set_center_services(actor(), center->id, 2, {Ref{b->id, {}}, Ref{0, "b"}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().problems.at(0).field, "services[1]");
}

TEST_P(RegistryStoreTest, EveryChangeIsAudited) {
  const auto before = count("audit_log");
  CenterProfile p;
  p.name_uk = "ЦНАП";
  auto c = registry_->create_center(actor(), p, {});
  ASSERT_TRUE(c);
  ASSERT_TRUE(registry_->set_windows(actor(), c->id, 1, {{0, 1, "", true, 1}}));
  EXPECT_EQ(count("audit_log"), before + 2);
  EXPECT_TRUE(audit::verify(db()).ok);
}

TEST_P(RegistryStoreTest, ABranchNeedsACenterAsParent) {
  CenterProfile main;
  main.code = "main";
  main.name_uk = "ЦНАП";
  ASSERT_TRUE(registry_->create_center(actor(), main, {}));
  CenterProfile branch;
  branch.name_uk = "Філія";
  branch.code = "branch";
  branch.kind = CenterKind::branch;
  CenterRefs refs{Ref{0, "main"}, true};
  auto b = registry_->create_center(actor(), branch, refs);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_TRUE(b->profile.parent_id.has_value());
  CenterProfile remote;
  remote.name_uk = "ВРМ";
  remote.kind = CenterKind::remote_workplace;
  auto under_branch = registry_->create_center(actor(), remote, CenterRefs{Ref{0, "branch"}, true});
  ASSERT_FALSE(under_branch);
  EXPECT_EQ(under_branch.error().problems.at(0).field, "parent_id");
}

TEST(RegistryKyivDate, FollowsSummerTime) {
  EXPECT_EQ(kyiv_date(1773136800000), "2026-03-10"); // 10:00Z
  EXPECT_EQ(kyiv_date(1767218400000), "2026-01-01"); // 2025-12-31T22:00Z = 00:00 EET
  EXPECT_EQ(kyiv_date(1782255600000), "2026-06-24"); // 2026-06-23T23:00Z = 02:00 EEST
  EXPECT_EQ(kyiv_date(1782248399000), "2026-06-23"); // 2026-06-23T20:59:59Z = 23:59:59 EEST
}

TEST(RegistryKyivTime, WeekdayAndMinuteOfTheDay) {
  KyivTime t = kyiv_time(1773136800000); // 2026-03-10T10:00Z, a Tuesday, 12:00 EET
  EXPECT_EQ(t.date, "2026-03-10");
  EXPECT_EQ(t.weekday, 2);
  EXPECT_EQ(t.minute, 12 * 60);
  EXPECT_EQ(kyiv_time(1782255600000).minute, 2 * 60); // 02:00 EEST
}

TEST(RegistryClosingTime, LastIntervalOfTheDayOrItsException) {
  CenterProfile p;
  p.hours = {{2, 8 * 60, 13 * 60}, {2, 14 * 60, 20 * 60}, {3, 8 * 60, 17 * 60}};
  KyivTime tuesday{"2026-03-10", 2, 0};
  EXPECT_EQ(closing_time(p, tuesday), 20 * 60);
  EXPECT_EQ(closing_time(p, KyivTime{"2026-03-12", 4, 0}), std::nullopt); // closed on Thursdays
  p.exceptions = {{"2026-03-10", false, 9 * 60, 15 * 60, "скорочений день"}};
  EXPECT_EQ(closing_time(p, tuesday), 15 * 60);
  p.exceptions = {{"2026-03-10", true, 0, 0, "свято"}};
  EXPECT_EQ(closing_time(p, tuesday), std::nullopt);
}

VIKNO_INSTANTIATE_DB_TEST(RegistryStoreTest);

} // namespace
} // namespace vikno::registry
