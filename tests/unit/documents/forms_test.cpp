// The three forms of a case, rendered and read back with pdftotext: what the applicant, the
// administrator and the provider see on paper.
#include "cases/forms.hpp"

#include "read_back.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vikno::cases {
namespace {

using documents::render_pdf;
using documents::testing::pdf_info;
using documents::testing::pdf_text;
using documents::testing::squeezed;

Case filled_case() {
  Case c;
  c.id = "0190a1b2-0000-7000-8000-000000000001";
  c.center_id = 1;
  c.number = "cnap-kr-2026-000123";
  c.public_token = "ABCDEFGHJKMNPQRS";
  c.service_id = 12;
  c.service_title = "Державна реєстрація народження";
  c.provider_name = "Відділ ДРАЦС";
  c.registered_on = "2026-12-03";
  c.hand_over_due = "2026-12-04";
  c.due_on = "2026-12-17";
  c.term = TermSnapshot{10, TermUnit::working_days, true, 30};
  c.fee_kopiykas = 8500;
  c.fee_paid = true;
  c.applicant_initials = "Т. Ш.";
  c.inventory = {
      {1, "Паспорт громадянина України", true, DocumentForm::original, DocumentMedium::paper, 2, true, ""},
      {2, "Медичне свідоцтво про народження", true, DocumentForm::copy, DocumentMedium::paper, 1, true, ""},
      {3, "Свідоцтво про шлюб", true, DocumentForm::copy, DocumentMedium::electronic, 1, false, "буде подано пізніше"},
  };
  return c;
}

Applicant applicant() {
  Applicant a;
  a.name = "Шевченко Тарас Григорович";
  a.tax_id = "1234567890";
  a.address = "м. Кропивницький, вул. Велика Перспективна, 41";
  a.phone = "+380671234567";
  a.email = "taras@example.com";
  a.consent = {NotifyChannel::sms, NotifyChannel::email};
  return a;
}

FormContext context() {
  FormContext ctx;
  ctx.center_name = "ЦНАП м. Кропивницького";
  ctx.center_address = "вул. Велика Перспективна, 41";
  ctx.center_phone = "+380522000000";
  ctx.center_hours = "пн–пт 8:00–17:00";
  ctx.provider_name = "Відділ ДРАЦС";
  ctx.provider_address = "вул. Шевченка, 1";
  ctx.tracking_url = "https://cnap.example/c/ABCDEFGHJKMNPQRS";
  ctx.registered_by = "Бондаренко Андрій";
  ctx.today = "2026-12-03";
  return ctx;
}

std::string text_of(const documents::Document& doc, int* pages = nullptr) {
  auto pdf = render_pdf(doc);
  EXPECT_TRUE(pdf) << pdf.error().message;
  if (!pdf) {
    return "";
  }
  const auto info = pdf_info(*pdf);
  EXPECT_NE(info.page_size.find("595.276 x 841.89"), std::string::npos) << "A4: " << info.page_size;
  if (pages != nullptr) {
    *pages = info.pages;
  }
  return squeezed(pdf_text(*pdf));
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

TEST(Forms, ApplicationNamesTheApplicantTheServiceAndTheDocuments) {
  int pages = 0;
  const std::string text = text_of(application_form(filled_case(), applicant(), context()), &pages);
  EXPECT_EQ(pages, 1);
  EXPECT_TRUE(has(text, "ЗАЯВА")) << text;
  EXPECT_TRUE(has(text, "cnap-kr-2026-000123"));
  EXPECT_TRUE(has(text, "Шевченко Тарас Григорович"));
  EXPECT_TRUE(has(text, "Державна реєстрація народження"));
  EXPECT_TRUE(has(text, "+380671234567"));
  EXPECT_TRUE(has(text, "повідомлення про хід розгляду справи: SMS, електронна")) << text;
  EXPECT_TRUE(has(text, "Паспорт громадянина України"));
  EXPECT_FALSE(has(text, "Свідоцтво про шлюб")) << "a document not received is not attached";
  EXPECT_TRUE(has(text, "Підпис ____"));
  EXPECT_TRUE(has(text, "Бондаренко Андрій"));
}

TEST(Forms, ApplicationByARepresentativeOfALegalEntity) {
  Applicant a = applicant();
  a.kind = ApplicantKind::legal_entity;
  a.name = "ТОВ «Ромашка»";
  a.tax_id = "12345678";
  a.representative_name = "Коваль Ольга Петрівна";
  a.representative_document = "довіреність № 15 від 01.12.2026";
  const std::string text = text_of(application_form(filled_case(), a, context()));
  EXPECT_TRUE(has(text, "юридична особа")) << text;
  EXPECT_TRUE(has(text, "Код ЄДРПОУ 12345678"));
  EXPECT_TRUE(has(text, "Представник за довіреністю"));
  EXPECT_TRUE(has(text, "довіреність № 15 від 01.12.2026"));
  EXPECT_TRUE(has(text, "Представник заявника Коваль Ольга Петрівна"));
}

TEST(Forms, ReceiptHasEveryLineTheFeeTheDeadlineAndTheTrackingLink) {
  const std::string text = text_of(inventory_receipt(filled_case(), applicant(), context()));
  EXPECT_TRUE(has(text, "Опис вхідного пакета документів")) << text;
  EXPECT_TRUE(has(text, "(примірник заявника)"));
  EXPECT_TRUE(has(text, "cnap-kr-2026-000123"));
  EXPECT_TRUE(has(text, "03.12.2026"));
  EXPECT_TRUE(has(text, "Державна реєстрація народження"));
  EXPECT_TRUE(has(text, "Паспорт громадянина України"));
  EXPECT_TRUE(has(text, "оригінал"));
  EXPECT_TRUE(has(text, "копія"));
  EXPECT_TRUE(has(text, " електронний ")) << "whole words in narrow columns: " << text;
  EXPECT_TRUE(has(text, " Аркушів "));
  EXPECT_TRUE(has(text, "ні: буде")) << "the reason a document is missing";
  EXPECT_TRUE(has(text, "пізніше"));
  EXPECT_TRUE(has(text, "85,00 грн (сплачено)"));
  EXPECT_TRUE(has(text, "10 робочих днів"));
  EXPECT_TRUE(has(text, "17.12.2026"));
  EXPECT_TRUE(has(text, "пн–пт 8:00–17:00"));
  EXPECT_TRUE(has(text, "https://cnap.example/c/ABCDEFGHJKMNPQRS"));
  EXPECT_TRUE(has(text, "Бондаренко Андрій"));
  EXPECT_TRUE(has(text, "Прийнято документів: 2 з 3, аркушів: 3."));
}

TEST(Forms, ReceiptOfEightyLinesRunsOverPagesWithEveryLine) {
  Case c = filled_case();
  c.inventory.clear();
  for (int i = 1; i <= 80; ++i) {
    c.inventory.push_back(
        {i, "Документ номер " + std::to_string(i), false, DocumentForm::copy, DocumentMedium::paper, 1, true, ""});
  }
  int pages = 0;
  const std::string text = text_of(inventory_receipt(c, applicant(), context()), &pages);
  EXPECT_GT(pages, 1);
  for (int i = 1; i <= 80; ++i) {
    EXPECT_TRUE(has(text, "Документ номер " + std::to_string(i) + " ")) << i;
  }
  EXPECT_TRUE(has(text, "Сторінка " + std::to_string(pages) + " з " + std::to_string(pages)));
  EXPECT_TRUE(has(text, "Прийнято документів: 80 з 80, аркушів: 80."));
}

TEST(Forms, CoverLetterCarriesThePackageButNoPersonalData) {
  const std::string text = text_of(cover_letter(filled_case(), context()));
  EXPECT_TRUE(has(text, "Супровідний лист")) << text;
  EXPECT_TRUE(has(text, "cnap-kr-2026-000123"));
  EXPECT_TRUE(has(text, "Державна реєстрація народження"));
  EXPECT_TRUE(has(text, "Відділ ДРАЦС"));
  EXPECT_TRUE(has(text, "04.12.2026")) << "hand over due";
  EXPECT_TRUE(has(text, "17.12.2026")) << "due on";
  EXPECT_TRUE(has(text, "Заявник: Т. Ш. Заява")) << "the initials only";
  EXPECT_TRUE(has(text, "Медичне свідоцтво про народження"));
  EXPECT_TRUE(has(text, "документів 2, аркушів 3"));
  EXPECT_FALSE(has(text, "Шевченко")) << "no applicant's name";
  EXPECT_FALSE(has(text, "+380671234567")) << "no applicant's phone";
  EXPECT_FALSE(has(text, "1234567890"));
  EXPECT_FALSE(has(text, "taras@example.com"));
}

} // namespace
} // namespace vikno::cases
