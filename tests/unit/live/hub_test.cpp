#include "live/hub.hpp"

#include <gtest/gtest.h>

namespace vikno::live {
namespace {

std::vector<std::uint64_t> ids(EventChannel& channel) {
  std::vector<std::uint64_t> out;
  for (const auto& e : channel.take()) {
    out.push_back(e->id);
  }
  return out;
}

TEST(LiveHub, SubscribersGetWhatIsPublishedAfterThem) {
  LiveHub hub;
  hub.publish("center:1", 5, "ticket_called", "{}");
  auto a = hub.subscribe("center:1", std::nullopt);
  hub.publish("center:1", 9, "ticket_called", "{}");
  hub.publish("center:2", 10, "ticket_called", "{}");
  EXPECT_EQ(ids(*a), (std::vector<std::uint64_t>{9}));
  EXPECT_EQ(hub.subscribers(), 1U);
}

// A snapshot taken while commands were still committing already shows them: their events, when
// they come, are not delivered twice (a display would call the ticket again).
TEST(LiveHub, ASubscriberSkipsTheEventsItsSnapshotHolds) {
  LiveHub hub;
  hub.publish("center:1", 4, "ticket_called", "{}");
  auto a = hub.subscribe("center:1", std::nullopt, {Event{6, "snapshot", "{}"}}, 6);
  hub.publish("center:1", 5, "ticket_issued", "{}");
  hub.publish("center:1", 6, "ticket_called", "{}");
  hub.publish("center:1", 7, "ticket_finished", "{}");
  EXPECT_EQ(ids(*a), (std::vector<std::uint64_t>{6, 7})); // the snapshot (id 6), then only 7
}

TEST(LiveHub, AResumeIsExactOnlyWhenNothingAfterTheLastIdWasForgotten) {
  LiveHub hub(3);
  hub.begin("center:1", 100); // events up to 100 happened before this process
  EXPECT_FALSE(hub.can_resume("center:1", 90));
  EXPECT_TRUE(hub.can_resume("center:1", 100));
  for (std::uint64_t id : {103, 107, 111, 120}) { // ids have gaps: other centers use the rest
    hub.publish("center:1", id, "x", "{}");
  }
  EXPECT_FALSE(hub.can_resume("center:1", 100)); // 103 was dropped from the three kept
  EXPECT_TRUE(hub.can_resume("center:1", 103));
  EXPECT_TRUE(hub.can_resume("center:1", 111));
  EXPECT_FALSE(hub.can_resume("center:1", 121)); // an id this process never saw
  auto resumed = hub.subscribe("center:1", 107);
  EXPECT_EQ(ids(*resumed), (std::vector<std::uint64_t>{111, 120}));
  EXPECT_FALSE(hub.can_resume("center:9", 1));
}

TEST(LiveHub, ASlowSubscriberIsDroppedAndForgotten) {
  LiveHub hub(16, 4);
  auto slow = hub.subscribe("center:1", std::nullopt);
  auto fast = hub.subscribe("center:1", std::nullopt);
  for (std::uint64_t id = 1; id <= 10; ++id) {
    hub.publish("center:1", id, "x", "{}");
    (void)fast->take();
  }
  EXPECT_TRUE(slow->closed());
  EXPECT_TRUE(slow->overflowed());
  EXPECT_FALSE(fast->closed());
  EXPECT_EQ(hub.subscribers(), 1U);
}

TEST(LiveHub, TicketTopicsKeepNothingAndListTheirWatchers) {
  LiveHub hub;
  hub.publish("ticket:abc", 1, "ticket", "{}", false);
  auto watcher = hub.subscribe("ticket:abc", std::nullopt, {Event{0, "ticket", "{\"state\":\"waiting\"}"}});
  EXPECT_EQ(hub.watched_among("ticket:", {"nobody", "abc", "ab"}), (std::vector<std::string>{"ticket:abc"}));
  EXPECT_TRUE(hub.watched_among("center:", {"abc"}).empty());
  hub.publish("ticket:abc", 2, "ticket", "{}", false);
  EXPECT_EQ(ids(*watcher), (std::vector<std::uint64_t>{0, 2}));
  watcher->close();
  EXPECT_TRUE(hub.watched_among("ticket:", {"abc"}).empty());
}

} // namespace
} // namespace vikno::live
