#pragma once
#include <memory>

#include <spdlog/spdlog.h>

namespace newswatch::sinks {

// The "sinks" logger; created on first use with the default logger's sinks.
inline std::shared_ptr<spdlog::logger> sinks_logger() {
    if (auto l = spdlog::get("sinks")) return l;
    auto l = spdlog::default_logger()->clone("sinks");
    spdlog::register_logger(l);
    return l;
}

}  // namespace newswatch::sinks
