#include "snowball_stemmer.hpp"

#include <libstemmer.h>

namespace newswatch::matcher {

void snowball_stemmer::deleter::operator()(sb_stemmer* s) const noexcept { sb_stemmer_delete(s); }

snowball_stemmer::snowball_stemmer(const std::string& language)
    : stemmer_(language.empty() ? nullptr : sb_stemmer_new(language.c_str(), "UTF_8")) {}

std::string_view snowball_stemmer::stem(std::string_view word) {
    if (!stemmer_ || word.empty()) return word;
    const sb_symbol* out = sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (out == nullptr) return word;  // out of memory: match unstemmed rather than fail
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_.get()))};
}

std::string snowball_stemmer::available() {
    std::string s;
    for (const char** l = sb_stemmer_list(); *l != nullptr; ++l) {
        if (!s.empty()) s += ", ";
        s += *l;
    }
    return s;
}

}  // namespace newswatch::matcher
