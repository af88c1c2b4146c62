#pragma once
// Appends one JSON object per line to a file and flushes it. Survives log rotation:
// when the file is moved or deleted it is reopened at the configured path.
#include <filesystem>

#include "newswatch/sinks/alert_sink.hpp"

namespace newswatch::sinks {

class file_sink final : public alert_sink {
public:
    file_sink(std::string name, std::filesystem::path path);
    ~file_sink() override;
    std::string_view type() const noexcept override { return "file"; }
    const std::filesystem::path& path() const noexcept { return path_; }

protected:
    void deliver_(std::string_view payload, completion done) override;

private:
    core::result<void> ensure_open();
    std::filesystem::path path_;
    int fd_ = -1;
    unsigned long inode_ = 0;
};

}  // namespace newswatch::sinks
