// The migration files as the build embedded them (see embed_migrations.cmake). Internal to
// storage: other code calls migrations_for().
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace vikno::storage::detail {

struct EmbeddedMigration {
  std::string_view dialect;   // "sqlite" or "postgresql" (the folder name)
  std::string_view file_name; // NNNN_name.sql
  const unsigned char* data;
  std::size_t size;
};

std::vector<EmbeddedMigration> embedded_migrations();

} // namespace vikno::storage::detail
