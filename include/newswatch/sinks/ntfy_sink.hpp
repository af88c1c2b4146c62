#pragma once
// The `ntfy` channel (https://docs.ntfy.sh/publish/): POST {server}/{topic} with the
// message as a plain-text body (at most 4,096 bytes, ntfy's message limit; markdown is
// not enabled, so nothing in it is markup) and the Title, Tags, Priority and Click
// headers. A header value that is not plain ASCII is sent as RFC 2047 encoded-words,
// which ntfy decodes (Title and Tags); the Click URL is percent-encoded. Priority:
// high 4, default 3, low 2, an urgent watch 5. Optional Authorization: Bearer token.
#include <memory>
#include <string>

#include "newswatch/sinks/push_api_sink.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

class ntfy_sink final : public push_api_sink {
public:
    struct settings {
        std::string server = "https://ntfy.sh";
        std::string topic;
        std::string token;  // empty: anonymous
        push_http_settings http;
    };
    static constexpr std::size_t max_message_bytes = 4096;
    static constexpr std::size_t max_title_chars = 250;

    ntfy_sink(std::string name, http::http_client* client, settings settings);
    std::string_view type() const noexcept override { return "ntfy"; }
    http::http_request request_for(const delivery_message& message) const override;

    // 5 urgent, 4 high, 3 default, 2 low.
    static int priority_of(std::string_view priority, bool urgent) noexcept;

private:
    settings settings_;
};

// A header value ntfy reads as `text`: as is when printable ASCII, else RFC 2047
// encoded-words on one line.
std::string ntfy_header_text(std::string_view text);

// Throws config::config_error (startup) when the token file cannot be read.
std::unique_ptr<alert_sink> make_ntfy_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
