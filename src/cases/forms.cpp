#include "cases/forms.hpp"

#include <string>
#include <utility>
#include <vector>

namespace vikno::cases {
namespace {

using documents::Align;
using documents::Block;
using documents::Document;
using documents::Heading;
using documents::KeyValues;
using documents::Paragraph;
using documents::paragraph;
using documents::QrBlock;
using documents::Run;
using documents::SignatureLine;
using documents::Signatures;
using documents::Spacer;
using documents::Table;

// The words of the enums, as a form prints them (model.cpp's own words are the lead's: these are
// the forms' and need no other part of the module).
std::string form_uk(DocumentForm f) { return f == DocumentForm::original ? "оригінал" : "копія"; }
std::string medium_uk(DocumentMedium m) { return m == DocumentMedium::paper ? "паперовий" : "електронний"; }

std::string channel_uk(Channel ch) {
  switch (ch) {
  case Channel::in_person:
    return "особисто у ЦНАП";
  case Channel::post:
    return "поштою";
  case Channel::online:
    return "онлайн";
  case Channel::mobile_office:
    return "мобільний офіс";
  }
  return "";
}

std::string notify_uk(NotifyChannel ch) {
  switch (ch) {
  case NotifyChannel::email:
    return "електронна пошта";
  case NotifyChannel::sms:
    return "SMS";
  case NotifyChannel::viber:
    return "Viber";
  }
  return "";
}

// "2026-12-03" -> "03.12.2026"; anything else as it is.
std::string date_uk(const std::string& iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') {
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
  }
  return iso.empty() ? "—" : iso;
}

std::string or_dash(const std::string& text) { return text.empty() ? "—" : text; }

// "Т. Ш." stays, "ТОВ" becomes "ТОВ.": one full stop at the end of a sentence.
std::string sentence_end(std::string text) {
  if (!text.ends_with('.')) {
    text += '.';
  }
  return text;
}

// 1 день, 2 дні, 5 днів (and 11-14 днів).
std::string plural(int n, const char* one, const char* few, const char* many) {
  const int tens = n % 100;
  const int units = n % 10;
  const char* word = (tens >= 11 && tens <= 14) ? many : units == 1 ? one : (units >= 2 && units <= 4) ? few : many;
  return std::to_string(n) + " " + word;
}

std::string term_uk(const TermSnapshot& term) {
  const bool working = term.unit == TermUnit::working_days;
  return working ? plural(term.days, "робочий день", "робочі дні", "робочих днів")
                 : plural(term.days, "календарний день", "календарні дні", "календарних днів");
}

std::string money_uk(std::int64_t kopiykas) {
  const std::int64_t hryvnias = kopiykas / 100;
  const std::int64_t rest = kopiykas % 100;
  return std::to_string(hryvnias) + "," + (rest < 10 ? "0" : "") + std::to_string(rest) + " грн";
}

std::string fee_uk(const Case& c) {
  if (c.fee_kopiykas <= 0) {
    return "безоплатно";
  }
  return money_uk(c.fee_kopiykas) + (c.fee_paid ? " (сплачено)" : " (не сплачено)");
}

const std::string& title_of(const Case& c, const FormContext& context) {
  return context.service_title.empty() ? c.service_title : context.service_title;
}

const std::string& provider_of(const Case& c, const FormContext& context) {
  return context.provider_name.empty() ? c.provider_name : context.provider_name;
}

int pages_received(const Case& c) {
  int pages = 0;
  for (const InventoryLine& line : c.inventory) {
    pages += line.received ? line.pages : 0;
  }
  return pages;
}

int lines_received(const Case& c) {
  int count = 0;
  for (const InventoryLine& line : c.inventory) {
    count += line.received ? 1 : 0;
  }
  return count;
}

int position_of(const InventoryLine& line, std::size_t index) {
  return line.position > 0 ? line.position : static_cast<int>(index) + 1;
}

// The center's name, address and phone at the top of a page.
Block letterhead(const FormContext& context) {
  Paragraph p;
  p.runs.push_back(Run{or_dash(context.center_name), true});
  std::string rest;
  if (!context.center_address.empty()) {
    rest += "\n" + context.center_address;
  }
  if (!context.center_phone.empty()) {
    rest += "\nтел. " + context.center_phone;
  }
  p.runs.push_back(Run{rest, false});
  p.small = true;
  return p;
}

std::string pickup_text(const FormContext& context) {
  std::string text = "Результат можна отримати у " + or_dash(context.center_name);
  if (!context.center_address.empty()) {
    text += " за адресою: " + context.center_address;
  }
  text += ".";
  if (!context.center_hours.empty()) {
    text += " Графік роботи: " + context.center_hours + ".";
  }
  if (!context.center_phone.empty()) {
    text += " Телефон: " + context.center_phone + ".";
  }
  return text;
}

} // namespace

Document application_form(const Case& c, const Applicant& applicant, const FormContext& context) {
  Document doc;
  doc.title = "Заява " + c.number;
  doc.footer_left = "Заява, справа № " + c.number;
  const bool entity = applicant.kind == ApplicantKind::legal_entity;
  const bool represented = !applicant.representative_name.empty();

  doc.blocks.emplace_back(
      paragraph(provider_of(c, context) + "\nчерез " + or_dash(context.center_name), false, Align::right));
  doc.blocks.emplace_back(Spacer{4});
  doc.blocks.emplace_back(Heading{"ЗАЯВА", 1});
  doc.blocks.emplace_back(paragraph("про надання адміністративної послуги", false, Align::center));
  doc.blocks.emplace_back(Spacer{2});
  doc.blocks.emplace_back(KeyValues{{{"Справа №", c.number},
                                     {"Дата реєстрації", date_uk(c.registered_on)},
                                     {"Спосіб подання", channel_uk(c.channel)}}});

  doc.blocks.emplace_back(Heading{entity ? "Заявник (юридична особа)" : "Заявник (фізична особа)", 2});
  KeyValues who;
  who.rows = {{entity ? "Найменування" : "Прізвище, ім'я, по батькові", or_dash(applicant.name)},
              {entity ? "Код ЄДРПОУ" : "РНОКПП", or_dash(applicant.tax_id)},
              {entity ? "Місцезнаходження" : "Адреса", or_dash(applicant.address)},
              {"Телефон", or_dash(applicant.phone)},
              {"Електронна пошта", or_dash(applicant.email)}};
  doc.blocks.emplace_back(std::move(who));
  if (represented) {
    doc.blocks.emplace_back(Heading{"Представник за довіреністю", 2});
    doc.blocks.emplace_back(KeyValues{{{"Прізвище, ім'я, по батькові", applicant.representative_name},
                                       {"Довіреність (номер, дата)", or_dash(applicant.representative_document)}}});
  }

  doc.blocks.emplace_back(Spacer{2});
  Paragraph ask;
  ask.runs = {Run{"Прошу надати адміністративну послугу ", false}, Run{"«" + title_of(c, context) + "»", true},
              Run{", суб'єкт надання — " + or_dash(provider_of(c, context)) + ".", false}};
  doc.blocks.emplace_back(std::move(ask));

  std::string consent;
  for (NotifyChannel ch : applicant.consent) {
    consent += (consent.empty() ? "" : ", ") + notify_uk(ch);
  }
  doc.blocks.emplace_back(
      paragraph(consent.empty() ? "Повідомлення про хід розгляду: згоди не надано (заявник дізнається про "
                                  "стан справи у ЦНАП або за посиланням з опису)."
                                : "Згоден(на) отримувати повідомлення про хід розгляду справи: " + consent + "."));

  doc.blocks.emplace_back(Heading{"Перелік документів, що додаються", 2});
  Table attached;
  attached.columns = {"№", "Найменування документа", "Оригінал / копія", "Носій", "Аркушів"};
  attached.widths = {0.6, 6, 1.8, 1.8, 1.2};
  for (std::size_t i = 0; i < c.inventory.size(); ++i) {
    const InventoryLine& line = c.inventory[i];
    if (!line.received) {
      continue;
    }
    attached.rows.push_back({std::to_string(position_of(line, i)), line.name, form_uk(line.form),
                             medium_uk(line.medium), std::to_string(line.pages)});
  }
  doc.blocks.emplace_back(std::move(attached));
  doc.blocks.emplace_back(paragraph("Даю згоду на обробку моїх персональних даних відповідно до Закону України «Про "
                                    "захист персональних даних» для надання адміністративної послуги.",
                                    false));

  Signatures signatures;
  signatures.lines.push_back(SignatureLine{represented ? "Представник заявника" : "Заявник",
                                           represented ? applicant.representative_name : applicant.name});
  signatures.lines.push_back(SignatureLine{"Заяву прийняв адміністратор ЦНАП", context.registered_by});
  doc.blocks.emplace_back(std::move(signatures));
  return doc;
}

Document inventory_receipt(const Case& c, const Applicant& applicant, const FormContext& context) {
  Document doc;
  doc.title = "Опис вхідного пакета документів " + c.number;
  doc.footer_left = "Опис вхідного пакета документів, справа № " + c.number;

  doc.blocks.emplace_back(letterhead(context));
  doc.blocks.emplace_back(Spacer{3});
  doc.blocks.emplace_back(Heading{"Опис вхідного пакета документів", 1});
  doc.blocks.emplace_back(paragraph("(примірник заявника)", false, Align::center));
  doc.blocks.emplace_back(Spacer{2});
  doc.blocks.emplace_back(KeyValues{{{"Справа №", c.number},
                                     {"Дата реєстрації", date_uk(c.registered_on)},
                                     {"Адміністративна послуга", title_of(c, context)},
                                     {"Суб'єкт надання", or_dash(provider_of(c, context))},
                                     {"Заявник", or_dash(applicant.name)},
                                     {"Спосіб подання", channel_uk(c.channel)}}});

  doc.blocks.emplace_back(Heading{"Прийняті документи", 2});
  Table table;
  table.columns = {"№", "Найменування документа", "Оригінал / копія", "Носій", "Аркушів", "Отримано"};
  table.widths = {0.5, 4.6, 1.6, 1.9, 1.3, 2.3};
  for (std::size_t i = 0; i < c.inventory.size(); ++i) {
    const InventoryLine& line = c.inventory[i];
    table.rows.push_back({std::to_string(position_of(line, i)), line.name, form_uk(line.form), medium_uk(line.medium),
                          std::to_string(line.pages), line.received ? "так" : "ні: " + or_dash(line.missing_reason)});
  }
  doc.blocks.emplace_back(std::move(table));
  doc.blocks.emplace_back(paragraph("Прийнято документів: " + std::to_string(lines_received(c)) + " з " +
                                        std::to_string(c.inventory.size()) +
                                        ", аркушів: " + std::to_string(pages_received(c)) + ".",
                                    false));

  doc.blocks.emplace_back(KeyValues{{{"Адміністративний збір", fee_uk(c)},
                                     {"Строк надання послуги", term_uk(c.term)},
                                     {"Граничний строк", date_uk(c.due_on)}}});
  doc.blocks.emplace_back(paragraph(pickup_text(context) + " Про готовність результату ми повідомимо вас у "
                                                           "погоджений спосіб. Візьміть із собою цей опис і документ, "
                                                           "що посвідчує особу.",
                                    false));
  if (!context.tracking_url.empty()) {
    doc.blocks.emplace_back(QrBlock{context.tracking_url, "Стан розгляду справи: " + context.tracking_url, 28});
  }
  Signatures signatures;
  signatures.lines.push_back(SignatureLine{"Документи прийняв адміністратор ЦНАП", context.registered_by});
  signatures.lines.push_back(SignatureLine{
      "Опис отримав заявник", applicant.representative_name.empty() ? applicant.name : applicant.representative_name});
  doc.blocks.emplace_back(std::move(signatures));
  return doc;
}

Document cover_letter(const Case& c, const FormContext& context) {
  Document doc;
  doc.title = "Супровідний лист " + c.number;
  doc.footer_left = "Супровідний лист, справа № " + c.number;
  const std::string& date = context.today.empty() ? c.registered_on : context.today;

  doc.blocks.emplace_back(letterhead(context));
  std::string to = or_dash(provider_of(c, context));
  if (!context.provider_address.empty()) {
    to += "\n" + context.provider_address;
  }
  doc.blocks.emplace_back(paragraph(to, true, Align::right));
  doc.blocks.emplace_back(Spacer{6});
  doc.blocks.emplace_back(Heading{"Супровідний лист", 1});
  doc.blocks.emplace_back(paragraph("№ " + c.number + " від " + date_uk(date), false, Align::center));
  doc.blocks.emplace_back(Spacer{3});
  Paragraph body;
  body.runs = {Run{"Надсилаємо для розгляду справу № " + c.number + " щодо надання адміністративної послуги ", false},
               Run{"«" + title_of(c, context) + "»", true},
               Run{", зареєстровану у ЦНАП " + date_uk(c.registered_on) + ". Заявник: " +
                       sentence_end(or_dash(c.applicant_initials)) + " Заява заявника — у пакеті документів.",
                   false}};
  doc.blocks.emplace_back(std::move(body));
  doc.blocks.emplace_back(KeyValues{{{"Справа №", c.number},
                                     {"Адміністративна послуга", title_of(c, context)},
                                     {"Передати суб'єкту надання до", date_uk(c.hand_over_due)},
                                     {"Граничний строк надання послуги", date_uk(c.due_on)},
                                     {"Строк надання", term_uk(c.term)},
                                     {"Адміністративний збір", fee_uk(c)}},
                                    65});

  doc.blocks.emplace_back(Heading{"Пакет документів", 2});
  Table table;
  table.columns = {"№", "Найменування документа", "Оригінал / копія", "Носій", "Аркушів", "Наявність"};
  table.widths = {0.5, 4.6, 1.6, 1.9, 1.3, 2.3};
  for (std::size_t i = 0; i < c.inventory.size(); ++i) {
    const InventoryLine& line = c.inventory[i];
    table.rows.push_back({std::to_string(position_of(line, i)), line.name, form_uk(line.form), medium_uk(line.medium),
                          std::to_string(line.pages),
                          line.received ? "додано" : "не подано: " + or_dash(line.missing_reason)});
  }
  doc.blocks.emplace_back(std::move(table));
  doc.blocks.emplace_back(paragraph("Усього: документів " + std::to_string(lines_received(c)) + ", аркушів " +
                                        std::to_string(pages_received(c)) + ".",
                                    true));
  Signatures signatures;
  signatures.lines.push_back(SignatureLine{"Передав адміністратор ЦНАП", context.registered_by});
  signatures.lines.push_back(SignatureLine{"Прийняв представник суб'єкта надання", ""});
  doc.blocks.emplace_back(std::move(signatures));
  return doc;
}

} // namespace vikno::cases
