// Serving one verified request: run it through a handler, record it in the caller's stats shard and log it
// at debug level. Workers serve every request this way; the broker serves quick ones (quick_path.hpp).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include <flatbuffers/flatbuffers.h>

#include "handler.hpp"
#include "stats.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

struct CommitGroup;

// Fills `builder` with the Response. `arrival_ns` (steady clock) is when the broker received the request;
// `bytes` are the request's verified bytes and `identity` its client's (RequestHandler::handle). With a
// state store, an edit is stored before this returns (durability.hpp).
void serve_request(RequestHandler& handler, const protocol::Request& request, std::span<const std::uint8_t> bytes,
                   std::string_view identity, std::int64_t arrival_ns, StatsShard& shard,
                   flatbuffers::FlatBufferBuilder& builder, CommitGroup* group = nullptr);

// After the reply has been sent: a builder grown by one large reply gives its memory back.
void trim_builder(flatbuffers::FlatBufferBuilder& builder);

}  // namespace voxd::daemon
