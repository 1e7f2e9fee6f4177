// The outbox and its worker on a real database (SQLite; PostgreSQL when VIKNO_TEST_PG_URL is set),
// sending to real local servers: an SMTP server (smtp-server under node) and an HTTP gateway.
// The clock is the test's: a retry is reached by moving it on, never by waiting for it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "notify/config.hpp"
#include "notify/gateway.hpp"
#include "notify/outbox.hpp"
#include "notify/smtp.hpp"
#include "notify/worker.hpp"
#include "sink.hpp"
#include "testing/test_db.hpp"

namespace vikno::notify {
namespace {

using namespace std::chrono_literals;
using testing::Sink;

constexpr Millis kStart = 1'796'292'000'000; // 2026-12-03T10:00:00Z
const std::string kSubject = "Ваша справа № cnap-kr-2026-000123 готова: заберіть результат у ЦНАП";
const std::string kBody = "Доброго дня! Результат готовий. Адреса: вул. Шевченка, 1, «ЦНАП».\nГодини: 08:00–17:00.";

class NotifyTest : public storage::testing::DbTest {
protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    db().transact([](storage::Connection& c) {
      c.execute("INSERT INTO centers (id, name_uk, created_at_ms) VALUES (1, 'ЦНАП', 0)");
    });
  }

  Clock clock() {
    return [this] { return now_.load(); };
  }
  void advance(Millis by) { now_ += by; }

  Message message(ChannelKind channel, std::string recipient, std::string object_id = "case-1") {
    Message m;
    m.center_id = 1;
    m.object_type = "case";
    m.object_id = std::move(object_id);
    m.channel = channel;
    m.recipient = std::move(recipient);
    m.subject = kSubject;
    m.body = kBody;
    m.template_code = "ready";
    m.created_at_ms = now_.load();
    return m;
  }

  std::string enqueue_committed(const Message& m) {
    return db().transact([&](storage::Connection& c) { return enqueue(c, keys_, m); });
  }

  std::vector<MessageView> views(const std::string& object_id = "case-1") {
    return db().read([&](storage::Connection& c) { return messages_of(c, "case", object_id, keys_); });
  }

  std::unique_ptr<Worker> worker(Worker::Channels channels, WorkerOptions options = {}) {
    return std::make_unique<Worker>(db(), keys_, std::move(channels), clock(), std::move(options));
  }

  SmtpOptions smtp(const Sink& sink) {
    SmtpOptions o;
    o.url = "smtp://127.0.0.1:" + std::to_string(sink.port());
    o.from = "ЦНАП Кропивницького <cnap@example.gov.ua>";
    o.timeout_ms = 10'000;
    return o;
  }

  seal::Keyring keys_ = seal::Keyring::generate();
  std::atomic<Millis> now_{kStart};
};

std::string str(const boost::json::value& v, std::string_view key) {
  return std::string(v.as_object().at(key).as_string());
}

TEST_P(NotifyTest, EmailArrivesWithItsUkrainianSubjectAndARolledBackOneNever) {
  Sink sink("smtp-sink.mjs", {});
  Worker::Channels channels;
  channels[ChannelKind::email] = std::make_unique<SmtpChannel>(smtp(sink), clock());
  auto w = worker(std::move(channels));

  // Enqueued in a transaction that rolls back (the case's move failed): must never be sent.
  auto rolled_back = db().transact([&](storage::Connection& c) -> Result<std::string> {
    enqueue(c, keys_, message(ChannelKind::email, "lost@example.com", "case-2"));
    return fail(Error::conflict("version_conflict", "the case changed"));
  });
  ASSERT_FALSE(rolled_back);
  const std::string id = enqueue_committed(message(ChannelKind::email, "taras@example.com"));
  w->start();
  w->wake();
  ASSERT_TRUE(w->wait_for_attempts(1, 20s));
  auto got = sink.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(str(got[0], "subject"), kSubject);
  EXPECT_EQ(str(got[0], "body"), kBody);
  EXPECT_EQ(got[0].at("to").as_array().at(0).as_string(), "taras@example.com");
  EXPECT_EQ(str(got[0], "from"), "cnap@example.gov.ua");
  const auto& headers = got[0].at("headers").as_object();
  EXPECT_EQ(std::string(headers.at("message-id").as_string()), "<" + id + "@example.gov.ua>");
  EXPECT_EQ(std::string(headers.at("date").as_string()), "Thu, 03 Dec 2026 10:00:00 +0000");
  EXPECT_EQ(std::string(headers.at("content-type").as_string()), "text/plain; charset=utf-8");
  EXPECT_NE(std::string(headers.at("from").as_string()).find("<cnap@example.gov.ua>"), std::string::npos);
  // On the wire the subject is 7-bit encoded words, not raw UTF-8 (which servers may mangle).
  const std::string wire_subject(headers.at("subject").as_string());
  EXPECT_TRUE(wire_subject.starts_with("=?UTF-8?B?")) << wire_subject;
  EXPECT_TRUE(std::all_of(wire_subject.begin(), wire_subject.end(),
                          [](char ch) { return static_cast<unsigned char>(ch) < 0x80; }));

  auto shown = views();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].status, Status::sent);
  EXPECT_EQ(shown[0].to, "t***@example.com");
  ASSERT_EQ(shown[0].attempts.size(), 1u);
  EXPECT_TRUE(shown[0].attempts[0].ok);
  EXPECT_EQ(shown[0].attempts[0].at_ms, kStart);

  // Another round finds nothing: the rolled-back message does not exist.
  EXPECT_EQ(w->run_once(), 0);
  w->stop();
  EXPECT_EQ(sink.count(), 1u);
  EXPECT_TRUE(views("case-2").empty());
  // The recipient is sealed at rest.
  auto raw = db().read([](storage::Connection& c) { return c.query("SELECT recipient_sealed FROM notify_messages"); });
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].text(0).find("taras"), std::string::npos);
}

TEST_P(NotifyTest, EmailRefusedWith451IsRetriedAfterTheBackoff) {
  Sink sink("smtp-sink.mjs", {"--reject-first", "1"});
  Worker::Channels channels;
  channels[ChannelKind::email] = std::make_unique<SmtpChannel>(smtp(sink), clock());
  auto w = worker(std::move(channels));
  enqueue_committed(message(ChannelKind::email, "olena@example.com"));
  w->start();
  w->wake();
  ASSERT_TRUE(w->wait_for_attempts(1, 20s));
  auto shown = views();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].status, Status::pending);
  ASSERT_EQ(shown[0].attempts.size(), 1u);
  EXPECT_FALSE(shown[0].attempts[0].ok);
  EXPECT_TRUE(shown[0].attempts[0].error.starts_with("451")) << shown[0].attempts[0].error;
  EXPECT_EQ(sink.count(), 0u);

  advance(29'000); // not yet: the first wait is 30 s
  EXPECT_EQ(w->run_once(), 0);
  advance(1'000);
  w->wake();
  ASSERT_TRUE(w->wait_for_attempts(2, 20s));
  auto got = sink.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(str(got[0], "subject"), kSubject);
  shown = views();
  EXPECT_EQ(shown[0].status, Status::sent);
  ASSERT_EQ(shown[0].attempts.size(), 2u);
  EXPECT_TRUE(shown[0].attempts[1].ok);
  EXPECT_EQ(shown[0].attempts[1].at_ms, kStart + 30'000);
}

TEST_P(NotifyTest, SmsThroughTheGatewayRetriesA503) {
  Sink sink("http-sink.mjs", {"--fail-first", "1"});
  GatewayOptions g;
  g.url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/send";
  g.body_template = R"({"phone":"{to}","message":"{text}","sender":"CNAP"})";
  g.headers = {"Authorization: Bearer test-token"};
  g.timeout_ms = 10'000;
  Worker::Channels channels;
  channels[ChannelKind::sms] = std::make_unique<GatewayChannel>(g);
  auto w = worker(std::move(channels));
  Message m = message(ChannelKind::sms, "+380671234567");
  m.body = "Справа \"cnap-1\" готова\\ заберіть";
  enqueue_committed(m);
  w->start();
  w->wake();
  ASSERT_TRUE(w->wait_for_attempts(1, 20s));
  auto shown = views();
  ASSERT_EQ(shown[0].attempts.size(), 1u);
  EXPECT_EQ(shown[0].attempts[0].error, "HTTP 503: busy");
  EXPECT_EQ(shown[0].to, "+38067*****67");
  EXPECT_EQ(shown[0].status, Status::pending);

  advance(30'000);
  w->wake();
  ASSERT_TRUE(w->wait_for_attempts(2, 20s));
  auto got = sink.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(str(got[0], "method"), "POST");
  EXPECT_EQ(str(got[0], "url"), "/send");
  EXPECT_EQ(std::string(got[0].at("headers").at("authorization").as_string()), "Bearer test-token");
  EXPECT_EQ(std::string(got[0].at("headers").at("content-type").as_string()), "application/json");
  auto body = boost::json::parse(str(got[0], "body"));
  EXPECT_EQ(body.at("phone").as_string(), "+380671234567");
  EXPECT_EQ(std::string(body.at("message").as_string()), m.body);
  EXPECT_EQ(views()[0].status, Status::sent);
}

TEST_P(NotifyTest, GatewayThatDoesNotAnswerIsAFailedAttempt) {
  Sink sink("http-sink.mjs", {"--hang-first", "1"});
  GatewayOptions g;
  g.url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/send";
  g.timeout_ms = 300;
  Worker::Channels channels;
  channels[ChannelKind::viber] = std::make_unique<GatewayChannel>(g);
  auto w = worker(std::move(channels));
  enqueue_committed(message(ChannelKind::viber, "+380501112233"));
  EXPECT_EQ(w->run_once(), 1);
  auto shown = views();
  ASSERT_EQ(shown[0].attempts.size(), 1u);
  EXPECT_FALSE(shown[0].attempts[0].ok);
  EXPECT_NE(shown[0].attempts[0].error.find("imeout"), std::string::npos) << shown[0].attempts[0].error;
  EXPECT_EQ(shown[0].status, Status::pending);
}

// A channel that fails as told and counts what it was given.
class FakeChannel final : public Channel {
public:
  explicit FakeChannel(int fail_first = 0) : fail_left_(fail_first) {}
  SendResult send(const Outgoing& m) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(m.id);
    if (fail_left_ > 0) {
      --fail_left_;
      return {false, "refused"};
    }
    return {true, ""};
  }
  std::vector<std::string> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

private:
  std::mutex mutex_;
  int fail_left_;
  std::vector<std::string> sent_;
};

TEST_P(NotifyTest, AfterTheLastBackoffStepTheMessageIsFailed) {
  auto fake = std::make_unique<FakeChannel>(10);
  Worker::Channels channels;
  channels[ChannelKind::sms] = std::move(fake);
  WorkerOptions options;
  options.backoff = {1'000, 5'000};
  auto w = worker(std::move(channels), options);
  enqueue_committed(message(ChannelKind::sms, "+380671234567"));
  EXPECT_EQ(w->run_once(), 1);
  advance(1'000);
  EXPECT_EQ(w->run_once(), 1);
  advance(4'999);
  EXPECT_EQ(w->run_once(), 0);
  advance(1);
  EXPECT_EQ(w->run_once(), 1);
  auto shown = views();
  EXPECT_EQ(shown[0].status, Status::failed);
  EXPECT_EQ(shown[0].attempts.size(), 3u);
  advance(86'400'000);
  EXPECT_EQ(w->run_once(), 0) << "a failed message is not tried again";
}

TEST_P(NotifyTest, AChannelThatIsNotConfiguredFailsTheAttempt) {
  auto w = worker({});
  enqueue_committed(message(ChannelKind::viber, "+380671234567"));
  EXPECT_EQ(w->run_once(), 1);
  auto shown = views();
  ASSERT_EQ(shown[0].attempts.size(), 1u);
  EXPECT_EQ(shown[0].attempts[0].error, "the viber channel is not configured");
}

TEST_P(NotifyTest, TwoInstancesNeverSendOneMessageTwice) {
  auto other_db = test_db().open_another();
  FakeChannel* first = nullptr;
  FakeChannel* second = nullptr;
  Worker::Channels a;
  Worker::Channels b;
  a[ChannelKind::sms] = std::make_unique<FakeChannel>();
  b[ChannelKind::sms] = std::make_unique<FakeChannel>();
  first = static_cast<FakeChannel*>(a[ChannelKind::sms].get());
  second = static_cast<FakeChannel*>(b[ChannelKind::sms].get());
  WorkerOptions options;
  options.batch = 3;
  Worker one(db(), keys_, std::move(a), clock(), options);
  Worker two(*other_db, keys_, std::move(b), clock(), options);
  std::set<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    ids.insert(enqueue_committed(message(ChannelKind::sms, "+38067123456" + std::to_string(i % 10))));
  }
  std::thread t1([&] { one.run_once(); });
  std::thread t2([&] { two.run_once(); });
  t1.join();
  t2.join();
  auto sent = first->sent();
  const auto more = second->sent();
  sent.insert(sent.end(), more.begin(), more.end());
  EXPECT_EQ(sent.size(), ids.size());
  EXPECT_EQ(std::set<std::string>(sent.begin(), sent.end()), ids);
}

TEST_P(NotifyTest, AWorkerStopsWhileWaiting) {
  auto w = worker({});
  w->start();
  const auto before = std::chrono::steady_clock::now();
  w->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
}

VIKNO_INSTANTIATE_DB_TEST(NotifyTest);

} // namespace
} // namespace vikno::notify
