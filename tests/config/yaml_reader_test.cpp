#include "config/yaml_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::config {
namespace {

// "line:column: message" of every diagnostic, for compact expectations.
std::vector<std::string> lines(diagnostics_sink& sink) {
    std::vector<std::string> out;
    for (const auto& d : sink.take())
        out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
    return out;
}

TEST(MapReader, ReportsUnknownKeysWithTheAllowedOnes) {
    auto doc = YAML::Load("listen: a\nthreds: 2\nextra: 1\n");
    diagnostics_sink sink("t.yaml");
    {
        map_reader map(sink, yaml_field{"server", "server", doc, doc.Mark()});
        EXPECT_TRUE(map.optional("listen"));
        EXPECT_FALSE(map.optional("threads"));
        EXPECT_FALSE(map.optional("tls"));
    }  // the destructor finishes
    EXPECT_EQ(lines(sink), (std::vector<std::string>{
                               "2:1: unknown key 'threds' in server (allowed: listen, threads, tls); did you "
                               "mean 'threads'?",
                               "3:1: unknown key 'extra' in server (allowed: listen, threads, tls)",
                           }));
}

TEST(MapReader, HiddenKeysAreNotEchoed) {
    auto doc = YAML::Load("s3cr3t-token: 1\n");
    diagnostics_sink sink("t.yaml");
    map_reader map(sink, yaml_field{"item", "item", doc, doc.Mark()}, key_echo::hide);
    map.optional("sha256");
    map.finish();
    auto found = lines(sink);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], "1:1: unknown key in item (allowed: sha256)");
}

TEST(MapReader, ReportsDuplicateKeysAndUsesTheFirst) {
    auto doc = YAML::Load("a: 1\nb: 2\na: 3\n");
    diagnostics_sink sink("t.yaml");
    map_reader map(sink, yaml_field{"x", "x", doc, doc.Mark()});
    auto a = map.optional("a");
    map.optional("b");
    map.finish();
    ASSERT_TRUE(a);
    EXPECT_EQ(a->value.Scalar(), "1");
    EXPECT_EQ(a->path, "x.a");
    EXPECT_EQ(lines(sink), (std::vector<std::string>{"3:1: duplicate key 'a' in x (first at line 1)"}));
}

TEST(MapReader, MissingRequiredKeyIsReportedAtTheMapping) {
    auto doc = YAML::Load("top:\n  other: 1\n");
    diagnostics_sink sink("t.yaml");
    map_reader root(sink, root_field(doc));
    auto top = root.required("top");
    ASSERT_TRUE(top);
    map_reader map(sink, *top);
    EXPECT_FALSE(map.required("needed"));
    map.optional("other");
    EXPECT_EQ(lines(sink), (std::vector<std::string>{"2:3: missing required key 'needed' in top"}));
}

TEST(MapReader, NotAMappingIsReportedOnce) {
    auto doc = YAML::Load("top: [1, 2]\n");
    diagnostics_sink sink("t.yaml");
    map_reader root(sink, root_field(doc));
    auto top = root.optional("top");
    ASSERT_TRUE(top);
    map_reader map(sink, *top);
    EXPECT_FALSE(map.is_map());
    EXPECT_FALSE(map.required("x"));
    map.finish();
    EXPECT_EQ(lines(sink), (std::vector<std::string>{"1:6: expected a mapping for top, got a list"}));
}

TEST(MapReader, EmptyValueIsReportedAtItsKey) {
    auto doc = YAML::Load("a:\n\n# comment\nb: 1\n");
    diagnostics_sink sink("t.yaml");
    map_reader root(sink, root_field(doc));
    auto a = root.optional("a");
    root.optional("b");
    ASSERT_TRUE(a);
    EXPECT_FALSE(read_string(sink, *a));
    EXPECT_EQ(lines(sink), (std::vector<std::string>{"1:1: expected a string for a, got an empty value"}));
}

TEST(ReadInteger, ChecksSyntaxAndRange) {
    auto doc = YAML::Load("[5, +7, -3, fifty, 2.5, 0x10, 99999999999999999999, '12', {a: 1}]");
    diagnostics_sink sink("t.yaml");
    auto items = read_list(sink, yaml_field{"n", "n", doc, doc.Mark()});
    ASSERT_TRUE(items);
    ASSERT_EQ(items->size(), 9u);
    EXPECT_EQ(read_integer(sink, (*items)[0], 0, 10), 5);
    EXPECT_EQ(read_integer(sink, (*items)[1], 0, 10), 7);
    EXPECT_EQ(read_integer(sink, (*items)[2], -5, 10), -3);
    EXPECT_FALSE(read_integer(sink, (*items)[2], 0, 10));
    EXPECT_FALSE(read_integer(sink, (*items)[3], 0, 10));
    EXPECT_FALSE(read_integer(sink, (*items)[4], 0, 10));
    EXPECT_FALSE(read_integer(sink, (*items)[5], 0, 100));
    EXPECT_FALSE(read_integer(sink, (*items)[6], 0, 10));
    EXPECT_EQ(read_integer(sink, (*items)[7], 0, 100), 12);  // quoting does not matter
    EXPECT_FALSE(read_integer(sink, (*items)[8], 0, 10));
    EXPECT_EQ(lines(sink), (std::vector<std::string>{
                               "1:9: n[2] must be between 0 and 10, got '-3'",
                               "1:13: expected an integer for n[3], got 'fifty'",
                               "1:20: expected an integer for n[4], got '2.5'",
                               "1:25: expected an integer for n[5], got '0x10'",
                               "1:31: n[6] must be between 0 and 10, got '99999999999999999999'",
                               "1:59: expected an integer for n[8], got a mapping",
                           }));
}

TEST(ReadBool, AcceptsOnlyTrueAndFalse) {
    auto doc = YAML::Load("[true, False, yes, 1]");
    diagnostics_sink sink("t.yaml");
    auto items = read_list(sink, yaml_field{"b", "b", doc, doc.Mark()});
    ASSERT_TRUE(items);
    EXPECT_EQ(read_bool(sink, (*items)[0]), true);
    EXPECT_EQ(read_bool(sink, (*items)[1]), false);
    EXPECT_FALSE(read_bool(sink, (*items)[2]));
    EXPECT_FALSE(read_bool(sink, (*items)[3]));
    EXPECT_EQ(sink.size(), 2u);
}

TEST(DiagnosticsSink, SortsByPositionKeepingUnpositionedFirst) {
    diagnostics_sink sink("f");
    YAML::Mark late;
    late.line = 4;
    late.column = 0;
    YAML::Mark early;
    early.line = 0;
    early.column = 2;
    sink.error(late, "late");
    sink.error(early, "early");
    sink.error("global");
    auto found = lines(sink);
    EXPECT_EQ(found, (std::vector<std::string>{"0:0: global", "1:3: early", "5:1: late"}));
    EXPECT_TRUE(sink.empty());
}

}  // namespace
}  // namespace dirsync::config
