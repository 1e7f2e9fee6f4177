// The spoken call of a ticket (талон) on a center's display board: "Талон а п'ятнадцять, вікно
// три". The words are built here, in Ukrainian as a person at a window would say them, rather than
// left to the synthesizer, which reads "Б-015" as "б нуль п'ятнадцять". The sound is made
// offline by espeak-ng, so a village office without internet still calls its visitors.
#pragma once

#include "common/error.hpp"

#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace vikno::media {

// `n` in words, nominative, masculine ("один", "два": a ticket number and a window), as spoken in
// a call: 15 -> "п'ятнадцять", 1000 -> "тисяча", 2000 -> "дві тисячі", 1001 -> "тисяча один".
// The apostrophe is U+0027 ('), which espeak-ng reads. Outside 0..9999 the decimal digits are
// returned as they are (espeak-ng reads those itself).
std::string ukrainian_number_words(int n);

// How one letter of a ticket number is read aloud: a Ukrainian letter by its name (Б -> "бе",
// Й -> "йот", Л -> "ел"), a Latin one the Ukrainian way (B -> "бе", Q -> "ку", W -> "дубль-ве").
// Either case is accepted (UTF-8); anything else is returned as it is.
std::string ukrainian_letter_name(std::string_view letter);

// The phrase that calls a ticket to a window: call_phrase("А-015", 3) ==
// "Талон а п'ятнадцять, вікно три". Letters are read by name, each run of digits as a number
// without its leading zeros, hyphens and spaces are skipped; "015" alone is "Талон п'ятнадцять".
std::string call_phrase(std::string_view ticket_number, int window);

// Speaks phrases with espeak-ng's Ukrainian voice ("uk") into WAV files and keeps the last
// `cache_entries` of them (least recently used goes first; 0 keeps none). A center calls the same
// few hundred phrases all day: the cache keeps the one-at-a-time engine out of their way and the
// bytes of a phrase stable (espeak-ng 1.51 mixes random breath noise from libc rand() into the
// sound, so two syntheses of a phrase are alike but not byte-identical).
//
// Thread-safe. espeak-ng itself is not (its state is global), so every synthesis in the process,
// whichever Announcer asks, runs under one mutex; cache hits do not wait for it. The library is
// initialised once per process, by the first Announcer; that also sets LC_CTYPE to C.UTF-8 (it
// needs a UTF-8 locale for its character classes).
class Announcer {
public:
  explicit Announcer(std::size_t cache_entries = 256);

  // A complete RIFF/WAVE file (PCM, 16-bit, mono, at espeak-ng's sample rate, 22050 Hz) of
  // `phrase` spoken in Ukrainian. Errors: `speech_unavailable` (503) when espeak-ng or its
  // Ukrainian voice is not installed, `speech_failed` (500) when espeak-ng refuses the text,
  // `phrase_empty` and `phrase_too_long` (over 1000 bytes).
  Result<std::shared_ptr<const std::string>> wav(std::string_view phrase);

  // How many phrases were actually synthesized (not served from the cache).
  [[nodiscard]] std::size_t synthesized() const;

private:
  using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;

  std::shared_ptr<const std::string> cached(const std::string& phrase);      // under mutex_
  void remember(std::string phrase, std::shared_ptr<const std::string> wav); // under mutex_

  std::size_t capacity_;
  mutable std::mutex mutex_; // guards lru_ and index_
  std::list<Entry> lru_;     // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::atomic<std::size_t> synthesized_{0};
};

} // namespace vikno::media
