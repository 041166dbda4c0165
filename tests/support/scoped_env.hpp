#pragma once

#include <stdlib.h>

#include <optional>
#include <string>

namespace dirsync::testing {

/// Sets (or, with nullptr, unsets) an environment variable for the life of the object; restores the old value
/// after, also when the test fails or throws.
class scoped_env {
  public:
    scoped_env(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value != nullptr)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~scoped_env() {
        if (old_)
            ::setenv(name_.c_str(), old_->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;

  private:
    std::string name_;
    std::optional<std::string> old_;
};

}  // namespace dirsync::testing
