#pragma once
// A thin owner of one libstemmer (Snowball) stemmer. Not thread-safe: one per thread.
#include <memory>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace newswatch::matcher {

class snowball_stemmer {
public:
    // Null stemmer when libstemmer does not know `language` ("english", "russian", "en", ...).
    explicit snowball_stemmer(const std::string& language);
    bool valid() const noexcept { return stemmer_ != nullptr; }
    // The stem of a folded word; the word itself when the stemmer is not valid.
    std::string_view stem(std::string_view word);

    // The languages libstemmer offers, comma separated (for error hints).
    static std::string available();

private:
    struct deleter {
        void operator()(sb_stemmer* s) const noexcept;
    };
    std::unique_ptr<sb_stemmer, deleter> stemmer_;
};

}  // namespace newswatch::matcher
