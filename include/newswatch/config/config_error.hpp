#pragma once
// A configuration error found at startup: names the file, line and key.
#include <stdexcept>
#include <string>

namespace newswatch::config {

class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace newswatch::config
