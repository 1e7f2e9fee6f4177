// Passwords and tokens: what is stored lets nobody sign in, what is handed out cannot be guessed.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "auth/secrets.hpp"

namespace vikno::auth {
namespace {

class SecretsTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { init_crypto(); }
};

TEST_F(SecretsTest, PasswordHashVerifies) {
  const std::string hash = hash_password("коректний кінь батарея");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_EQ(hash.find("коректний"), std::string::npos);
  EXPECT_TRUE(verify_password("коректний кінь батарея", hash));
  EXPECT_FALSE(verify_password("коректний кінь батареЯ", hash));
  EXPECT_FALSE(verify_password("", hash));
  EXPECT_EQ(hash.find('\0'), std::string::npos); // stored as text
}

TEST_F(SecretsTest, SamePasswordHashesDifferently) {
  // A salt per hash: equal passwords are not visible as equal rows.
  const std::string a = hash_password("password-123");
  const std::string b = hash_password("password-123");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password("password-123", a));
  EXPECT_TRUE(verify_password("password-123", b));
}

TEST_F(SecretsTest, GarbageHashNeverVerifies) {
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", "not a hash"));
  EXPECT_FALSE(verify_password("x", "$argon2id$v=19$m=65536,t=2,p=1$broken"));
}

bool base32_lower(const std::string& s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
      return false;
    }
  }
  return true;
}

TEST_F(SecretsTest, RandomTokensAreBase32OfTheRightLength) {
  // ceil(bytes * 8 / 5) characters.
  for (auto [bytes, chars] :
       std::initializer_list<std::pair<std::size_t, std::size_t>>{{16, 26}, {32, 52}, {10, 16}, {1, 2}, {5, 8}}) {
    std::string t = random_token(bytes);
    EXPECT_EQ(t.size(), chars) << bytes;
    EXPECT_TRUE(base32_lower(t)) << t;
  }
  EXPECT_EQ(random_token(0), "");
  std::string p = random_password();
  EXPECT_EQ(p.size(), 16U);
  EXPECT_TRUE(base32_lower(p));
}

TEST_F(SecretsTest, RandomTokensDoNotRepeatAndUseTheWholeAlphabet) {
  std::set<std::string> seen;
  std::set<char> letters;
  for (int i = 0; i < 1000; ++i) {
    std::string t = random_token();
    seen.insert(t);
    letters.insert(t.begin(), t.end());
  }
  EXPECT_EQ(seen.size(), 1000U);
  EXPECT_EQ(letters.size(), 32U); // 26000 characters: every base32 letter shows up
}

TEST_F(SecretsTest, TokenHashIsStableHex) {
  // BLAKE2b-256, computed independently: hashlib.blake2b(b"abc", digest_size=32).hexdigest()
  EXPECT_EQ(token_hash("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  const std::string h = token_hash(random_token());
  EXPECT_EQ(h.size(), 64U);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(token_hash("same"), token_hash("same"));
  EXPECT_NE(token_hash("same"), token_hash("Same"));
}

TEST(HashSlots, RefusesAtOnceBeyondItsLimitWhenNobodyMayWait) {
  HashSlots slots(2, 0);
  auto a = slots.take();
  auto b = slots.take();
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_FALSE(slots.take()); // the third is refused at once, not queued
  {
    auto moved = std::move(a);
    EXPECT_FALSE(slots.take());
  } // released here
  EXPECT_TRUE(slots.take());
  EXPECT_GE(HashSlots(0).limit(), 1); // by default half the cores, at least one
}

TEST(HashSlots, AFewWaitForAFreedSlotTheRestAreRefused) {
  HashSlots slots(1, 1, std::chrono::minutes(5));
  auto held = slots.take();
  ASSERT_TRUE(held);
  bool waiter_got_it = false;
  std::thread waiter([&] { waiter_got_it = static_cast<bool>(slots.take()); });
  while (slots.waiting() < 1) {
    std::this_thread::yield(); // until the waiter is waiting
  }
  EXPECT_FALSE(slots.take()); // nobody else may wait: refused at once
  held = HashSlots::Held();   // frees the slot: the waiter takes it
  waiter.join();
  EXPECT_TRUE(waiter_got_it);
  EXPECT_TRUE(slots.take());
}

TEST(HashSlots, AWaiterGivesUpAfterItsWait) {
  HashSlots slots(1, 1, std::chrono::milliseconds(1));
  auto held = slots.take();
  EXPECT_FALSE(slots.take());
}

} // namespace
} // namespace vikno::auth
