#include "newswatch/sinks/alert_sink.hpp"

#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::sinks {

alert_sink::alert_sink(std::string name) : name_(std::move(name)), logger_(logging::module_logger("sinks")) {}

void alert_sink::send(const delivery_message& message, completion done) noexcept {
    try {
        deliver_(message, [this, done = std::move(done)](delivery_result r) {
            if (!r.delivered()) report_failure(r);
            if (done) done(std::move(r));
        });
    } catch (const std::exception& e) {
        auto r = delivery_result::retry(e.what());
        report_failure(r);
        if (done) done(std::move(r));
    } catch (...) {
        auto r = delivery_result::retry("unknown exception");
        report_failure(r);
        if (done) done(std::move(r));
    }
}

void alert_sink::report_failure(const delivery_result& result) noexcept {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_error_report_ < std::chrono::minutes(1)) {
        ++suppressed_errors_;
        return;
    }
    try {
        logging::log_fields fields{.event = "delivery",
                                   .sink = name_,
                                   .outcome = to_string(result.status),
                                   .extra = {{"error", result.detail}}};
        if (suppressed_errors_ > 0) fields.extra.push_back({"failures_not_logged", suppressed_errors_});
        logging::log(*logger_, spdlog::level::err, "delivery failed", fields);
    } catch (...) {
    }
    suppressed_errors_ = 0;
    last_error_report_ = now;
}

}  // namespace newswatch::sinks
