# The printed forms of a case (forms.hpp): application, inventory receipt, cover letter, built as
# documents::Document from the plain structs of model.hpp (the pure core); no storage, no HTTP.
# Included by src/cases/CMakeLists.txt.
vikno_add_library(cases_forms
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/forms.cpp
  HEADERS forms.hpp
  DEPS vikno_cases_core vikno_documents vikno_calendar vikno_common)
