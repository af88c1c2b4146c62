#pragma once
// The stance classifier: (claim, article) -> agree | disagree | discuss | unrelated.
// Synchronous, no I/O after load(); classify() is const and thread-safe.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"

namespace newswatch::stance {

enum class stance_label { agree, disagree, discuss, unrelated };
std::string_view to_string(stance_label label) noexcept;

struct evidence {
    std::string sentence;           // an article sentence that weighed most
    std::vector<std::string> cues;  // cue words found in it ("denied", "confirmed", ...)
    double weight = 0.0;
};

struct stance_prediction {
    stance_label label = stance_label::unrelated;
    double confidence = 0.0;  // probability of `label`, in [0, 1]
    double probabilities[4] = {0, 0, 0, 0};  // indexed by stance_label
    std::vector<stance::evidence> evidence;  // filled when asked for (with_evidence)
};

class stance_model {
public:
    // Loads a model file written by stance-train; errors name the path and what is wrong
    // (missing, truncated, wrong version).
    static core::result<stance_model> load(const std::filesystem::path& path);

    stance_prediction classify(std::string_view claim, std::string_view article,
                               bool with_evidence = false) const;

    std::string_view version() const noexcept;

    stance_model(stance_model&&) noexcept;
    stance_model& operator=(stance_model&&) noexcept;
    ~stance_model();

private:
    struct impl;
    explicit stance_model(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace newswatch::stance
