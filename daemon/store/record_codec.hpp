// How a journal record is kept in the state store: a large request is compressed with Zstandard (level 1),
// which cuts what each edit writes to the WAL, copies into the database and deletes again; a small one (a
// one-voxel edit) is kept as it is, so the round trip pays nothing for it. The journal's `codec` column
// (store version 3) says which: a store never guesses from the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "voxd/core/error.hpp"

namespace voxd::store {

enum class RecordCodec : std::uint8_t { raw = 0, zstd = 1 };

// The largest record a store reads back: the largest request voxd accepts (--max-message-bytes' maximum).
inline constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 30U;

// Compresses records; holds one Zstandard context, reused. Not thread-safe (the store's lock guards it).
class RecordCompressor {
 public:
  // Records below this many bytes are kept raw: compressing them would cost more than writing them.
  static constexpr std::size_t kMinCompressedBytes = 1024;

  RecordCompressor();
  ~RecordCompressor();
  RecordCompressor(const RecordCompressor&) = delete;
  RecordCompressor& operator=(const RecordCompressor&) = delete;
  RecordCompressor(RecordCompressor&&) = delete;
  RecordCompressor& operator=(RecordCompressor&&) = delete;

  // The bytes to store for `request` and their codec: `request` itself (raw) when it is small or does not
  // shrink, else its compressed form, valid until the next call.
  [[nodiscard]] std::span<const std::uint8_t> pack(std::span<const std::uint8_t> request, RecordCodec& codec);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  std::vector<std::uint8_t> buffer_;
};

// The request a stored record holds. A damaged or unknown record is a format error, never a wrong request or an
// allocation past kMaxRecordBytes.
[[nodiscard]] core::Result<std::vector<std::uint8_t>> unpack_record(std::int64_t codec,
                                                                    std::span<const std::uint8_t> stored);

}  // namespace voxd::store
