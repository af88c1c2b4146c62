#include "newswatch/stance/model_path.hpp"

#include <string>
#include <system_error>
#include <vector>

#include "newswatch/core/errc.hpp"
#include "stance_format.hpp"

#ifndef NEWSWATCH_STANCE_SOURCE_DIR
#define NEWSWATCH_STANCE_SOURCE_DIR ""
#endif

namespace newswatch::stance {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// The directory of the running binary: /proc/self/exe when argv0 has no slash (found via
// PATH), else argv0 itself.
fs::path binary_dir(std::string_view argv0) {
    std::error_code ec;
    fs::path exe;
    if (!argv0.empty() && argv0.find('/') != std::string_view::npos) {
        exe = fs::weakly_canonical(fs::path(argv0), ec);
        if (ec) exe = fs::path(argv0);
    } else {
        exe = fs::read_symlink("/proc/self/exe", ec);
        if (ec) return {};
    }
    return exe.parent_path();
}

core::error explicit_missing(const fs::path& p, const char* how) {
    return core::error{core::errc::model_error,
                       "stance model not found: " + p.string() + " (given by " + how + ")"};
}

}  // namespace

std::string_view default_model_file_name() noexcept { return model_file_name; }

core::result<fs::path> find_model_path(const std::optional<fs::path>& cli_path,
                                       const std::optional<fs::path>& config_path,
                                       std::string_view argv0) {
    if (cli_path) {
        if (is_file(*cli_path)) return *cli_path;
        return explicit_missing(*cli_path, "--model");
    }
    if (config_path) {
        if (is_file(*config_path)) return *config_path;
        return explicit_missing(*config_path, "[stance] model in the config");
    }
    std::vector<fs::path> looked;
    const fs::path name{std::string(model_file_name)};
    const fs::path bin = binary_dir(argv0);
    if (!bin.empty()) {
        fs::path installed = (bin / ".." / "share" / "newswatch" / "models" / name).lexically_normal();
        if (is_file(installed)) return installed;
        looked.push_back(installed);
        // A build tree inside the checkout: walk up looking for feeds/models/.
        for (fs::path dir = bin; !dir.empty(); dir = dir.parent_path()) {
            fs::path candidate = dir / "feeds" / "models" / name;
            if (is_file(candidate)) return candidate;
            if (dir == dir.root_path()) break;
        }
        looked.push_back(bin / "(and each parent directory)" / "feeds" / "models" / name);
    }
    const std::string compiled_in = NEWSWATCH_STANCE_SOURCE_DIR;
    if (!compiled_in.empty()) {
        fs::path candidate = fs::path(compiled_in) / "feeds" / "models" / name;
        if (is_file(candidate)) return candidate;
        looked.push_back(candidate);
    }
    std::string msg = "stance model not found; looked for --model, [stance] model in the config, then";
    for (std::size_t i = 0; i < looked.size(); ++i) msg += (i ? ", " : " ") + looked[i].string();
    return core::error{core::errc::model_error, msg};
}

}  // namespace newswatch::stance
