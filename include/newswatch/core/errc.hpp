#pragma once
// newswatch's own error codes and their std::error_category.
#include <system_error>

namespace newswatch::core {

enum class errc {
    ok = 0,
    io_error,           // a file could not be read or written
    parse_error,        // input was not a valid feed / config / query
    not_a_feed,         // the bytes are not any feed format we know
    bad_encoding,       // the character set could not be determined or converted
    database_error,     // SQLite reported an error
    sink_failed,        // a sink could not deliver an alert
    model_error,        // the stance model is missing, corrupt or of the wrong version
    invalid_argument,   // a caller passed something out of range
    cancelled,          // the work was abandoned because the daemon is stopping
};

const std::error_category& newswatch_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), newswatch_category()};
}

}  // namespace newswatch::core

template <>
struct std::is_error_code_enum<newswatch::core::errc> : std::true_type {};
