#include <gtest/gtest.h>

#include "registry/codec.hpp"

namespace vikno::registry {
namespace {

bj::object parse(std::string_view text) { return bj::parse(text).as_object(); }

TEST(RegistryCodec, ATermWithoutUnitIsAProblemAtTermUnit) {
  ServiceCard card;
  CardRefs refs;
  Problems out;
  read_card(parse(R"({"term": {"days": 10}})"), "", card, refs, out);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].field, "term.unit");
}

TEST(RegistryCodec, ANullTermMeansThirtyCalendarDays) {
  ServiceCard card;
  card.term = {5, TermUnit::working_days};
  card.term_set_by_law = true;
  CardRefs refs;
  Problems out;
  read_card(parse(R"({"term": null})"), "", card, refs, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(card.term, (Term{30, TermUnit::calendar_days}));
  EXPECT_FALSE(card.term_set_by_law);
}

TEST(RegistryCodec, ReadingMergesOntoTheCurrentRecord) {
  CenterProfile c;
  c.name_uk = "ЦНАП";
  c.address = "вул. Шевченка, 1";
  c.hours = {{1, 480, 1200}};
  CenterRefs refs;
  Problems out;
  read_center(parse(R"({"phone": "+380"})"), "", c, refs, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(c.address, "вул. Шевченка, 1");
  EXPECT_EQ(c.hours.size(), 1U);
  EXPECT_EQ(c.phone, "+380");
  EXPECT_FALSE(refs.parent_given);
}

TEST(RegistryCodec, TypeMistakesNameTheirPath) {
  CenterProfile c;
  CenterRefs refs;
  Problems out;
  read_center(parse(R"({"kind": "palace", "hours": [{"weekday": 1, "opens": "8", "closes": "20:00"}, 5],
                        "latitude": "north"})"),
              "centers[2].", c, refs, out);
  std::vector<std::string> fields;
  for (const auto& p : out) {
    fields.push_back(p.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"centers[2].kind", "centers[2].latitude", "centers[2].hours[0].opens",
                                              "centers[2].hours[1]"}));
}

TEST(RegistryCodec, ReferencesByIdOrCode) {
  ServiceCard card;
  CardRefs refs;
  Problems out;
  read_card(parse(R"({"group_id": 3, "provider": "dmsu"})"), "", card, refs, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(refs.group.id, 3);
  EXPECT_EQ(refs.provider.code, "dmsu");
}

TEST(RegistryCodec, CardRoundTripsThroughJson) {
  ServiceCard card;
  CardRefs refs;
  Problems out;
  read_card(parse(R"({"title_uk": "Реєстрація місця проживання", "fee": {"kopiykas": 1700, "payment_details": "р/р"},
                      "term": {"days": 1, "unit": "working_days"}, "documents": ["Паспорт", {"name": "Заява", "note": "бланк"}],
                      "channels": ["in_person", {"channel": "online", "note": "https://diia.gov.ua"}],
                      "purposes": ["consultation", "submit_documents"],
                      "stages": [{"name": "Прийом", "responsible": "Адміністратор", "term": {"days": 1, "unit": "working_days"}}]})"),
            "", card, refs, out);
  ASSERT_TRUE(out.empty());
  ServiceCard again;
  CardRefs refs2;
  bj::object json = to_json(card);
  json.erase("group_id"); // 0: not yet resolved to a stored group
  json.erase("provider_id");
  read_card(json, "", again, refs2, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(again, card);
}

} // namespace
} // namespace vikno::registry
