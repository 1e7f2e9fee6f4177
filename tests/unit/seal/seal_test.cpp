#include "seal/seal.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "common/ids.hpp"

namespace vikno::seal {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "vikno-seal-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

private:
  fs::path path_;
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::trunc);
  out << text;
}

TEST(SealTest, RoundTripOfUkrainianText) {
  const Keyring ring = Keyring::generate();
  const std::string name = "Шевченко Тарас Григорович, +380671234567";
  const std::string sealed = ring.seal(name);
  EXPECT_EQ(sealed.find("Шевченко"), std::string::npos);
  EXPECT_TRUE(sealed.starts_with("s1." + ring.current_key_id() + "."));
  EXPECT_TRUE(std::regex_match(sealed, std::regex("[A-Za-z0-9._-]+"))) << sealed;
  auto opened = ring.open(sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, name);
  EXPECT_NE(ring.seal(name), sealed) << "a fresh nonce each time";
  auto empty = ring.open(ring.seal(""));
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");
}

TEST(SealTest, TamperedTextIsCorrupt) {
  const Keyring ring = Keyring::generate();
  std::string sealed = ring.seal("Олена Пчілка");
  sealed[sealed.size() - 5] = sealed[sealed.size() - 5] == 'A' ? 'B' : 'A';
  auto opened = ring.open(sealed);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "seal_corrupt");
  for (const std::string& bad : std::vector<std::string>{"", "s1.", "plain text", "s1." + ring.current_key_id() + ".",
                                                         "s1." + ring.current_key_id() + ".!!!"}) {
    auto r = ring.open(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "seal_corrupt") << bad;
  }
}

TEST(SealTest, TextOfAnotherKeyIsUnknownKey) {
  const Keyring a = Keyring::generate();
  const Keyring b = Keyring::generate();
  auto opened = b.open(a.seal("Іван"));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "seal_key_unknown");
}

TEST(SealTest, CreatedFileIsPrivateAndLoadsTheSameKeys) {
  TempDir dir;
  const fs::path file = dir.path() / "keys" / "personal.key";
  auto created = Keyring::load_or_create(file.string());
  ASSERT_TRUE(created) << created.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(::stat(file.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  const std::string text = read(file);
  auto again = Keyring::load_or_create(file.string());
  ASSERT_TRUE(again);
  EXPECT_EQ(read(file), text) << "an existing key file is never overwritten";
  auto loaded = Keyring::load(file.string());
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->current_key_id(), created->current_key_id());
  auto opened = loaded->open(created->seal("Марко Вовчок"));
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "Марко Вовчок");
  EXPECT_EQ(loaded->lookup_hash("+380671234567"), created->lookup_hash("+380671234567"));
}

TEST(SealTest, RotationOldKeyOpensNewKeySealsLookupUnchanged) {
  TempDir dir;
  const fs::path file = dir.path() / "personal.key";
  auto old_ring = Keyring::load_or_create(file.string());
  ASSERT_TRUE(old_ring);
  const std::string old_sealed = old_ring->seal("Леся Українка");
  const std::string old_hash = old_ring->lookup_hash("+380501112233");

  // The documented rotation: a new seal line first, the rest kept.
  const std::string fresh = Keyring::new_key_file_text();
  const auto at = fresh.find("\nseal ") + 1;
  const std::string new_line = fresh.substr(at, fresh.find('\n', at) - at + 1);
  write(file, new_line + read(file));
  auto rotated = Keyring::load(file.string());
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_NE(rotated->current_key_id(), old_ring->current_key_id());
  auto opened = rotated->open(old_sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "Леся Українка");
  const std::string new_sealed = rotated->seal("Леся Українка");
  EXPECT_TRUE(new_sealed.starts_with("s1." + rotated->current_key_id() + "."));
  EXPECT_EQ(rotated->lookup_hash("+380501112233"), old_hash);
  auto by_old = old_ring->open(new_sealed);
  ASSERT_FALSE(by_old);
  EXPECT_EQ(by_old.error().code, "seal_key_unknown");
  EXPECT_NE(rotated->lookup_hash("+380501112234"), old_hash);
}

TEST(SealTest, BadOrMissingFileIsUnreadable) {
  TempDir dir;
  const fs::path file = dir.path() / "personal.key";
  auto missing = Keyring::load(file.string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "seal_key_unreadable");
  EXPECT_FALSE(fs::exists(file)) << "load() never creates";
  const std::string hex(64, 'a');
  for (const std::string& text :
       {std::string(""), "seal " + hex + "\n", "lookup " + hex + "\n", "seal abc\nlookup " + hex + "\n",
        "key " + hex + "\nlookup " + hex + "\n", "seal " + hex + "\nlookup " + hex + "\nlookup " + hex + "\n"}) {
    write(file, text);
    auto r = Keyring::load(file.string());
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, "seal_key_unreadable");
    EXPECT_EQ(r.error().message.find(hex), std::string::npos) << "never says a key";
  }
  write(file, "# comment\n\nseal " + hex + "\r\nlookup " + std::string(64, 'b') + "\n");
  EXPECT_TRUE(Keyring::load(file.string()));
}

TEST(SealTest, NewIdsAreUuidV7InTimeOrder) {
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  std::string previous;
  for (Millis t = 1764720000000; t < 1764720000000 + 50; ++t) {
    const std::string id = new_id(t);
    EXPECT_TRUE(std::regex_match(id, form)) << id;
    EXPECT_GT(id, previous) << "a later millisecond sorts later";
    EXPECT_TRUE(seen.insert(id).second);
    previous = id;
  }
}

TEST(SealTest, UuidV7CarriesTheTimeAndTheRandomBits) {
  const std::array<unsigned char, 10> random{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(uuid_v7(0x0123456789ab, random), "01234567-89ab-7fff-bfff-ffffffffffff");
  const std::array<unsigned char, 10> zero{};
  EXPECT_EQ(uuid_v7(0x0123456789ab, zero), "01234567-89ab-7000-8000-000000000000");
  EXPECT_EQ(uuid_v7(-5, zero), "00000000-0000-7000-8000-000000000000");
}

} // namespace
} // namespace vikno::seal
