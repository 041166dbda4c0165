// The progress of a one-shot run as a person sees it: the line's wording, and lines written while a run goes
// on.
#include "daemon/progress_display.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

namespace dirsync::daemon {
namespace {

using namespace std::chrono_literals;
using phase = sync::run_progress::phase;

TEST(ProgressDisplay, ReadingShowsTheLikelyTotalRateAndTimeLeft) {
    sync::run_progress p;
    p.at = phase::reading;
    p.read = 45'000;
    p.expected = 100'000;
    EXPECT_EQ(progress_display::describe(p, 5s, 0),
              "reading 45,000 of ~100,000 entries (9,000/s, about 6 s left)");
    // Unknown total (a first run): no estimate.
    p.expected = 0;
    EXPECT_EQ(progress_display::describe(p, 5s, 0), "reading 45,000 entries (9,000/s)");
    // Too early for a rate.
    EXPECT_EQ(progress_display::describe(p, 500ms, 0), "reading 45,000 entries");
}

TEST(ProgressDisplay, ApplyingCountsChangesSinceThePhaseBegan) {
    sync::run_progress p;
    p.at = phase::applying;
    p.read = 100'000;
    p.applied = 30'000;
    p.to_apply = 100'000;
    EXPECT_EQ(progress_display::describe(p, 10s, 10'000),
              "applying 30,000 of 100,000 changes (2,000/s, about 35 s left)");
    p.to_apply = 1'000'000;
    p.applied = 130'000;
    EXPECT_EQ(progress_display::describe(p, 120s, 10'000),
              "applying 130,000 of 1,000,000 changes (1,000/s, about 14 min 30 s left)");
}

TEST(ProgressDisplay, PhasesWithoutCountsNameWhatWasRead) {
    sync::run_progress p;
    p.read = 1'234;
    p.at = phase::mapping;
    EXPECT_EQ(progress_display::describe(p, 1s, 0), "mapping (1,234 entries read)");
    p.at = phase::planning;
    EXPECT_EQ(progress_display::describe(p, 1s, 0), "planning (1,234 entries read)");
}

TEST(ProgressDisplay, WithoutATerminalWritesALineEveryInterval) {
    std::FILE* out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    sync::run_progress p;
    {
        progress_display display(p, "corp", out, false, 50ms);
        p.at = phase::reading;
        for (int i = 0; i < 30; ++i) {
            p.read += 100;
            std::this_thread::sleep_for(10ms);
        }
        p.at = phase::done;
        std::this_thread::sleep_for(120ms);  // nothing is written once the run is done
    }
    std::rewind(out);
    std::string text;
    char buffer[4096];
    while (auto n = std::fread(buffer, 1, sizeof buffer, out)) text.append(buffer, n);
    std::fclose(out);
    EXPECT_NE(text.find("progress: corp: reading "), std::string::npos) << text;
    EXPECT_EQ(text.find('\r'), std::string::npos) << "no terminal control without a terminal";
    EXPECT_EQ(text.find("done"), std::string::npos) << text;
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    EXPECT_GE(lines, 2u) << text;
    EXPECT_LE(lines, 12u) << text;
}

}  // namespace
}  // namespace dirsync::daemon
