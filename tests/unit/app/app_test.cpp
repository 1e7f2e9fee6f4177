// The composition root: configuration sources and their precedence, the YAML -> JSON conversion
// the spec is served with, and the OpenAPI spec against the routes the App really registers.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "app/app.hpp"
#include "app/config.hpp"
#include "app/openapi.hpp"

namespace vikno::app {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

class TempDir {
public:
  TempDir() : path_(fs::temp_directory_path() / ("vikno-app-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }

private:
  fs::path path_;
};

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
    if (auto it = vars.find(name); it != vars.end()) {
      return it->second;
    }
    return std::nullopt;
  };
}

// --- Config -------------------------------------------------------------------------------------

TEST(Config, FileValuesApply) {
  TempDir dir;
  std::string file = dir.write("vikno.toml", R"(
[database]
url = "postgresql://vikno@db/vikno"
synchronous = "NORMAL"
[server]
listen = "0.0.0.0"
port = 9000
worker_threads = 4
access_log = false
)");
  auto c = load_config(file, fake_env({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->db_url, "postgresql://vikno@db/vikno");
  EXPECT_EQ(c->sqlite_synchronous, "NORMAL");
  EXPECT_EQ(c->server.address, "0.0.0.0");
  EXPECT_EQ(c->server.port, 9000);
  EXPECT_EQ(c->server.worker_threads, 4);
  EXPECT_FALSE(c->server.access_log);
  EXPECT_EQ(c->server.io_threads, http::ServerOptions{}.io_threads); // untouched keys keep defaults
}

TEST(Config, EnvironmentBeatsTheFile) {
  TempDir dir;
  std::string file = dir.write("vikno.toml", "[server]\nport = 9000\nlisten = \"0.0.0.0\"\n");
  auto c = load_config(file, fake_env({{"VIKNO_PORT", "9100"}, {"VIKNO_DB", "sqlite:/tmp/x.db"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.port, 9100);
  EXPECT_EQ(c->server.address, "0.0.0.0"); // not in the environment: the file's value
  EXPECT_EQ(c->db_url, "sqlite:/tmp/x.db");
}

TEST(Config, ConfigFileCanComeFromTheEnvironment) {
  TempDir dir;
  std::string file = dir.write("other.toml", "[server]\nport = 9200\n");
  auto c = load_config(std::nullopt, fake_env({{"VIKNO_CONFIG", file}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.port, 9200);
  auto missing = load_config((dir.path() / "absent.toml").string(), fake_env({}));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("absent.toml"), std::string::npos) << missing.error().message;
}

TEST(Config, UnknownKeyIsAnErrorNamingIt) {
  TempDir dir;
  std::string file = dir.write("vikno.toml", "[server]\nprot = 9000\n");
  auto c = load_config(file, fake_env({}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "invalid_config");
  EXPECT_NE(c.error().message.find("server.prot"), std::string::npos) << c.error().message;
  ASSERT_FALSE(c.error().problems.empty());
  EXPECT_EQ(c.error().problems[0].field, "server.prot");

  auto bare = load_config(dir.write("bare.toml", "port = 9000\n"), fake_env({}));
  ASSERT_FALSE(bare);
  EXPECT_NE(bare.error().message.find("port"), std::string::npos) << bare.error().message;
}

// Issue 14: the HTTP server's hardening settings, from the file (a list for the proxies) and the
// environment (comma separated).
TEST(Config, HardeningSettings) {
  TempDir dir;
  std::string file = dir.write("vikno.toml", R"(
[server]
trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]
max_connections = 100
max_connections_per_address = 10
max_streams = 50
max_streams_per_address = 5
metrics_token = "a-metrics-token-of-some-length"
)");
  auto c = load_config(file, fake_env({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->server.trusted_proxies.contains("10.20.30.40"));
  EXPECT_TRUE(c->server.trusted_proxies.contains("127.0.0.1"));
  EXPECT_FALSE(c->server.trusted_proxies.contains("192.168.0.1"));
  EXPECT_EQ(c->server.max_connections, 100U);
  EXPECT_EQ(c->server.max_connections_per_address, 10U);
  EXPECT_EQ(c->server.max_streams, 50U);
  EXPECT_EQ(c->server.max_streams_per_address, 5U);
  EXPECT_EQ(c->metrics_token, "a-metrics-token-of-some-length");

  auto env = load_config(std::nullopt, fake_env({{"VIKNO_TRUSTED_PROXIES", "192.168.1.1, ::1"}}));
  ASSERT_TRUE(env) << env.error().message;
  EXPECT_TRUE(env->server.trusted_proxies.contains("::1"));
  EXPECT_TRUE(env->server.trusted_proxies.contains("192.168.1.1"));
  EXPECT_FALSE(env->server.trusted_proxies.contains("127.0.0.1"));

  auto defaults = load_config(std::nullopt, fake_env({}));
  ASSERT_TRUE(defaults);
  EXPECT_TRUE(defaults->server.trusted_proxies.empty()); // nobody's X-Forwarded-For is believed
  EXPECT_TRUE(defaults->metrics_token.empty());

  auto bad = load_config(std::nullopt, fake_env({{"VIKNO_TRUSTED_PROXIES", "10.0.0.1, nginx"}}));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("nginx"), std::string::npos) << bad.error().message;
  auto not_strings = load_config(dir.write("n.toml", "[server]\ntrusted_proxies = [1, 2]\n"), fake_env({}));
  ASSERT_FALSE(not_strings);
  EXPECT_NE(not_strings.error().message.find("server.trusted_proxies"), std::string::npos);
  auto list_elsewhere = load_config(dir.write("l.toml", "[server]\nlisten = [\"a\"]\n"), fake_env({}));
  ASSERT_FALSE(list_elsewhere); // only list settings take a list
  EXPECT_FALSE(load_config(std::nullopt, fake_env({{"VIKNO_MAX_CONNECTIONS", "0"}})));
  EXPECT_FALSE(load_config(std::nullopt, fake_env({{"VIKNO_METRICS_TOKEN", "short"}})));
}

TEST(Config, WrongTypesAreErrorsNamingTheKey) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[server]\nport = \"eighty\"\n", "server.port"},
      {"[server]\naccess_log = \"maybe\"\n", "server.access_log"},
      {"[server]\nworker_threads = 1.5\n", "server.worker_threads"},
      {"[server]\nlisten = [\"a\", \"b\"]\n", "server.listen"},
      {"[database]\nsynchronous = \"OFF\"\n", "database.synchronous"},
      {"[demo]\nload = 2\n", "demo.load"},
  };
  for (const auto& [text, key] : cases) {
    auto c = load_config(dir.write("t.toml", text), fake_env({}));
    ASSERT_FALSE(c) << text;
    EXPECT_NE(c.error().message.find(key), std::string::npos) << c.error().message;
  }
  auto syntax = load_config(dir.write("s.toml", "[server\nport = 1\n"), fake_env({}));
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, "invalid_config");
}

TEST(Config, PortMustBeInRange) {
  TempDir dir;
  for (const char* port : {"65536", "-1", "99999999999"}) {
    auto c = load_config(dir.write("p.toml", std::string("[server]\nport = ") + port + "\n"), fake_env({}));
    ASSERT_FALSE(c) << port;
    EXPECT_NE(c.error().message.find("server.port"), std::string::npos) << c.error().message;
  }
  for (const char* port : {"80a", "", " 80", "65536"}) {
    auto c = load_config(dir.write("ok.toml", ""), fake_env({{"VIKNO_PORT", port}}));
    ASSERT_FALSE(c) << "'" << port << "'";
    EXPECT_NE(c.error().message.find("VIKNO_PORT"), std::string::npos) << c.error().message;
  }
  auto zero = load_config(dir.write("z.toml", "[server]\nport = 0\n"), fake_env({}));
  ASSERT_TRUE(zero); // 0: any free port (tests use it)
  EXPECT_EQ(zero->server.port, 0);
}

TEST(Config, EnvironmentBooleansAndSecrets) {
  TempDir dir;
  auto c = load_config(
      dir.write("e.toml", ""),
      fake_env({{"VIKNO_ACCESS_LOG", "off"}, {"VIKNO_DEMO", "no"}, {"VIKNO_ADMIN_PASSWORD", "from the environment"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->server.access_log);
  EXPECT_FALSE(c->load_demo);
  EXPECT_EQ(c->admin_password, "from the environment");
  // The admin password is never read from the file (files get copied around).
  auto file = load_config(dir.write("f.toml", "[admin]\npassword = \"x\"\n"), fake_env({}));
  EXPECT_FALSE(file);
}

// --- The clock for tests --------------------------------------------------------------------------

TEST(Config, ClockOffsetComesFromTheEnvironmentOnly) {
  TempDir dir;
  auto c = load_config(dir.write("e.toml", ""), fake_env({{"VIKNO_CLOCK_OFFSET_MS", "-10800000"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->clock_offset_ms, -3 * 3600 * 1000);
  EXPECT_FALSE(c->test_clock); // only the serve flag turns the test clock on
  for (const char* bad : {"3h", "1.5", "", " 5", "999999999999999999999", "400000000000"}) {
    auto b = load_config(dir.write("b.toml", ""), fake_env({{"VIKNO_CLOCK_OFFSET_MS", bad}}));
    ASSERT_FALSE(b) << bad;
    EXPECT_EQ(b.error().code, "invalid_config") << bad;
  }
  // Neither can come from a file, which gets copied from a test machine to a real one.
  EXPECT_FALSE(load_config(dir.write("f.toml", "[clock]\noffset_ms = 5\n"), fake_env({})));
  EXPECT_FALSE(load_config(dir.write("t.toml", "[server]\ntest_clock = true\n"), fake_env({})));
}

TEST(Duration, UnitsSignsAndParts) {
  EXPECT_EQ(parse_duration("90s").value(), 90'000);
  EXPECT_EQ(parse_duration("-3h").value(), -3 * 3'600'000);
  EXPECT_EQ(parse_duration("+1500ms").value(), 1'500);
  EXPECT_EQ(parse_duration("1h30m").value(), 90 * 60'000);
  EXPECT_EQ(parse_duration("2d").value(), 2 * 86'400'000);
  EXPECT_EQ(parse_duration("0s").value(), 0);
  for (const char* bad : {"", "-", "90", "s", "1.5h", "1 h", "1h 30m", "1hour", "1H", "1h-30m", "--1h", "99999d",
                          "9223372036854775807ms"}) {
    auto d = parse_duration(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, "invalid_duration") << bad;
  }
}

TEST(ShiftedClock, RunsAheadAndMovesOnlyForwards) {
  Millis wall = 1'000'000;
  ShiftedClock shifted(-500, [&wall] { return wall; });
  Clock clock = shifted.clock();
  EXPECT_EQ(clock(), 999'500);
  wall += 10;
  EXPECT_EQ(clock(), 999'510); // the base clock still runs
  shifted.advance(62'000);
  EXPECT_EQ(clock(), 1'061'510); // a Clock handed out before follows the move
  shifted.advance(-100'000);
  shifted.advance(0);
  EXPECT_EQ(shifted.offset(), 61'500) << "never backwards";
  Clock outlives;
  {
    ShiftedClock gone(7, [] { return Millis{100}; });
    outlives = gone.clock();
  }
  EXPECT_EQ(outlives(), 107);
}

// The route that moves the clock exists only when asked for, and moves every service's clock.
TEST(TestClock, RouteOnlyWithTheFlagAndItMovesTheClock) {
  TempDir dir;
  Config config;
  config.db_url = "sqlite:" + (dir.path() / "vikno.db").string();
  config.load_demo = false;
  auto find_route = [](const App& app) -> const http::Route* {
    for (const auto& route : app.router().routes()) {
      if (route.pattern == "/api/v1/test/clock") {
        return &route;
      }
    }
    return nullptr;
  };
  {
    App plain(config);
    EXPECT_EQ(find_route(plain), nullptr);
  }
  config.test_clock = true;
  config.clock_offset_ms = 3 * 3'600'000;
  App app(config);
  const http::Route* route = find_route(app);
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->method, "POST");
  EXPECT_EQ(route->options.permission, auth::Permission::users_manage);
  auto post = [&](const std::string& body) {
    http::Request req;
    req.method = "POST";
    req.path = route->pattern;
    req.body = body;
    req.principal = auth::Principal::system();
    return route->handler(req);
  };
  auto moved = post(R"({"advance_ms": 62000})");
  ASSERT_TRUE(moved) << moved.error().message;
  bj::value answer = bj::parse(moved->body);
  EXPECT_EQ(answer.at("offset_ms").to_number<std::int64_t>(), 3 * 3'600'000 + 62'000);
  Millis expected = system_clock()() + 3 * 3'600'000 + 62'000;
  // To the minute (the one before, when the answer came just before a minute turned).
  std::string at(answer.at("at").as_string());
  EXPECT_TRUE(at.substr(0, 16) == format_iso8601(expected).substr(0, 16) ||
              at.substr(0, 16) == format_iso8601(expected - 60'000).substr(0, 16))
      << at << " vs " << format_iso8601(expected);
  for (const char* bad : {R"({"advance_ms": 0})", R"({"advance_ms": -5})", R"({"advance_ms": "1s"})", "{}"}) {
    auto refused = post(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input) << bad;
  }
}

// --- YAML -> JSON -------------------------------------------------------------------------------

TEST(YamlToJson, ScalarsKeepTheirTypes) {
  bj::value v = yaml_to_json(R"(
openapi: 3.1.0
count: 42
negative: -7
ratio: 1.5
yes_flag: true
no_flag: false
nothing: null
tilde: ~
empty:
quoted_number: "42"
quoted_bool: 'true'
word: hello
code: '409'
)");
  const bj::object& o = v.as_object();
  EXPECT_EQ(o.at("openapi"), "3.1.0"); // a version is text
  EXPECT_EQ(o.at("count"), 42);
  EXPECT_EQ(o.at("negative"), -7);
  EXPECT_DOUBLE_EQ(o.at("ratio").as_double(), 1.5);
  EXPECT_EQ(o.at("yes_flag"), true);
  EXPECT_EQ(o.at("no_flag"), false);
  EXPECT_TRUE(o.at("nothing").is_null());
  EXPECT_TRUE(o.at("tilde").is_null());
  EXPECT_TRUE(o.at("empty").is_null());
  EXPECT_EQ(o.at("quoted_number"), "42"); // quoted scalars stay strings
  EXPECT_EQ(o.at("quoted_bool"), "true");
  EXPECT_EQ(o.at("word"), "hello");
  EXPECT_EQ(o.at("code"), "409"); // response codes in OpenAPI are quoted keys/strings
}

TEST(YamlToJson, NestedMapsAndSequences) {
  bj::value v = yaml_to_json(R"(
paths:
  /a/{id}:
    get:
      parameters: [{name: id, in: path}]
      tags:
        - one
        - two
)");
  const bj::value& get = v.at("paths").at("/a/{id}").at("get");
  EXPECT_EQ(get.at("parameters").as_array().at(0).at("name"), "id");
  EXPECT_EQ(get.at("tags"), (bj::array{"one", "two"}));
}

TEST(YamlToJson, MalformedYamlThrows) {
  EXPECT_THROW((void)yaml_to_json("a: [1, 2\nb: {"), std::runtime_error);
  EXPECT_THROW((void)yaml_to_json("key: value\n  bad indentation: here\n"), std::runtime_error);
}

// --- OpenAPI spec vs the router -----------------------------------------------------------------

const std::set<std::string> kHttpMethods{"get", "post", "put", "patch", "delete"};

std::string lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

std::set<std::string> pattern_params(const std::string& pattern) {
  std::set<std::string> out;
  for (std::size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1)) {
    out.insert(pattern.substr(open + 1, pattern.find('}', open) - open - 1));
  }
  return out;
}

// Path parameters an operation declares (inline or through #/components/parameters/...).
std::set<std::string> declared_path_params(const bj::value& spec, const bj::object& path_item,
                                           const bj::object& operation) {
  std::set<std::string> out;
  for (const bj::object* holder : {&path_item, &operation}) {
    auto it = holder->find("parameters");
    if (it == holder->end()) {
      continue;
    }
    for (const bj::value& p : it->value().as_array()) {
      const bj::value* param = &p;
      if (const auto* ref = p.as_object().if_contains("$ref")) {
        std::string name(ref->as_string());
        name = name.substr(name.rfind('/') + 1);
        param = &spec.at("components").at("parameters").at(name);
      }
      if (param->at("in") == "path") {
        out.insert(std::string(param->at("name").as_string()));
      }
    }
  }
  return out;
}

TEST(OpenApi, SpecAndRouterNameTheSameRoutes) {
  TempDir dir;
  Config config;
  config.db_url = "sqlite:" + (dir.path() / "vikno.db").string();
  config.load_demo = false;
  config.test_clock = true; // its route is in the spec, marked as there only with --test-clock
  App app(config);

  std::set<std::string> routed;
  std::map<std::string, const http::Route*> by_key;
  for (const auto& route : app.router().routes()) {
    std::string key = lower(route.method) + " " + route.pattern;
    routed.insert(key);
    by_key[key] = &route;
  }
  ASSERT_FALSE(routed.empty());

  bj::value spec = openapi_json();
  ASSERT_TRUE(spec.is_object());
  std::string version(spec.at("openapi").as_string());
  EXPECT_TRUE(version.starts_with("3.")) << version;
  std::set<std::string> specified;
  for (const auto& [path, item] : spec.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!kHttpMethods.contains(std::string(method))) {
        continue; // parameters, summary...
      }
      std::string key = std::string(method) + " " + std::string(path);
      specified.insert(key);
      // The spec's path parameters must be the ones in its path.
      EXPECT_EQ(declared_path_params(spec, item.as_object(), operation.as_object()), pattern_params(std::string(path)))
          << key << ": declared path parameters differ from the path";
      // Who may call: protected routes say how to authenticate, public ones do not ask for it.
      if (auto route = by_key.find(key); route != by_key.end()) {
        bool is_public = route->second->options.permission == auth::Permission::public_read;
        const bj::value* security = operation.as_object().if_contains("security");
        bool declares = security != nullptr && !security->as_array().empty();
        EXPECT_EQ(declares, !is_public) << key
                                        << (is_public ? ": public route lists security"
                                                      : ": protected route lists no security");
      }
    }
  }

  for (const auto& key : routed) {
    EXPECT_TRUE(specified.contains(key)) << "route missing from docs/openapi.yaml: " << key;
  }
  for (const auto& key : specified) {
    EXPECT_TRUE(routed.contains(key)) << "docs/openapi.yaml names a route the server lacks: " << key;
  }
}

} // namespace
} // namespace vikno::app
