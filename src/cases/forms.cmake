# The printed forms of a case (forms.hpp): application, inventory receipt, cover letter, built as
# documents::Document from the plain structs of model.hpp. Only model.hpp's structs are used (none
# of its functions), so this library needs no other part of the cases module.
# Included by src/cases/CMakeLists.txt: include(forms.cmake).
vikno_add_library(cases_forms
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/forms.cpp
  HEADERS forms.hpp model.hpp
  DEPS vikno_documents vikno_calendar vikno_common)
