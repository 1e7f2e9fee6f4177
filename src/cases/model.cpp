#include "cases/model.hpp"

#include "common/enum_names.hpp"

namespace vikno::cases {

namespace {

constexpr EnumNames<Status, 12> kStatus{{"registered", "handed_over", "in_review", "suspended", "result_ready",
                                         "refused", "at_center", "issued", "unclaimed", "returned_to_provider",
                                         "withdrawn", "returned_without_review"}};
constexpr EnumNames<MoveKind, 15> kMove{{"registered", "hand_over", "accept", "finish_stage", "suspend", "resume",
                                         "extend", "decide_ready", "refuse", "receive_result", "issue",
                                         "mark_unclaimed", "return_to_provider", "withdraw", "return_unreviewed"}};
constexpr EnumNames<ApplicantKind, 2> kApplicant{{"person", "legal_entity"}};
constexpr EnumNames<IssueMethod, 3> kIssue{{"in_person", "post", "electronic"}};
constexpr EnumNames<DocumentForm, 2> kForm{{"original", "copy"}};
constexpr EnumNames<DocumentMedium, 2> kMedium{{"paper", "electronic"}};
constexpr EnumNames<Channel, 4> kChannel{{"in_person", "post", "online", "mobile_office"}};
constexpr EnumNames<NotifyChannel, 3> kNotify{{"email", "sms", "viber"}};

constexpr EnumNames<Status, 12> kStatusUk{
    {"Зареєстровано у ЦНАП", "Передано суб'єкту надання", "На розгляді", "Зупинено: потрібні документи від заявника",
     "Результат готовий", "Прийнято рішення про відмову", "Результат у ЦНАП: можна отримати", "Видано",
     "Не отримано у строк зберігання", "Повернуто суб'єкту надання", "Відкликано заявником", "Повернуто без розгляду"}};
constexpr EnumNames<Status, 12> kStatusEn{{"Registered at the center", "Handed to the provider", "In review",
                                           "Suspended: documents needed from the applicant", "Result ready", "Refused",
                                           "Result at the center: ready to collect", "Issued",
                                           "Not collected within the storage term", "Returned to the provider",
                                           "Withdrawn by the applicant", "Returned without review"}};
constexpr EnumNames<MoveKind, 15> kMoveUk{
    {"Зареєстровано", "Передано суб'єкту надання", "Прийнято до розгляду", "Етап завершено", "Розгляд зупинено",
     "Розгляд відновлено", "Строк продовжено", "Результат готовий", "Відмовлено", "Результат надійшов до ЦНАП",
     "Видано", "Не отримано у строк", "Повернуто суб'єкту надання", "Відкликано заявником", "Повернуто без розгляду"}};

// The first UTF-8 character of a word, with a period: "Тарас" -> "Т.".
std::string initial(std::string_view word) {
  if (word.empty()) {
    return {};
  }
  auto lead = static_cast<unsigned char>(word[0]);
  std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  n = std::min(n, word.size());
  return std::string(word.substr(0, n)) + ".";
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') {
      ++i;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') {
      ++j;
    }
    if (j > i) {
      out.push_back(text.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

} // namespace

std::string_view to_string(Status v) { return kStatus.of(v); }
std::string_view to_string(MoveKind v) { return kMove.of(v); }
std::string_view to_string(ApplicantKind v) { return kApplicant.of(v); }
std::string_view to_string(IssueMethod v) { return kIssue.of(v); }
std::string_view to_string(DocumentForm v) { return kForm.of(v); }
std::string_view to_string(DocumentMedium v) { return kMedium.of(v); }
std::string_view to_string(Channel v) { return kChannel.of(v); }
std::string_view to_string(NotifyChannel v) { return kNotify.of(v); }
std::string_view term_unit_name(TermUnit v) { return v == TermUnit::working_days ? "working_days" : "calendar_days"; }
std::optional<Status> status_from(std::string_view s) { return kStatus.from(s); }
std::optional<MoveKind> move_kind_from(std::string_view s) { return kMove.from(s); }
std::optional<ApplicantKind> applicant_kind_from(std::string_view s) { return kApplicant.from(s); }
std::optional<IssueMethod> issue_method_from(std::string_view s) { return kIssue.from(s); }
std::optional<DocumentForm> document_form_from(std::string_view s) { return kForm.from(s); }
std::optional<DocumentMedium> document_medium_from(std::string_view s) { return kMedium.from(s); }
std::optional<Channel> channel_from(std::string_view s) { return kChannel.from(s); }
std::optional<NotifyChannel> notify_channel_from(std::string_view s) { return kNotify.from(s); }

std::string_view status_uk(Status v) { return kStatusUk.of(v); }
std::string_view status_en(Status v) { return kStatusEn.of(v); }
std::string_view move_uk(MoveKind v) { return kMoveUk.of(v); }

bool is_decided(Status v) {
  switch (v) {
  case Status::registered:
  case Status::handed_over:
  case Status::in_review:
  case Status::suspended:
    return false;
  default:
    return true;
  }
}

bool is_closed(Status v) {
  return v == Status::issued || v == Status::returned_to_provider || v == Status::withdrawn ||
         v == Status::returned_without_review;
}

std::string initials_of(const Applicant& a) {
  auto words = words_of(a.name);
  if (words.empty()) {
    return {};
  }
  if (a.kind == ApplicantKind::legal_entity) {
    std::string out;
    for (auto w : words) {
      out += initial(w).substr(0, initial(w).size() - 1);
    }
    return out;
  }
  // A Ukrainian full name is written "Прізвище Ім'я По батькові": initials read "Т. Ш." (first
  // name, then surname), which is what a public page may show.
  if (words.size() == 1) {
    return initial(words[0]);
  }
  return initial(words[1]) + " " + initial(words[0]);
}

} // namespace vikno::cases
