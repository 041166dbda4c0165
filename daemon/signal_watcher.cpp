#include "daemon/signal_watcher.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <exception>
#include <string>
#include <system_error>

#include "common/log.hpp"

namespace dirsync::daemon {

namespace {

sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

[[noreturn]] void throw_errno(int error, const char* what) {
    throw std::system_error(error, std::generic_category(), what);
}

std::string signal_name(int signo) {
    switch (signo) {
        case SIGINT:
            return "SIGINT";
        case SIGTERM:
            return "SIGTERM";
        case SIGHUP:
            return "SIGHUP";
        default:
            return "signal " + std::to_string(signo);
    }
}

}  // namespace

signal_watcher::signal_watcher(actions on_signal) : actions_(std::move(on_signal)) {
    const sigset_t set = watched_signals();
    if (int rc = pthread_sigmask(SIG_BLOCK, &set, &previous_mask_); rc != 0)
        throw_errno(rc, "cannot block SIGINT, SIGTERM and SIGHUP");
    signal_fd_ = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd_ >= 0) wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (signal_fd_ < 0 || wake_fd_ < 0) {
        const int error = errno;
        if (signal_fd_ >= 0) ::close(signal_fd_);
        pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
        throw_errno(error, "cannot create the descriptors that receive signals");
    }
    thread_ = std::thread([this] { watch(); });
}

signal_watcher::~signal_watcher() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    // Signals that arrived after the thread stopped would act once unblocked (a SIGTERM would kill the
    // process): the watcher had them, so they are dropped.
    signalfd_siginfo info{};
    while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    }
    ::close(signal_fd_);
    ::close(wake_fd_);
    pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void signal_watcher::watch() {
    for (;;) {
        pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            common::log_error(
                "signals: poll failed: " + std::error_code(errno, std::generic_category()).message() +
                "; signals are no longer handled");
            return;
        }
        if (fds[1].revents != 0) return;
        signalfd_siginfo info{};
        while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
            dispatch(static_cast<int>(info.ssi_signo));
    }
}

void signal_watcher::dispatch(int signo) {
    const std::string name = signal_name(signo);
    try {
        if (signo == SIGHUP) {
            if (actions_.reload)
                actions_.reload();
            else
                common::log_info("received SIGHUP; no reload action configured");
        } else if (!stop_requested_) {
            stop_requested_ = true;
            common::log_info("received " + name + "; shutting down");
            if (actions_.stop) actions_.stop();
        } else {
            common::log_warning("received " + name + " again; closing all connections now");
            if (actions_.stop_now) actions_.stop_now();
        }
    } catch (const std::exception& e) {
        common::log_error("handling " + name + " failed: " + e.what());
    } catch (...) {
        common::log_error("handling " + name + " failed");
    }
}

}  // namespace dirsync::daemon
