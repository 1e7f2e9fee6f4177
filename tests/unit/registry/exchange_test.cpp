#include <gtest/gtest.h>

#include "audit/audit.hpp"
#include "registry/exchange.hpp"
#include "testing/test_db.hpp"

namespace vikno::registry {
namespace {

class RegistryImportTest : public storage::testing::DbTest {
protected:
  void SetUp() override {
    DbTest::SetUp();
    if (!IsSkipped()) {
      registry_ = std::make_unique<Registry>(db(), [] { return Millis{1773136800000}; });
    }
  }
  std::int64_t count(const std::string& table) {
    return db().read([&](storage::Connection& c) { return c.query_one("SELECT COUNT(*) FROM " + table)->int64(0); });
  }
  auth::Principal system_ = auth::Principal::system();
  Actor actor() { return Actor{system_, "test"}; }
  std::unique_ptr<Registry> registry_;
};

constexpr std::string_view kBundle = R"({
  "providers": [{"code": "dracs", "name_uk": "Відділ ДРАЦС", "kind": "registrar"}],
  "groups": [{"code": "civil", "name_uk": "Цивільний стан", "ticket_letter": "Ц"}],
  "services": [{"identifier": "birth", "group": "civil", "provider": "dracs", "title_uk": "Державна реєстрація народження",
                "term": {"days": 1, "unit": "working_days"}, "purposes": ["receive_result", "consultation"]}],
  "life_situations": [{"code": "birth", "name_uk": "Народження дитини", "services": ["birth"]}],
  "centers": [{"code": "c", "name_uk": "ЦНАП", "windows": [{"number": 1}], "services": ["birth"]},
              {"code": "r", "name_uk": "ВРМ", "kind": "remote_workplace", "parent": "c"}]
})";

TEST_P(RegistryImportTest, TheSameFileTwiceChangesNothing) {
  auto first = import_json(*registry_, actor(), kBundle);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->created, 6);
  const auto audit_rows = count("audit_log");
  auto second = import_json(*registry_, actor(), kBundle);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->created + second->updated, 0);
  EXPECT_EQ(second->unchanged, 6);
  EXPECT_EQ(count("audit_log"), audit_rows);
  EXPECT_EQ(count("service_versions"), 1);
  EXPECT_TRUE(audit::verify(db()).ok);
}

TEST_P(RegistryImportTest, AnyProblemWritesNothingAndListsEveryOne) {
  std::string bad(kBundle);
  auto swap = [&](std::string_view from, std::string_view to) { bad.replace(bad.find(from), from.size(), to); };
  swap(R"("ticket_letter": "Ц")", R"("ticket_letter": "ЦЦ")");
  swap(R"("provider": "dracs")", R"("provider": "nobody")");
  auto r = import_json(*registry_, actor(), bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "import_invalid");
  std::vector<std::string> fields;
  for (const auto& p : r.error().problems) {
    fields.push_back(p.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"groups[0].ticket_letter", "services[0].provider"}));
  for (const char* table : {"providers", "service_groups", "services", "centers", "life_situations"}) {
    EXPECT_EQ(count(table), 0) << table;
  }
}

TEST_P(RegistryImportTest, AFailureInsideTheTransactionRollsEverythingBack) {
  // A letter taken by a group already in the database is found only while writing.
  ASSERT_TRUE(registry_->create_group(actor(), {"other", "Інше", "", "Ц", 0}));
  const auto providers = count("providers");
  auto r = import_json(*registry_, actor(), kBundle);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problems.at(0).field, "groups[0].ticket_letter");
  EXPECT_EQ(count("providers"), providers);
  EXPECT_EQ(count("services"), 0);
}

TEST_P(RegistryImportTest, ExportImportsBackUnchanged) {
  ASSERT_TRUE(import_json(*registry_, actor(), kBundle));
  auto text = boost::json::serialize(export_json(*registry_));
  auto again = import_json(*registry_, actor(), text);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->created + again->updated, 0);
  for (auto table : {CsvTable::services, CsvTable::centers}) {
    auto csv = import_csv(*registry_, actor(), table, export_csv(*registry_, table));
    ASSERT_TRUE(csv) << csv.error().message;
    EXPECT_EQ(csv->created + csv->updated, 0);
  }
}

// Both answered 500 before (issue 13): a parent id of no center reached the foreign key, an empty
// CSV list item had no first part to read. Now each is one problem, and nothing is written.
TEST_P(RegistryImportTest, AParentIdOfNoCenterIsAProblemNotAForeignKeyFailure) {
  auto r = import_json(*registry_, actor(), R"({"providers": [{"code": "p", "name_uk": "Надавач", "kind": "other"}],
      "centers": [{"code": "w", "name_uk": "ВРМ", "kind": "remote_workplace", "parent_id": 987654}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "import_invalid");
  ASSERT_EQ(r.error().problems.size(), 1U);
  EXPECT_EQ(r.error().problems[0].field, "centers[0].parent_id");
  EXPECT_EQ(count("providers"), 0);
  EXPECT_EQ(count("centers"), 0);
}

TEST_P(RegistryImportTest, AnEmptyCsvListItemIsAProblemOnItsLine) {
  ASSERT_TRUE(import_json(*registry_, actor(), kBundle));
  const auto audit_rows = count("audit_log");
  for (const char* column : {"documents", "legal_basis", "channels", "stages"}) {
    auto r =
        import_csv(*registry_, actor(), CsvTable::services,
                   std::string("identifier,group,provider,title_uk,") + column + "\nbirth,civil,dracs,Змінена, | \n");
    ASSERT_FALSE(r) << column;
    EXPECT_EQ(r.error().code, "import_invalid");
    ASSERT_EQ(r.error().problems.size(), 1U) << column;
    EXPECT_EQ(r.error().problems[0].field, column);
    EXPECT_EQ(r.error().problems[0].line, 2);
  }
  auto windows = import_csv(*registry_, actor(), CsvTable::centers, "code,name_uk,windows\nc,ЦНАП,1 |  | 2\n");
  ASSERT_FALSE(windows);
  EXPECT_EQ(windows.error().problems.at(0).field, "windows");
  EXPECT_EQ(count("audit_log"), audit_rows);
  EXPECT_EQ(count("service_versions"), 1);
}

VIKNO_INSTANTIATE_DB_TEST(RegistryImportTest);

} // namespace
} // namespace vikno::registry
