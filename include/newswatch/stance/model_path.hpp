#pragma once
// Where the stance model file is found (issue #6 item 4). Pure path logic plus existence
// checks; no model is read here.
#include <filesystem>
#include <optional>
#include <string_view>

#include "newswatch/core/result.hpp"

namespace newswatch::stance {

// The model file name the search looks for inside a models directory, e.g.
// "stance-1.bin". It carries the model format version, so a binary never picks up a model
// of another version by accident.
std::string_view default_model_file_name() noexcept;

// Finds the model file, first hit wins:
//   1. `cli_path` (--model PATH), used as given;
//   2. `config_path` ([stance] model in the config), used as given;
//   3. <dir of argv0>/../share/newswatch/models/<default name>   (the installed layout);
//   4. <source tree>/feeds/models/<default name>, where the source tree is found by walking
//      up from the binary's directory (a build tree inside the checkout), and finally the
//      source directory compiled into the library (a build tree anywhere).
// An explicit path (1 or 2) that does not exist is an error at once (the user asked for
// it). Otherwise the error (errc::model_error) names every place that was looked at.
core::result<std::filesystem::path> find_model_path(
    const std::optional<std::filesystem::path>& cli_path,
    const std::optional<std::filesystem::path>& config_path, std::string_view argv0);

}  // namespace newswatch::stance
