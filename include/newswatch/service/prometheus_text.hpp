#pragma once
// Renders a metrics snapshot in the Prometheus text exposition format (version 0.0.4):
// one HELP and TYPE line per family, names prefixed newswatch_, counters ending _total,
// units in the name (_seconds, _bytes). Pure: no I/O, any thread.
#include <string>
#include <string_view>

#include "newswatch/core/metrics_snapshot.hpp"

namespace newswatch::service {

inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

std::string render_prometheus(const core::metrics_snapshot& snapshot, std::string_view version);

// A label value escaped as the format asks: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace newswatch::service
