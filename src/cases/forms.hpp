// The three printed forms of a case, formed right after registration (the seed's ЦНАП regulations:
// "заява, опис вхідного пакета документів і супровідний лист формуються автоматично"):
//  - the application (заява) the applicant signs at the window;
//  - the inventory of the received package (опис вхідного пакета документів), the applicant's copy:
//    what was received, the fee, the deadline, where to collect the result, a QR of the tracking page;
//  - the cover letter (супровідний лист) that goes with the package to the provider: the package
//    and its deadlines, and of the applicant only the initials (the provider gets the personal data
//    from the application itself, inside the package).
// Built from the plain structs of model.hpp alone (no storage, no clock: the caller passes today),
// as documents::Document for documents::render_pdf. Ukrainian only: these are official papers.
#pragma once

#include "cases/model.hpp"
#include "documents/pdf.hpp"

#include <string>

namespace vikno::cases {

// What the forms print that a Case does not hold: the center, the provider's address, the
// tracking link, who registered, the service's title as the card names it, today's date.
struct FormContext {
  std::string center_name, center_address, center_phone, center_hours;
  std::string provider_name, provider_address;
  std::string tracking_url;
  std::string registered_by; // the administrator's name
  std::string service_title; // empty: the case's own service_title
  std::string today;         // YYYY-MM-DD in Kyiv
};

documents::Document application_form(const Case& c, const Applicant& applicant, const FormContext& context);
documents::Document inventory_receipt(const Case& c, const Applicant& applicant, const FormContext& context);
documents::Document cover_letter(const Case& c, const FormContext& context);

} // namespace vikno::cases
