# The executive discipline report (звіт про стан виконавської дисципліни): a pure core that counts
# (discipline.*) and the SQL that reads its facts (discipline_store.*). Included by
# src/cases/CMakeLists.txt: include(discipline.cmake).
vikno_add_library(cases_discipline
  SOURCES discipline.cpp
  DEPS vikno_calendar vikno_common vikno_documents Boost::json
  HEADERS discipline.hpp)

vikno_add_library(cases_discipline_store
  SOURCES discipline_store.cpp
  DEPS vikno_cases_discipline vikno_storage
  HEADERS discipline_store.hpp)
