#include "newswatch/sinks/alert_sink.hpp"

#include "newswatch/core/errc.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::sinks {

alert_sink::alert_sink(std::string name) : name_(std::move(name)), logger_(logging::module_logger("sinks")) {}

void alert_sink::send(std::string_view payload, completion done) noexcept {
    try {
        deliver_(payload, [this, done = std::move(done)](core::result<void> r) {
            if (!r) report_failure(r.err());
            if (done) done(std::move(r));
        });
    } catch (const std::exception& e) {
        core::error err{core::errc::sink_failed, e.what()};
        report_failure(err);
        if (done) done(err);
    } catch (...) {
        core::error err{core::errc::sink_failed, "unknown exception"};
        report_failure(err);
        if (done) done(err);
    }
}

void alert_sink::report_failure(const core::error& e) noexcept {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_error_report_ < std::chrono::minutes(1)) {
        ++suppressed_errors_;
        return;
    }
    try {
        logging::log_fields fields{
            .event = "delivery", .sink = name_, .outcome = "failed", .extra = {{"error", e.message}}};
        if (suppressed_errors_ > 0) fields.extra.push_back({"failures_not_logged", suppressed_errors_});
        logging::log(*logger_, spdlog::level::err, "delivery failed", fields);
    } catch (...) {
    }
    suppressed_errors_ = 0;
    last_error_report_ = now;
}

}  // namespace newswatch::sinks
