// The commented source example in examples/dirsyncd.yaml, uncommented, must load and map: it is what admins
// copy.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "config/load.hpp"
#include "entry_fixture.hpp"
#include "sync/source_check.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::sync {
namespace {

using dirsync::testing::temp_dir;

std::filesystem::path example_file() {
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "examples" /
           "dirsyncd.yaml";
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The lines between the markers with their leading "# " removed.
std::string uncommented_source_example(const std::string& file) {
    std::istringstream in(file);
    std::string line;
    std::string out;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line == "# --- example source begin") {
            inside = true;
            continue;
        }
        if (line == "# --- example source end") break;
        if (!inside) continue;
        if (line.rfind("# ", 0) == 0)
            out += line.substr(2) + "\n";
        else if (line == "#")
            out += "\n";
        else
            ADD_FAILURE() << "not a comment line in the example block: " << line;
    }
    return out;
}

TEST(ExampleConfiguration, SourceExampleLoadsAndMaps) {
    auto file = read(example_file());
    auto block = uncommented_source_example(file);
    ASSERT_FALSE(block.empty()) << "markers not found in " << example_file();

    temp_dir dir;
    std::ofstream(dir.path() / "ldap-password") << "secret\n";
    std::ofstream(dir.path() / "idp-token") << "token\n";
    std::optional<dirsync::testing::scoped_env> credentials(std::in_place, "CREDENTIALS_DIRECTORY",
                                                            dir.path().c_str());
    std::string yaml = "storage: {sqlite: x.db}\ntenants:\n  - id: demo\n    name: Demo\n" + block;
    config::load_options options;
    options.check = check_sources;
    auto loaded = config::load_settings_string(yaml, "example", options);
    credentials.reset();
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string() << yaml;
    ASSERT_EQ(loaded->sources.size(), 2u);
    EXPECT_EQ(config::type_name(loaded->sources[1].kind), "scim");

    std::vector<config::diagnostic> problems;
    auto mapper = compile_source(*loaded, loaded->sources[0], problems);
    ASSERT_TRUE(mapper.has_value());
    auto e = testing::jdoe();
    e.attributes["employeetype"] = {"staff"};
    e.attributes["mobile"] = {"+1 555 0100"};
    auto user = mapper->map_user(e);
    ASSERT_TRUE(user.has_value()) << user.error().to_string();
    const auto& r = user->resource;
    EXPECT_EQ(r["userName"], "jdoe");
    EXPECT_EQ(r["displayName"], "John Doe");
    EXPECT_EQ(r["emails"][0]["value"], "john.doe@example.com");
    EXPECT_EQ(r["emails"][0]["primary"], true);
    EXPECT_EQ(r["phoneNumbers"][0]["value"], "+1 555 0100");
    EXPECT_EQ(r["title"], "Engineer");
    EXPECT_EQ(r["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"],
              "Jane Roe");
    EXPECT_FALSE(user->disabled);
}

TEST(ExampleConfiguration, WholeFileLoadsWithTheSourcesCheck) {
    config::load_options options;
    options.check = check_sources;
    auto loaded = config::load_settings_file(example_file(), options);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
}

}  // namespace
}  // namespace dirsync::sync
