#include "input_file.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace newswatch::app {

bool read_input(const std::string& path, std::string& out, std::string& why) {
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        if (std::cin.bad()) {
            why = "cannot read standard input";
            return false;
        }
        out = std::move(ss).str();
        return true;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "cannot open file";
        return false;
    }
    // One read of the whole file where its size is known (a character iterator costs more
    // than parsing the feed); pipes and other unsized files are read through the buffer.
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0 && in) {
        out.resize(static_cast<std::size_t>(size));
        in.read(out.data(), size);
        out.resize(static_cast<std::size_t>(in.gcount()));
    } else {
        in.clear();
        out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (in.bad()) {
        why = "cannot read file";
        return false;
    }
    return true;
}

}  // namespace newswatch::app
