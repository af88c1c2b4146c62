#include "newswatch/core/errc.hpp"

#include <string>

namespace newswatch::core {
namespace {

class newswatch_error_category final : public std::error_category {
public:
    const char* name() const noexcept override { return "newswatch"; }
    std::string message(int code) const override {
        switch (static_cast<errc>(code)) {
            case errc::ok: return "success";
            case errc::io_error: return "I/O error";
            case errc::parse_error: return "parse error";
            case errc::not_a_feed: return "not a feed";
            case errc::bad_encoding: return "bad character encoding";
            case errc::database_error: return "database error";
            case errc::sink_failed: return "sink failed";
            case errc::model_error: return "stance model error";
            case errc::invalid_argument: return "invalid argument";
            case errc::cancelled: return "cancelled";
        }
        return "unknown newswatch error";
    }
};

}  // namespace

const std::error_category& newswatch_category() noexcept {
    static const newswatch_error_category category;
    return category;
}

}  // namespace newswatch::core
