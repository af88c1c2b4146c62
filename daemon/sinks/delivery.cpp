#include "newswatch/sinks/delivery.hpp"

namespace newswatch::sinks {

delivery_result delivery_result::ok(std::string detail) {
    return {delivery_status::delivered, std::move(detail), std::nullopt};
}

delivery_result delivery_result::retry(std::string detail, std::optional<core::seconds> after) {
    return {delivery_status::retry, std::move(detail), after};
}

delivery_result delivery_result::permanent(std::string detail) {
    return {delivery_status::permanent, std::move(detail), std::nullopt};
}

std::string_view to_string(delivery_status status) noexcept {
    switch (status) {
        case delivery_status::delivered:
            return "delivered";
        case delivery_status::retry:
            return "retry";
        case delivery_status::permanent:
            return "permanent";
    }
    return "retry";
}

}  // namespace newswatch::sinks
