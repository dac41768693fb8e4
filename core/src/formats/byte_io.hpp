// Little-endian readers and writers over byte buffers, shared by the binary codecs (.gox, .vox).
// The reader never reads past its end: every read says whether it succeeded, so a codec can turn a
// short read into an error naming the offset.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <gsl/pointers>

namespace voxd::core::formats {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes, std::size_t base_offset = 0) noexcept
      : bytes_(bytes), base_offset_(base_offset) {}

  // The offset of the next byte in the whole file (for error messages).
  [[nodiscard]] std::size_t offset() const noexcept { return base_offset_ + position_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - position_; }
  [[nodiscard]] bool at_end() const noexcept { return position_ == bytes_.size(); }

  [[nodiscard]] std::optional<std::uint32_t> u32() noexcept {
    if (remaining() < 4) {
      return std::nullopt;
    }
    const auto b = bytes_.subspan(position_, 4);
    position_ += 4;
    return std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8U) | (std::uint32_t{b[2]} << 16U) |
           (std::uint32_t{b[3]} << 24U);
  }
  [[nodiscard]] std::optional<std::int32_t> i32() noexcept {
    const auto v = u32();
    return v ? std::optional<std::int32_t>(static_cast<std::int32_t>(*v)) : std::nullopt;
  }
  [[nodiscard]] std::optional<float> f32() noexcept {
    const auto v = u32();
    return v ? std::optional<float>(std::bit_cast<float>(*v)) : std::nullopt;
  }
  // The next n bytes (a view into the buffer), or nullopt when fewer remain.
  [[nodiscard]] std::optional<std::span<const std::uint8_t>> bytes(std::size_t n) noexcept {
    if (remaining() < n) {
      return std::nullopt;
    }
    const auto b = bytes_.subspan(position_, n);
    position_ += n;
    return b;
  }
  [[nodiscard]] bool skip(std::size_t n) noexcept { return bytes(n).has_value(); }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t base_offset_ = 0;
  std::size_t position_ = 0;
};

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<std::uint8_t>& out) noexcept : out_(&out) {}

  [[nodiscard]] std::size_t size() const noexcept { return out_->size(); }
  void u32(std::uint32_t v) {
    out_->push_back(static_cast<std::uint8_t>(v));
    out_->push_back(static_cast<std::uint8_t>(v >> 8U));
    out_->push_back(static_cast<std::uint8_t>(v >> 16U));
    out_->push_back(static_cast<std::uint8_t>(v >> 24U));
  }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }
  void bytes(std::span<const std::uint8_t> b) { out_->insert(out_->end(), b.begin(), b.end()); }
  void text(std::string_view s) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(s.data());  // NOLINT: bytes of a string
    out_->insert(out_->end(), data, data + s.size());
  }
  // Overwrites 4 bytes written earlier (e.g. a length known only after the body).
  void patch_u32(std::size_t at, std::uint32_t v) noexcept {
    for (std::size_t i = 0; i < 4; ++i) {
      (*out_)[at + i] = static_cast<std::uint8_t>(v >> (8U * i));
    }
  }

 private:
  gsl::not_null<std::vector<std::uint8_t>*> out_;
};

}  // namespace voxd::core::formats
