#pragma once
// A value-or-error type for expected run-time failures (C++20 has no std::expected).
// Errors travel as values; exceptions are for startup only (see CONTRIBUTING.md).
#include <cassert>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace newswatch::core {

// An expected failure: a machine-readable code plus a one-line human description
// that names what failed and where.
struct error {
    std::error_code code;
    std::string message;
};

template <class T>
class result {
public:
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    result(error err) : state_(std::in_place_index<1>, std::move(err)) {}  // NOLINT: implicit by design

    [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(state_); }
    const T& value() const& { assert(ok()); return std::get<0>(state_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const error& err() const { assert(!ok()); return std::get<1>(state_); }

private:
    std::variant<T, error> state_;
};

// result<void>: success or an error.
template <>
class result<void> {
public:
    result() = default;
    result(error err) : err_(std::move(err)), failed_(true) {}  // NOLINT: implicit by design
    [[nodiscard]] bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    const error& err() const { assert(failed_); return err_; }

private:
    error err_;
    bool failed_ = false;
};

}  // namespace newswatch::core
