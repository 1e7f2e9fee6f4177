// The spoken call of a ticket: the words against how a person says them, and the WAV that
// espeak-ng makes of them read back as a WAV file (header, length, not silence).
#include "media/speech.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace vikno::media {
namespace {

TEST(NumberWords, TheListedValues) {
  EXPECT_EQ(ukrainian_number_words(0), "нуль");
  EXPECT_EQ(ukrainian_number_words(3), "три");
  EXPECT_EQ(ukrainian_number_words(15), "п'ятнадцять");
  EXPECT_EQ(ukrainian_number_words(21), "двадцять один");
  EXPECT_EQ(ukrainian_number_words(100), "сто");
  EXPECT_EQ(ukrainian_number_words(115), "сто п'ятнадцять");
  EXPECT_EQ(ukrainian_number_words(1000), "тисяча");
  EXPECT_EQ(ukrainian_number_words(1001), "тисяча один");
  EXPECT_EQ(ukrainian_number_words(2000), "дві тисячі");
  EXPECT_EQ(ukrainian_number_words(5000), "п'ять тисяч");
}

TEST(NumberWords, TeensTensHundreds) {
  const char* teens[] = {"одинадцять",  "дванадцять", "тринадцять",   "чотирнадцять", "п'ятнадцять",
                         "шістнадцять", "сімнадцять", "вісімнадцять", "дев'ятнадцять"};
  for (int n = 11; n <= 19; ++n) {
    EXPECT_EQ(ukrainian_number_words(n), teens[n - 11]) << n;
  }
  EXPECT_EQ(ukrainian_number_words(10), "десять");
  EXPECT_EQ(ukrainian_number_words(40), "сорок");
  EXPECT_EQ(ukrainian_number_words(90), "дев'яносто");
  EXPECT_EQ(ukrainian_number_words(200), "двісті");
  EXPECT_EQ(ukrainian_number_words(300), "триста");
  EXPECT_EQ(ukrainian_number_words(400), "чотириста");
  EXPECT_EQ(ukrainian_number_words(500), "п'ятсот");
  EXPECT_EQ(ukrainian_number_words(999), "дев'ятсот дев'яносто дев'ять");
  EXPECT_EQ(ukrainian_number_words(9999), "дев'ять тисяч дев'ятсот дев'яносто дев'ять");
  EXPECT_EQ(ukrainian_number_words(3042), "три тисячі сорок два");
  EXPECT_EQ(ukrainian_number_words(4010), "чотири тисячі десять");
  EXPECT_EQ(ukrainian_number_words(1100), "тисяча сто");
}

TEST(NumberWords, OutsideTheRangeIsDigits) {
  EXPECT_EQ(ukrainian_number_words(10000), "10000");
  EXPECT_EQ(ukrainian_number_words(-1), "-1");
}

TEST(LetterNames, UkrainianAlphabet) {
  const std::pair<const char*, const char*> names[] = {
      {"А", "а"},  {"Б", "бе"}, {"В", "ве"}, {"Г", "ге"}, {"Ґ", "ґе"}, {"Д", "де"},  {"Е", "е"},  {"Є", "є"},
      {"Ж", "же"}, {"З", "зе"}, {"И", "и"},  {"І", "і"},  {"Ї", "ї"},  {"Й", "йот"}, {"К", "ка"}, {"Л", "ел"},
      {"М", "ем"}, {"Н", "ен"}, {"О", "о"},  {"П", "пе"}, {"Р", "ер"}, {"С", "ес"},  {"Т", "те"}, {"У", "у"},
      {"Ф", "еф"}, {"Х", "ха"}, {"Ц", "це"}, {"Ч", "че"}, {"Ш", "ша"}, {"Щ", "ща"},  {"Ю", "ю"},  {"Я", "я"}};
  for (const auto& [letter, name] : names) {
    EXPECT_EQ(ukrainian_letter_name(letter), name) << letter;
  }
  EXPECT_EQ(ukrainian_letter_name("б"), "бе") << "lower case is read the same";
}

TEST(LetterNames, LatinLettersAndOthers) {
  EXPECT_EQ(ukrainian_letter_name("A"), "а");
  EXPECT_EQ(ukrainian_letter_name("B"), "бе");
  EXPECT_EQ(ukrainian_letter_name("C"), "це");
  EXPECT_EQ(ukrainian_letter_name("K"), "ка");
  EXPECT_EQ(ukrainian_letter_name("Q"), "ку");
  EXPECT_EQ(ukrainian_letter_name("Z"), "зет");
  EXPECT_EQ(ukrainian_letter_name("ы"), "ы");
  EXPECT_EQ(ukrainian_letter_name("#"), "#");
  EXPECT_EQ(ukrainian_letter_name(""), "");
}

TEST(CallPhrase, LetterNumberWindow) {
  EXPECT_EQ(call_phrase("А-015", 3), "Талон а п'ятнадцять, вікно три");
  EXPECT_EQ(call_phrase("Б-100", 12), "Талон бе сто, вікно дванадцять");
  EXPECT_EQ(call_phrase("Л-001", 1), "Талон ел один, вікно один");
  EXPECT_EQ(call_phrase("ПР-2021", 21), "Талон пе ер дві тисячі двадцять один, вікно двадцять один");
}

TEST(CallPhrase, NumberOnlyAndZero) {
  EXPECT_EQ(call_phrase("015", 3), "Талон п'ятнадцять, вікно три");
  EXPECT_EQ(call_phrase("А-000", 2), "Талон а нуль, вікно два");
}

// A WAV file read back: its sample rate and 16-bit samples, with the header checked on the way.
struct Wav {
  std::uint32_t rate = 0;
  std::vector<std::int16_t> samples;
};

std::uint32_t u32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

std::uint16_t u16(const std::string& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

Wav read_wav(const std::string& bytes) {
  Wav wav;
  EXPECT_GE(bytes.size(), 44U);
  if (bytes.size() < 44) {
    return wav;
  }
  EXPECT_EQ(bytes.substr(0, 4), "RIFF");
  EXPECT_EQ(u32(bytes, 4), bytes.size() - 8);
  EXPECT_EQ(bytes.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(u32(bytes, 16), 16U);
  EXPECT_EQ(u16(bytes, 20), 1U) << "PCM";
  EXPECT_EQ(u16(bytes, 22), 1U) << "mono";
  wav.rate = u32(bytes, 24);
  EXPECT_EQ(u32(bytes, 28), wav.rate * 2);
  EXPECT_EQ(u16(bytes, 32), 2U);
  EXPECT_EQ(u16(bytes, 34), 16U);
  EXPECT_EQ(bytes.substr(36, 4), "data");
  const std::uint32_t data = u32(bytes, 40);
  EXPECT_EQ(data, bytes.size() - 44) << "the data chunk runs to the end of the file";
  for (std::size_t at = 44; at + 1 < bytes.size(); at += 2) {
    wav.samples.push_back(static_cast<std::int16_t>(u16(bytes, at)));
  }
  return wav;
}

const std::string kPhrase = "Талон а п'ятнадцять, вікно три";

TEST(Announcer, SpeaksACallAsWav) {
  Announcer announcer;
  auto wav = announcer.wav(kPhrase);
  ASSERT_TRUE(wav) << wav.error().message;
  const Wav read = read_wav(**wav);
  ASSERT_GT(read.rate, 0U);
  const double seconds = static_cast<double>(read.samples.size()) / read.rate;
  EXPECT_GE(seconds, 1.0);
  EXPECT_LE(seconds, 6.0);
  int loudest = 0;
  for (std::int16_t sample : read.samples) {
    loudest = std::max(loudest, std::abs(static_cast<int>(sample)));
  }
  EXPECT_GT(loudest, 1000) << "not silence";
}

TEST(Announcer, CachesPerPhrase) {
  Announcer announcer;
  auto first = announcer.wav(kPhrase);
  auto second = announcer.wav(kPhrase);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(announcer.synthesized(), 1U);
  EXPECT_EQ(first->get(), second->get());
}

TEST(Announcer, EvictsTheLeastRecentlyUsed) {
  Announcer announcer(2);
  const std::string a = call_phrase("А-001", 1);
  const std::string b = call_phrase("А-002", 1);
  const std::string c = call_phrase("А-003", 1);
  for (const std::string& phrase : {a, b, a, c, a}) {
    ASSERT_TRUE(announcer.wav(phrase));
  }
  EXPECT_EQ(announcer.synthesized(), 3U) << "a stayed: it was used after b";
  ASSERT_TRUE(announcer.wav(b));
  EXPECT_EQ(announcer.synthesized(), 4U) << "b was evicted";
  ASSERT_TRUE(announcer.wav(a));
  EXPECT_EQ(announcer.synthesized(), 4U) << "a, the most recently used, stayed";
  ASSERT_TRUE(announcer.wav(c));
  EXPECT_EQ(announcer.synthesized(), 5U) << "c made room for b";
}

TEST(Announcer, WithoutACacheEveryCallSynthesizes) {
  Announcer announcer(0);
  ASSERT_TRUE(announcer.wav(kPhrase));
  ASSERT_TRUE(announcer.wav(kPhrase));
  EXPECT_EQ(announcer.synthesized(), 2U);
}

TEST(Announcer, DifferentPhrasesSoundDifferent) {
  Announcer announcer;
  auto three = announcer.wav(call_phrase("А-015", 3));
  auto four = announcer.wav(call_phrase("А-015", 4));
  ASSERT_TRUE(three && four);
  EXPECT_TRUE(**three != **four);
}

TEST(Announcer, ManyThreadsAtOnce) {
  Announcer announcer;
  const std::vector<std::string> phrases = {kPhrase, call_phrase("Б-007", 2), call_phrase("В-120", 5)};
  constexpr int kThreads = 12;
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto wav = announcer.wav(phrases[static_cast<std::size_t>(t) % phrases.size()]);
      if (wav) {
        results[static_cast<std::size_t>(t)] = **wav;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(announcer.synthesized(), phrases.size()) << "each phrase once, however many asked";
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_FALSE(results[static_cast<std::size_t>(t)].empty()) << t;
    // Compared as a bool: a failure would otherwise print two WAV files.
    EXPECT_TRUE(results[static_cast<std::size_t>(t)] == results[static_cast<std::size_t>(t) % phrases.size()]) << t;
  }
  // A second Announcer has its own cache over the same espeak-ng. espeak-ng 1.51 adds random
  // breath noise (libc rand()), so its sound is alike, not byte-identical.
  Announcer other;
  auto again = other.wav(kPhrase);
  ASSERT_TRUE(again);
  EXPECT_EQ(other.synthesized(), 1U);
  const double first = static_cast<double>(results[0].size());
  EXPECT_NEAR(static_cast<double>((*again)->size()), first, first * 0.1);
}

TEST(Announcer, RejectsEmptyAndOverlongPhrases) {
  Announcer announcer;
  auto empty = announcer.wav("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "phrase_empty");
  auto long_phrase = announcer.wav(std::string(1001, 'a'));
  ASSERT_FALSE(long_phrase);
  EXPECT_EQ(long_phrase.error().code, "phrase_too_long");
  EXPECT_EQ(announcer.synthesized(), 0U);
}

} // namespace
} // namespace vikno::media
