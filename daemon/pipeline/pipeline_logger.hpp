#pragma once
#include <memory>

#include <spdlog/spdlog.h>

namespace newswatch::pipeline {

// The "pipeline" logger; created on first use from the default logger's sinks.
inline std::shared_ptr<spdlog::logger> pipeline_logger() {
    if (auto l = spdlog::get("pipeline")) return l;
    auto l = spdlog::default_logger()->clone("pipeline");
    spdlog::register_logger(l);
    return l;
}

}  // namespace newswatch::pipeline
