#include "media/speech.hpp"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace vikno::media {
namespace {

constexpr std::array<std::string_view, 10> kUnits = {"нуль",  "один",  "два", "три",   "чотири",
                                                     "п'ять", "шість", "сім", "вісім", "дев'ять"};
constexpr std::array<std::string_view, 10> kTeens = {"десять",       "одинадцять",   "дванадцять",  "тринадцять",
                                                     "чотирнадцять", "п'ятнадцять",  "шістнадцять", "сімнадцять",
                                                     "вісімнадцять", "дев'ятнадцять"};
constexpr std::array<std::string_view, 10> kTens = {"",          "",          "двадцять", "тридцять",   "сорок",
                                                    "п'ятдесят", "шістдесят", "сімдесят", "вісімдесят", "дев'яносто"};
constexpr std::array<std::string_view, 10> kHundreds = {"",        "сто",     "двісті", "триста",   "чотириста",
                                                        "п'ятсот", "шістсот", "сімсот", "вісімсот", "дев'ятсот"};
// "тисяча" is feminine: одна (left unsaid in a call), дві, три, чотири тисячі, п'ять тисяч.
constexpr std::array<std::string_view, 10> kThousands = {
    "",          "тисяча",      "дві тисячі",   "три тисячі", "чотири тисячі", "п'ять тисяч", "шість тисяч",
    "сім тисяч", "вісім тисяч", "дев'ять тисяч"};

struct LetterName {
  std::string_view upper;
  std::string_view lower;
  std::string_view name;
};

// The Ukrainian alphabet as letters are named when spelling aloud, then the Latin one as it is read
// in Ukrainian (German-style: H "ха", J "йот").
constexpr std::array<LetterName, 58> kLetterNames = {{
    {"А", "а", "а"},   {"Б", "б", "бе"},    {"В", "в", "ве"},  {"Г", "г", "ге"},  {"Ґ", "ґ", "ґе"},
    {"Д", "д", "де"},  {"Е", "е", "е"},     {"Є", "є", "є"},   {"Ж", "ж", "же"},  {"З", "з", "зе"},
    {"И", "и", "и"},   {"І", "і", "і"},     {"Ї", "ї", "ї"},   {"Й", "й", "йот"}, {"К", "к", "ка"},
    {"Л", "л", "ел"},  {"М", "м", "ем"},    {"Н", "н", "ен"},  {"О", "о", "о"},   {"П", "п", "пе"},
    {"Р", "р", "ер"},  {"С", "с", "ес"},    {"Т", "т", "те"},  {"У", "у", "у"},   {"Ф", "ф", "еф"},
    {"Х", "х", "ха"},  {"Ц", "ц", "це"},    {"Ч", "ч", "че"},  {"Ш", "ш", "ша"},  {"Щ", "щ", "ща"},
    {"Ю", "ю", "ю"},   {"Я", "я", "я"},     {"A", "a", "а"},   {"B", "b", "бе"},  {"C", "c", "це"},
    {"D", "d", "де"},  {"E", "e", "е"},     {"F", "f", "еф"},  {"G", "g", "ге"},  {"H", "h", "ха"},
    {"I", "i", "і"},   {"J", "j", "йот"},   {"K", "k", "ка"},  {"L", "l", "ел"},  {"M", "m", "ем"},
    {"N", "n", "ен"},  {"O", "o", "о"},     {"P", "p", "пе"},  {"Q", "q", "ку"},  {"R", "r", "ер"},
    {"S", "s", "ес"},  {"T", "t", "те"},    {"U", "u", "у"},   {"V", "v", "ве"},  {"W", "w", "дубль-ве"},
    {"X", "x", "ікс"}, {"Y", "y", "ігрек"}, {"Z", "z", "зет"},
}};

// The byte length of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte,
// so malformed input still moves forward).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0U) {
    return 4;
  }
  if (lead >= 0xE0U) {
    return 3;
  }
  if (lead >= 0xC0U) {
    return 2;
  }
  return 1;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A run of ticket digits as spoken: "015" -> "п'ятнадцять", "000" -> "нуль".
std::string digits_words(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') {
    digits.remove_prefix(1);
  }
  if (digits.size() > 4) {
    return std::string(digits);
  }
  int n = 0;
  for (char c : digits) {
    n = n * 10 + (c - '0');
  }
  return ukrainian_number_words(n);
}

void append_word(std::string& out, std::string_view word) {
  if (word.empty()) {
    return;
  }
  if (!out.empty()) {
    out += ' ';
  }
  out += word;
}

constexpr std::size_t kMaxPhraseBytes = 1000;
constexpr std::size_t kWavHeaderBytes = 44;
// Length of the sound buffers espeak-ng hands to the callback, in milliseconds.
constexpr int kBufferMs = 200;

Error speech_unavailable(std::string message) {
  return Error{ErrorKind::unavailable, "speech_unavailable", std::move(message), {}};
}

void put_u16(std::string& out, std::size_t at, std::uint32_t value) {
  out[at] = static_cast<char>(value & 0xFFU);
  out[at + 1] = static_cast<char>((value >> 8U) & 0xFFU);
}

void put_u32(std::string& out, std::size_t at, std::uint32_t value) {
  put_u16(out, at, value & 0xFFFFU);
  put_u16(out, at + 2, value >> 16U);
}

// espeak-ng's synth callback: appends the samples, little-endian, to the std::string passed as
// user_data to espeak_Synth (every event list carries it, even the empty one).
int collect_samples(short* samples, int count, espeak_EVENT* events) {
  if (samples == nullptr || count <= 0 || events == nullptr || events->user_data == nullptr) {
    return 0; // samples == nullptr: the end of the phrase
  }
  auto* out = static_cast<std::string*>(events->user_data);
  out->reserve(out->size() + 2 * static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto sample = static_cast<std::uint16_t>(samples[i]);
    out->push_back(static_cast<char>(sample & 0xFFU));
    out->push_back(static_cast<char>(sample >> 8U));
  }
  return 0;
}

// espeak-ng's global state: initialised once per process, used only under mutex().
class Engine {
public:
  static Engine& instance() {
    static Engine engine;
    return engine;
  }

  std::mutex& mutex() { return mutex_; }

  // A WAV file of `phrase`. The caller holds mutex().
  Result<std::string> synthesize(const std::string& phrase) {
    if (!unavailable_.empty()) {
      return fail(speech_unavailable(unavailable_));
    }
    std::string wav(kWavHeaderBytes, '\0');
    const espeak_ERROR status =
        espeak_Synth(phrase.c_str(), phrase.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &wav);
    if (status != EE_OK) {
      return fail(Error{ErrorKind::internal,
                        "speech_failed",
                        "espeak-ng could not synthesize the phrase (error " + std::to_string(status) + ")",
                        {}});
    }
    const auto data_bytes = static_cast<std::uint32_t>(wav.size() - kWavHeaderBytes);
    const auto rate = static_cast<std::uint32_t>(sample_rate_);
    wav.replace(0, 4, "RIFF");
    put_u32(wav, 4, static_cast<std::uint32_t>(kWavHeaderBytes - 8) + data_bytes);
    wav.replace(8, 8, "WAVEfmt ");
    put_u32(wav, 16, 16); // fmt chunk size
    put_u16(wav, 20, 1);  // PCM
    put_u16(wav, 22, 1);  // mono
    put_u32(wav, 24, rate);
    put_u32(wav, 28, rate * 2); // bytes per second
    put_u16(wav, 32, 2);        // bytes per sample frame
    put_u16(wav, 34, 16);       // bits per sample
    wav.replace(36, 4, "data");
    put_u32(wav, 40, data_bytes);
    return wav;
  }

private:
  Engine() {
    // DONT_EXIT: without its data espeak-ng would otherwise end the process.
    sample_rate_ = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kBufferMs, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (sample_rate_ <= 0) {
      unavailable_ = "espeak-ng could not be initialised (is espeak-ng-data installed?)";
      return;
    }
    espeak_SetSynthCallback(&collect_samples);
    if (espeak_SetVoiceByName("uk") != EE_OK) {
      unavailable_ = "espeak-ng has no Ukrainian voice (uk)";
    }
  }

  std::mutex mutex_;
  int sample_rate_ = 0;
  std::string unavailable_; // why speech is unavailable; empty when it works
};

} // namespace

std::string ukrainian_number_words(int n) {
  if (n < 0 || n > 9999) {
    return std::to_string(n);
  }
  if (n == 0) {
    return std::string(kUnits[0]);
  }
  std::string out;
  append_word(out, kThousands[static_cast<std::size_t>(n / 1000)]);
  append_word(out, kHundreds[static_cast<std::size_t>(n / 100 % 10)]);
  const int rest = n % 100;
  if (rest >= 10 && rest < 20) {
    append_word(out, kTeens[static_cast<std::size_t>(rest - 10)]);
  } else {
    append_word(out, kTens[static_cast<std::size_t>(rest / 10)]);
    if (rest % 10 != 0) {
      append_word(out, kUnits[static_cast<std::size_t>(rest % 10)]);
    }
  }
  return out;
}

std::string ukrainian_letter_name(std::string_view letter) {
  for (const LetterName& entry : kLetterNames) {
    if (letter == entry.upper || letter == entry.lower) {
      return std::string(entry.name);
    }
  }
  return std::string(letter);
}

std::string call_phrase(std::string_view ticket_number, int window) {
  std::string ticket;
  std::size_t i = 0;
  while (i < ticket_number.size()) {
    const char c = ticket_number[i];
    if (is_digit(c)) {
      std::size_t end = i;
      while (end < ticket_number.size() && is_digit(ticket_number[end])) {
        ++end;
      }
      append_word(ticket, digits_words(ticket_number.substr(i, end - i)));
      i = end;
    } else if (c == '-' || c == ' ' || c == '_' || c == '.' || c == '/') {
      ++i;
    } else {
      const std::size_t length = std::min(utf8_length(static_cast<unsigned char>(c)), ticket_number.size() - i);
      append_word(ticket, ukrainian_letter_name(ticket_number.substr(i, length)));
      i += length;
    }
  }
  std::string phrase = "Талон";
  append_word(phrase, ticket);
  phrase += ", вікно ";
  phrase += ukrainian_number_words(window);
  return phrase;
}

Announcer::Announcer(std::size_t cache_entries) : capacity_(cache_entries) {
  // Initialise espeak-ng now, when the composition root builds the Announcer, not in the middle of
  // a request: it changes the process locale.
  Engine::instance();
}

Result<std::shared_ptr<const std::string>> Announcer::wav(std::string_view phrase) {
  if (phrase.empty()) {
    return fail(Error::invalid("phrase_empty", "nothing to say"));
  }
  if (phrase.size() > kMaxPhraseBytes) {
    return fail(Error::invalid("phrase_too_long", "a phrase to speak is at most " + std::to_string(kMaxPhraseBytes) +
                                                      " bytes, this one is " + std::to_string(phrase.size())));
  }
  std::string key(phrase);
  {
    std::lock_guard lock(mutex_);
    if (auto hit = cached(key)) {
      return hit;
    }
  }
  Engine& engine = Engine::instance();
  std::lock_guard engine_lock(engine.mutex());
  {
    // Another thread may have synthesized the same phrase while this one waited for the engine.
    std::lock_guard lock(mutex_);
    if (auto hit = cached(key)) {
      return hit;
    }
  }
  VIKNO_TRY(bytes, engine.synthesize(key));
  synthesized_.fetch_add(1, std::memory_order_relaxed);
  auto wav = std::make_shared<const std::string>(std::move(bytes));
  {
    std::lock_guard lock(mutex_);
    remember(std::move(key), wav);
  }
  return wav;
}

std::size_t Announcer::synthesized() const { return synthesized_.load(std::memory_order_relaxed); }

std::shared_ptr<const std::string> Announcer::cached(const std::string& phrase) {
  auto found = index_.find(phrase);
  if (found == index_.end()) {
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, found->second);
  return found->second->second;
}

void Announcer::remember(std::string phrase, std::shared_ptr<const std::string> wav) {
  if (capacity_ == 0 || index_.contains(phrase)) {
    return;
  }
  if (lru_.size() >= capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
  lru_.emplace_front(phrase, std::move(wav));
  index_.emplace(std::move(phrase), lru_.begin());
}

} // namespace vikno::media
