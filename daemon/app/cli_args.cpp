#include "cli_args.hpp"

namespace newswatch::app {

cli_args::cli_args(std::vector<std::string> args) : args_(std::move(args)), used_(args_.size(), false) {}

bool cli_args::flag(const std::string& name) {
    bool found = false;
    for (std::size_t i = 0; i < args_.size(); ++i) {
        if (args_[i] == "--") break;
        if (!used_[i] && args_[i] == name) {
            used_[i] = true;
            found = true;
        }
    }
    return found;
}

std::vector<std::string> cli_args::options(const std::string& name) {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < args_.size(); ++i) {
        if (args_[i] == "--") break;
        if (used_[i]) continue;
        if (args_[i] == name) {
            if (i + 1 >= args_.size()) throw usage_error(name + " needs a value");
            used_[i] = used_[i + 1] = true;
            values.push_back(args_[i + 1]);
            ++i;
        } else if (args_[i].rfind(name + "=", 0) == 0) {
            used_[i] = true;
            values.push_back(args_[i].substr(name.size() + 1));
        }
    }
    return values;
}

std::optional<std::string> cli_args::option(const std::string& name) {
    auto values = options(name);
    if (values.empty()) return std::nullopt;
    if (values.size() > 1) throw usage_error(name + " given more than once");
    return values.front();
}

std::vector<std::string> cli_args::positionals() {
    std::vector<std::string> out;
    bool after_dashes = false;
    for (std::size_t i = 0; i < args_.size(); ++i) {
        if (used_[i]) continue;
        if (!after_dashes && args_[i] == "--") {
            after_dashes = true;
            continue;
        }
        if (!after_dashes && args_[i].size() > 1 && args_[i][0] == '-')
            throw usage_error("unknown option " + args_[i]);
        out.push_back(args_[i]);
    }
    return out;
}

}  // namespace newswatch::app
