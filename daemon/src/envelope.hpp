// The edges of every message: verifying an inbound frame before any field is read, and finishing a
// Response (success or error) into a builder.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include <flatbuffers/flatbuffers.h>

#include "voxd/core/error.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

inline constexpr std::uint32_t kProtocolVersion = 1;
inline constexpr std::uint32_t kMinProtocolVersion = 1;
// Verifier bounds: the deepest legal message is Request > Batch > BatchOperation > edit table > vector.
inline constexpr flatbuffers::uoffset_t kMaxDepth = 16;
inline constexpr flatbuffers::uoffset_t kMaxTables = 200000;

// A request that passed verification. `request` points into the frame's bytes and lives as long as they.
struct VerifiedRequest {
  const protocol::Request* request = nullptr;
};

// Checks the bytes are a complete, well-formed Request of a protocol version and type this daemon
// knows. Never reads a field before the Verifier accepted the buffer. `bytes` must be 8-byte aligned
// (see aligned_copy_if_needed).
[[nodiscard]] core::Result<VerifiedRequest> verify_request(std::span<const std::uint8_t> bytes);

// Best effort, for error replies to a message that failed verification: the request id if the root
// table and that one field are readable, else 0.
[[nodiscard]] std::uint64_t salvage_request_id(std::span<const std::uint8_t> bytes);

// Finishes `builder` with a Response. For errors, call builder.Clear() first if it holds partial data.
void finish_response(flatbuffers::FlatBufferBuilder& builder, std::uint64_t id, std::uint64_t project,
                     core::ErrorCode status, std::string_view message, protocol::ResultBody result_type,
                     flatbuffers::Offset<void> result);
void finish_error(flatbuffers::FlatBufferBuilder& builder, std::uint64_t id, std::uint64_t project,
                  const core::Error& error);

[[nodiscard]] inline protocol::Status to_wire(core::ErrorCode code) noexcept {
  return static_cast<protocol::Status>(static_cast<std::int32_t>(code));
}

}  // namespace voxd::daemon
