#include "newswatch/sinks/recording_sink.hpp"

#include "newswatch/core/errc.hpp"

namespace newswatch::sinks {

void recording_sink::deliver_(std::string_view payload, completion done) {
    if (!failure_.empty()) return done(core::error{core::errc::sink_failed, failure_});
    payloads_.emplace_back(payload);
    done({});
}

}  // namespace newswatch::sinks
