#include "newswatch/sinks/recording_sink.hpp"

namespace newswatch::sinks {

void recording_sink::deliver_(const delivery_message& message, completion done) {
    if (!failure_.empty()) return done(delivery_result::retry(failure_));
    payloads_.emplace_back(message.payload);
    done(delivery_result::ok());
}

}  // namespace newswatch::sinks
