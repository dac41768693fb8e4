#include "record_codec.hpp"

#include <zstd.h>

#include <string>

namespace voxd::store {

namespace {

constexpr int kLevel = 1;  // the fastest of the regular levels: the journal is written while a client waits

}  // namespace

struct RecordCompressor::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  Context(Context&&) = delete;
  Context& operator=(Context&&) = delete;
  ~Context() { ZSTD_freeCCtx(cctx); }
};

RecordCompressor::RecordCompressor() : context_(std::make_unique<Context>()) {}
RecordCompressor::~RecordCompressor() = default;

std::span<const std::uint8_t> RecordCompressor::pack(std::span<const std::uint8_t> request, RecordCodec& codec) {
  codec = RecordCodec::raw;
  if (request.size() < kMinCompressedBytes || context_->cctx == nullptr) {
    return request;
  }
  buffer_.resize(ZSTD_compressBound(request.size()));
  const std::size_t size =
      ZSTD_compressCCtx(context_->cctx, buffer_.data(), buffer_.size(), request.data(), request.size(), kLevel);
  if (ZSTD_isError(size) != 0U || size >= request.size()) {
    return request;  // kept raw: it did not shrink (or the compressor failed, which loses nothing)
  }
  codec = RecordCodec::zstd;
  return {buffer_.data(), size};
}

core::Result<std::vector<std::uint8_t>> unpack_record(std::int64_t codec, std::span<const std::uint8_t> stored) {
  if (codec == static_cast<std::int64_t>(RecordCodec::raw)) {
    return std::vector<std::uint8_t>(stored.begin(), stored.end());
  }
  if (codec != static_cast<std::int64_t>(RecordCodec::zstd)) {
    return core::make_error(core::ErrorCode::format,
                            "journal record of codec " + std::to_string(codec) + ", which this voxd does not know");
  }
  const unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxRecordBytes) {
    return core::make_error(core::ErrorCode::format, "journal record: damaged Zstandard frame header");
  }
  std::vector<std::uint8_t> request(static_cast<std::size_t>(size));
  const std::size_t got = ZSTD_decompress(request.data(), request.size(), stored.data(), stored.size());
  if (ZSTD_isError(got) != 0U || got != request.size()) {
    return core::make_error(core::ErrorCode::format, std::string("journal record: damaged Zstandard data (") +
                                                         (ZSTD_isError(got) != 0U ? ZSTD_getErrorName(got) : "short") +
                                                         ")");
  }
  return request;
}

}  // namespace voxd::store
