#include "serve.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "durability.hpp"
#include "envelope.hpp"

namespace voxd::daemon {

void serve_request(RequestHandler& handler, const protocol::Request& request, std::span<const std::uint8_t> bytes,
                   std::string_view identity, std::int64_t arrival_ns, StatsShard& shard,
                   flatbuffers::FlatBufferBuilder& builder, CommitGroup* group) {
  core::ErrorCode status = core::ErrorCode::ok;
  const Services& services = handler.services();
  if (services.durability == nullptr) {
    status = handler.handle(request, builder, identity);
  } else if (core::Status ready = services.durability->before(request, identity, handler, group); !ready) {
    builder.Clear();
    finish_error(builder, request.id(), request.project(), ready.error());
    status = ready.code();
  } else {
    status = handler.handle(request, builder, identity);
    status = services.durability->after(request, bytes, identity, status, builder, handler, group);
  }
  const auto latency = std::chrono::steady_clock::now().time_since_epoch() - std::chrono::nanoseconds(arrival_ns);
  shard.record(static_cast<std::size_t>(request.body_type()), status != core::ErrorCode::ok,
               std::chrono::duration_cast<std::chrono::nanoseconds>(latency));
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("request {} {} project {:#x} -> {} in {} us", request.id(),
                  protocol::EnumNameRequestBody(request.body_type()), request.project(), core::error_code_name(status),
                  std::chrono::duration_cast<std::chrono::microseconds>(latency).count());
  }
}

void trim_builder(flatbuffers::FlatBufferBuilder& builder) {
  if (builder.GetSize() > 4U * 1024 * 1024) {
    builder = flatbuffers::FlatBufferBuilder(64 * 1024);
  }
}

}  // namespace voxd::daemon
