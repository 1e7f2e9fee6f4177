#include "testing/test_db.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "storage/migrations.hpp"

namespace vikno::storage::testing {

namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 1000000);
}

std::string quote_conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

// The configured URL with `options=-c search_path=<schema>` added, as a key=value string
// (a URL cannot be extended reliably by text concatenation).
std::string with_search_path(const std::string& url, const std::string& schema) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "unknown error";
    PQfreemem(error);
    throw std::runtime_error("VIKNO_TEST_PG_URL is not a valid libpq URL: " + message);
  }
  std::string out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && std::string(o->keyword) != "options") {
      out += std::string(o->keyword) + "=" + quote_conninfo_value(o->val) + " ";
    }
  }
  PQconninfoFree(options);
  return out + "options=" + quote_conninfo_value("-c search_path=" + schema);
}

void pg_admin(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
  std::string message = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (!ok) {
    throw std::runtime_error("test PostgreSQL admin statement failed: " + message + " (in: " + sql + ")");
  }
}

} // namespace

std::string pg_url() {
  const char* url = std::getenv("VIKNO_TEST_PG_URL");
  return url == nullptr ? "" : url;
}

TestDatabase::TestDatabase(Dialect dialect, bool run_migrations, int pool_size) : dialect_(dialect) {
  if (dialect == Dialect::sqlite) {
    folder_ = std::filesystem::temp_directory_path() / ("vikno-test-" + unique_suffix());
    std::filesystem::create_directories(folder_);
    location_ = (folder_ / "vikno.db").string();
  } else {
    if (pg_url().empty()) {
      throw std::runtime_error("VIKNO_TEST_PG_URL is not set");
    }
    location_ = "t_" + unique_suffix();
    pg_admin(pg_url(), "CREATE SCHEMA " + location_);
    conninfo_ = with_search_path(pg_url(), location_);
  }
  db_ = open_another(pool_size);
  if (run_migrations) {
    migrate(*db_);
  }
}

TestDatabase::~TestDatabase() {
  db_.reset();
  try {
    if (dialect_ == Dialect::sqlite) {
      std::filesystem::remove_all(folder_);
    } else {
      pg_admin(pg_url(), "DROP SCHEMA IF EXISTS " + location_ + " CASCADE");
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleaning up the test database failed: " << e.what();
  }
}

std::unique_ptr<Db> TestDatabase::open_another(int pool_size) const {
  if (dialect_ == Dialect::sqlite) {
    SqliteOptions options;
    options.path = location_;
    options.readers = pool_size;
    return open_sqlite(options);
  }
  PostgresOptions options;
  options.conninfo = conninfo_;
  options.pool_size = pool_size;
  return open_postgres(options);
}

void TestDatabase::admin_execute(const std::string& sql) const {
  if (dialect_ == Dialect::sqlite) {
    auto other = open_another(1);
    other->transact([&](Connection& c) { c.execute_script(sql); });
    return;
  }
  pg_admin(conninfo_, sql);
}

void DbTest::SetUp() {
  if (GetParam() == Dialect::postgresql && pg_url().empty()) {
    GTEST_SKIP() << "VIKNO_TEST_PG_URL is not set (scripts/pg-throwaway.sh start DIR; export it from `url DIR`)";
  }
  test_db_ = std::make_unique<TestDatabase>(GetParam(), migrated());
}

std::string dialect_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::sqlite ? "sqlite" : "postgresql";
}

} // namespace vikno::storage::testing
