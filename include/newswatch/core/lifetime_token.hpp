#pragma once
// Lets a handler find out that the object which queued it is gone. The rule it serves
// (CONTRIBUTING.md, "Lifetimes"): a handler that captures `this` either completes before
// the object is destroyed, or captures a watch() and returns at once when it has expired.
// A timer's cancel() is not enough: a timer that had already expired has its handler
// queued with success, and that handler still runs after the timer (and its owner) died.
//
// Not thread-safe: expired() is only meaningful on the thread that destroys the owner,
// which for every user here is the daemon's executor.
#include <memory>

namespace newswatch::core {

class lifetime_token {
public:
    class watcher {
    public:
        bool expired() const noexcept { return alive_.expired(); }

    private:
        friend class lifetime_token;
        explicit watcher(std::weak_ptr<const void> alive) : alive_(std::move(alive)) {}
        std::weak_ptr<const void> alive_;
    };

    lifetime_token() : alive_(std::make_shared<const char>('\0')) {}
    lifetime_token(const lifetime_token&) = delete;
    lifetime_token& operator=(const lifetime_token&) = delete;

    watcher watch() const { return watcher(alive_); }

private:
    std::shared_ptr<const void> alive_;
};

}  // namespace newswatch::core
