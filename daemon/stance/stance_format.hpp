#pragma once
// The stance model file format (private to the module).
//
//   offset 0   8 bytes  magic "NWSTANCE"
//   offset 8   u32 LE   format version (format_version below)
//   offset 12  u64 LE   payload size in bytes
//   offset 20  32 bytes SHA-256 of the payload (raw digest)
//   offset 52  payload  (sections written by binary_writer, read by binary_reader)
//
// A reader refuses another format version with a message naming both versions; a changed
// payload fails the checksum. All integers little-endian, floats IEEE-754 binary32.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::stance {

inline constexpr char model_magic[8] = {'N', 'W', 'S', 'T', 'A', 'N', 'C', 'E'};
inline constexpr std::uint32_t format_version = 1;
inline constexpr std::string_view model_file_name = "stance-1.bin";
inline constexpr std::size_t header_size = 8 + 4 + 8 + 32;

// Appends little-endian values to a byte string.
class binary_writer {
public:
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
    void u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void f32(float v) {
        std::uint32_t bits;
        std::memcpy(&bits, &v, 4);
        u32(bits);
    }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        out_.append(s);
    }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

// Reads what binary_writer wrote; any read past the end sets failed() and returns zeros,
// so a truncated or corrupt payload never reads out of bounds.
class binary_reader {
public:
    explicit binary_reader(std::string_view data) : data_(data) {}
    std::uint8_t u8() {
        if (!need(1)) return 0;
        return static_cast<std::uint8_t>(data_[pos_++]);
    }
    std::uint32_t u32() {
        if (!need(4)) return 0;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
        pos_ += 4;
        return v;
    }
    std::uint64_t u64() {
        if (!need(8)) return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
        pos_ += 8;
        return v;
    }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    float f32() {
        std::uint32_t bits = u32();
        float v;
        std::memcpy(&v, &bits, 4);
        return v;
    }
    std::string str() {
        std::uint32_t n = u32();
        if (!need(n)) return {};
        std::string s(data_.substr(pos_, n));
        pos_ += n;
        return s;
    }
    // A count that must fit in what is left (each element at least `min_bytes` bytes).
    std::uint32_t count(std::size_t min_bytes) {
        std::uint32_t n = u32();
        if (min_bytes && n > (data_.size() - pos_) / min_bytes) {
            failed_ = true;
            return 0;
        }
        return n;
    }
    bool failed() const noexcept { return failed_; }
    bool at_end() const noexcept { return pos_ == data_.size(); }

private:
    bool need(std::size_t n) {
        if (failed_ || data_.size() - pos_ < n) {
            failed_ = true;
            return false;
        }
        return true;
    }
    std::string_view data_;
    std::size_t pos_ = 0;
    bool failed_ = false;
};

}  // namespace newswatch::stance
