#include "config/diagnostic.hpp"

#include <gtest/gtest.h>

#include <boost/system/result.hpp>
#include <stdexcept>

namespace dirsync::config {
namespace {

TEST(ConfigError, ToStringPrintsOneLinePerDiagnostic) {
    config_error e({diagnostic{"a.yaml", 3, 5, "first"}, diagnostic{"a.yaml", 0, 0, "no position"}});
    EXPECT_EQ(e.to_string(), "a.yaml:3:5: first\na.yaml: no position\n");
}

TEST(ConfigError, WorksAsTheErrorOfAResult) {
    boost::system::result<int, config_error> r = config_error({diagnostic{"f", 1, 2, "bad"}});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().diagnostics.size(), 1u);
    EXPECT_THROW((void)r.value(), std::runtime_error);
    boost::system::result<int, config_error> ok = 7;
    EXPECT_EQ(ok.value(), 7);
}

}  // namespace
}  // namespace dirsync::config
