#include "directory/status_transitions.hpp"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace dirsync::directory {
namespace {

using enum user_status;
using w = status_writer;

struct expectation {
    status_writer writer;
    user_status from;
    user_status to;
    bool allowed;
};

// The rules of docs/user-statuses.md, one row each; the table in status_transitions.cpp must agree.
constexpr expectation rules[] = {
    // An IdP follows `active`, never reconnects, never touches invitations, never registers.
    {w::idp, active, disabled, true},
    {w::idp, requested, disabled, true},
    {w::idp, disabled, provisioned, true},
    {w::idp, disabled, active, true},
    {w::idp, disconnected, provisioned, false},
    {w::idp, disconnected, active, false},
    {w::idp, pending_invite, active, false},
    {w::idp, provisioned, active, false},
    {w::idp, requested, provisioned, false},
    // A sync run orphans, disables, brings back; it neither disconnects nor registers.
    {w::sync, active, orphan, true},
    {w::sync, orphan, provisioned, true},
    {w::sync, orphan, disabled, true},
    {w::sync, disabled, provisioned, true},
    {w::sync, active, disconnected, false},
    {w::sync, provisioned, active, false},
    {w::sync, disconnected, provisioned, false},
    // An administrator disables, enables, disconnects and reconnects, but registers no one and hands out no
    // seat by hand.
    {w::admin, active, disabled, true},
    {w::admin, disabled, active, true},
    {w::admin, pending_invite, disconnected, true},
    {w::admin, disconnected, provisioned, true},
    {w::admin, provisioned, active, false},
    {w::admin, requested, provisioned, false},
    {w::admin, disconnected, disconnected, true},  // staying is always allowed
    // Registration turns a provisioned user or an accepted invitation active, nothing else.
    {w::registration, provisioned, active, true},
    {w::registration, pending_invite, active, true},
    {w::registration, disabled, active, false},
    {w::registration, requested, active, false},
    {w::registration, disconnected, active, false},
    // Only the seat rules move a user into or out of `requested` by themselves.
    {w::seats, requested, provisioned, true},
    {w::seats, requested, active, true},
    {w::seats, disabled, requested, true},
    {w::seats, active, requested, false},
    {w::seats, requested, disabled, false},
};

TEST(StatusTransitions, FollowTheDocumentedRules) {
    for (const auto& r : rules)
        EXPECT_EQ(may_move(r.writer, r.from, r.to), r.allowed)
            << "writer " << static_cast<int>(r.writer) << ": " << to_string(r.from) << " -> "
            << to_string(r.to);
}

TEST(StatusTransitions, TheTableListsRealMovesOnce) {
    std::set<std::tuple<int, int, int>> seen;
    for (const auto& m : status_moves()) {
        EXPECT_NE(m.from, m.to) << to_string(m.from);
        EXPECT_TRUE(
            seen.emplace(static_cast<int>(m.writer), static_cast<int>(m.from), static_cast<int>(m.to)).second)
            << to_string(m.from) << " -> " << to_string(m.to) << " listed twice";
    }
}

TEST(StatusTransitions, NoWriterButTheSeatRulesEntersRequested) {
    for (const auto& m : status_moves()) {
        if (m.to == requested) {
            EXPECT_EQ(m.writer, w::seats) << to_string(m.from);
        }
        if (m.from == requested && m.to != disabled && m.to != disconnected) {
            EXPECT_EQ(m.writer, w::seats);
        }
    }
}

TEST(StatusTransitions, OnlyAnAdministratorDisconnectsOrReconnects) {
    for (const auto& m : status_moves()) {
        if (m.to == disconnected) {
            EXPECT_EQ(m.writer, w::admin) << to_string(m.from);
        }
        if (m.from == disconnected) {  // a reconnection over the seat limit waits in requested
            EXPECT_TRUE(m.writer == w::admin || (m.writer == w::seats && m.to == requested))
                << to_string(m.to);
        }
    }
}

}  // namespace
}  // namespace dirsync::directory
