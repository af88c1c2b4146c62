#pragma once
// The `matrix` channel (Client-Server API, https://spec.matrix.org/v1.18/client-server-api/
// #put_matrixclientv3roomsroomidsendeventtypetxnid): PUT {homeserver}/_matrix/client/v3/
// rooms/{roomId}/send/m.room.message/{txnId} with Authorization: Bearer. The transaction
// id is the delivery id (alert or group id), the same on every retry, so the homeserver
// answers a retried request with the event it already made instead of posting twice.
// Content: msgtype m.text (or m.notice), a plain `body` and an org.matrix.custom.html
// `formatted_body` with every value escaped, and an empty "m.mentions" (intentional
// mentions, spec v1.7): nobody is pinged, and "@room" in the text is broken with a word
// joiner (U+2060) for clients that still match the body. A 429's retry_after_ms is the
// retry hint.
#include <memory>
#include <string>

#include "newswatch/sinks/push_api_sink.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

class matrix_sink final : public push_api_sink {
public:
    struct settings {
        std::string homeserver;
        std::string room_id;
        std::string access_token;
        std::string msgtype = "m.text";
        push_http_settings http;
    };
    // An event is at most 65,536 bytes (spec, "Size limits"): both bodies fit with room.
    static constexpr std::size_t max_body_bytes = 16'000;
    static constexpr std::size_t max_formatted_body_bytes = 32'000;

    matrix_sink(std::string name, http::http_client* client, settings settings);
    std::string_view type() const noexcept override { return "matrix"; }
    http::http_request request_for(const delivery_message& message) const override;

protected:
    delivery_result result_of(const http::http_response& response) const override;

private:
    settings settings_;
};

// `text` with every "@room" (any case) broken by U+2060 so it cannot notify a room.
std::string without_room_mention(std::string_view text);

std::unique_ptr<alert_sink> make_matrix_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
