#include "newswatch/logging/module_logger.hpp"

#include <spdlog/spdlog.h>

namespace newswatch::logging {

std::shared_ptr<spdlog::logger> module_logger(const std::string& name) {
    if (auto existing = spdlog::get(name)) return existing;
    auto created = spdlog::default_logger()->clone(name);
    try {
        spdlog::register_logger(created);
    } catch (const spdlog::spdlog_ex&) {
        if (auto existing = spdlog::get(name)) return existing;  // registered meanwhile
    }
    return created;
}

}  // namespace newswatch::logging
