#pragma once
// Reading a command's input file ("-" is standard input) as bytes.
#include <string>

namespace newswatch::app {

// false with `why` ("cannot open file", ...) when the input cannot be read.
bool read_input(const std::string& path, std::string& out, std::string& why);

}  // namespace newswatch::app
