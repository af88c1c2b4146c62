#include "model_payload.hpp"

#include <algorithm>
#include <vector>

#include "newswatch/core/errc.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::stance {

namespace {

std::string hex_to_raw(const std::string& hex) {
    std::string raw;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        raw.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    return raw;
}

core::error bad(std::string_view name, const std::string& what) {
    return core::error{core::errc::model_error, "stance model " + std::string(name) + ": " + what};
}

}  // namespace

std::string encode_model(const model_payload& p) {
    binary_writer body;
    body.str(p.provenance);
    std::vector<std::pair<std::uint64_t, float>> idf(p.idf.idf.begin(), p.idf.idf.end());
    std::sort(idf.begin(), idf.end());
    body.f32(p.idf.unknown_idf);
    body.u32(static_cast<std::uint32_t>(idf.size()));
    for (const auto& [stem, w] : idf) {
        body.u64(stem);
        body.f32(w);
    }
    for (const auto* table : {&p.cues.body, &p.cues.head, &p.cues.lr[0], &p.cues.lr[1], &p.cues.lr[2]}) {
        std::vector<std::pair<std::uint64_t, std::array<float, 3>>> sorted(table->begin(), table->end());
        std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        body.u32(static_cast<std::uint32_t>(sorted.size()));
        for (const auto& [stem, w] : sorted) {
            body.u64(stem);
            for (float x : w) body.f32(x);
        }
    }
    for (float b : p.cues.lr_bias) body.f32(b);
    p.related.write(body);
    p.stance.write(body);

    binary_writer file;
    file.bytes().append(model_magic, 8);
    file.u32(format_version);
    file.u64(body.bytes().size());
    file.bytes() += hex_to_raw(core::sha256_hex(body.bytes()));
    file.bytes() += body.bytes();
    return std::move(file.bytes());
}

core::result<model_payload> decode_model(std::string_view bytes, std::string_view name,
                                         std::string& fingerprint) {
    if (bytes.size() < 8 || bytes.compare(0, 8, std::string_view(model_magic, 8)) != 0)
        return bad(name, "not a newswatch stance model (bad magic)");
    if (bytes.size() < header_size) return bad(name, "truncated header");
    binary_reader header(bytes.substr(8, header_size - 8));
    const std::uint32_t version = header.u32();
    if (version != format_version)
        return bad(name, "format version " + std::to_string(version) + ", but this build reads version " +
                             std::to_string(format_version) + " (retrain with newswatch stance-train)");
    const std::uint64_t size = header.u64();
    if (size != bytes.size() - header_size)
        return bad(name, "truncated or padded: payload is " + std::to_string(bytes.size() - header_size) +
                             " bytes, header says " + std::to_string(size));
    const std::string_view payload = bytes.substr(header_size);
    const std::string digest = core::sha256_hex(payload);
    if (hex_to_raw(digest) != bytes.substr(20, 32)) return bad(name, "checksum mismatch (corrupt file)");
    fingerprint = digest.substr(0, 8);

    binary_reader r(payload);
    model_payload p;
    p.provenance = r.str();
    p.idf.unknown_idf = r.f32();
    const std::uint32_t n = r.count(12);
    p.idf.idf.reserve(n);
    for (std::uint32_t i = 0; i < n && !r.failed(); ++i) {
        const std::uint64_t stem = r.u64();
        p.idf.idf.emplace(stem, r.f32());
    }
    if (r.failed()) return bad(name, "malformed IDF table");
    for (auto* table : {&p.cues.body, &p.cues.head, &p.cues.lr[0], &p.cues.lr[1], &p.cues.lr[2]}) {
        const std::uint32_t m = r.count(20);
        table->reserve(m);
        for (std::uint32_t i = 0; i < m && !r.failed(); ++i) {
            const std::uint64_t stem = r.u64();
            std::array<float, 3> w;
            for (float& x : w) x = r.f32();
            table->emplace(stem, w);
        }
    }
    for (float& b : p.cues.lr_bias) b = r.f32();
    if (r.failed()) return bad(name, "malformed cue-word tables");
    if (!p.related.read(r) || p.related.classes() != 2 || p.related.width() != feature_count)
        return bad(name, "malformed stage-1 trees");
    if (!p.stance.read(r) || p.stance.classes() != 3 || p.stance.width() != feature_count)
        return bad(name, "malformed stage-2 trees");
    if (!r.at_end()) return bad(name, "trailing bytes after the trees");
    return p;
}

}  // namespace newswatch::stance
