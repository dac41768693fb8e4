#include "envelope.hpp"

#include <string>

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;

namespace {
constexpr auto kMaxRequestBody = static_cast<std::uint8_t>(protocol::RequestBody::MAX);
}

core::Result<VerifiedRequest> verify_request(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8) {
    return make_error(ErrorCode::protocol,
                      "the frame holds " + std::to_string(bytes.size()) + " bytes: too short for a FlatBuffer");
  }
  if (!flatbuffers::BufferHasIdentifier(bytes.data(), protocol::RequestIdentifier())) {
    return make_error(ErrorCode::protocol, "the frame is not a voxd request (file identifier is not \"VOXD\")");
  }
  flatbuffers::Verifier::Options options;
  options.max_depth = kMaxDepth;
  options.max_tables = kMaxTables;
  flatbuffers::Verifier verifier(bytes.data(), bytes.size(), options);
  if (!protocol::VerifyRequestBuffer(verifier)) {
    return make_error(ErrorCode::protocol, "the request failed FlatBuffers verification (truncated or corrupt)");
  }
  const protocol::Request* request = protocol::GetRequest(bytes.data());
  if (request->version() < kMinProtocolVersion || request->version() > kProtocolVersion) {
    return make_error(ErrorCode::unsupported, "protocol version " + std::to_string(request->version()) +
                                                  " is not spoken here (this daemon speaks " +
                                                  std::to_string(kMinProtocolVersion) + " to " +
                                                  std::to_string(kProtocolVersion) + ")");
  }
  const auto type = static_cast<std::uint8_t>(request->body_type());
  if (type == 0 || type > kMaxRequestBody || request->body() == nullptr) {
    return make_error(ErrorCode::protocol, type == 0 ? std::string("the request has no body")
                                                     : "unknown request type " + std::to_string(type));
  }
  // The generated verifier accepts unknown union members (forward compatibility); a missing but
  // typed body is refused above. Also refuse an unknown member inside a batch here, once.
  if (const auto* batch = request->body_as_Batch(); batch != nullptr && batch->operations() != nullptr) {
    for (const protocol::BatchOperation* op : *batch->operations()) {
      const auto op_type = static_cast<std::uint8_t>(op->op_type());
      if (op_type == 0 || op_type > static_cast<std::uint8_t>(protocol::EditOperation::MAX) || op->op() == nullptr) {
        return make_error(ErrorCode::protocol,
                          "a batch holds an unknown or empty operation (type " + std::to_string(op_type) + ")");
      }
    }
  }
  return VerifiedRequest{request};
}

std::uint64_t salvage_request_id(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8) {
    return 0;
  }
  // Verify only the root table's own fields (depth 1): enough to read `id` safely.
  flatbuffers::Verifier::Options options;
  options.max_depth = 2;
  flatbuffers::Verifier verifier(bytes.data(), bytes.size(), options);
  const auto* root = flatbuffers::GetRoot<flatbuffers::Table>(bytes.data());
  if (!verifier.VerifyOffset(0) || !root->VerifyTableStart(verifier) ||
      !root->VerifyField<std::uint64_t>(verifier, protocol::Request::VT_ID, 8)) {
    return 0;
  }
  return root->GetField<std::uint64_t>(protocol::Request::VT_ID, 0);
}

void finish_response(flatbuffers::FlatBufferBuilder& builder, std::uint64_t id, std::uint64_t project, ErrorCode status,
                     std::string_view message, protocol::ResultBody result_type, flatbuffers::Offset<void> result) {
  const auto message_offset = message.empty() ? 0 : builder.CreateString(message.data(), message.size());
  protocol::ResponseBuilder response(builder);
  response.add_version(kProtocolVersion);
  response.add_id(id);
  response.add_project(project);
  response.add_status(to_wire(status));
  if (!message.empty()) {
    response.add_message(message_offset);
  }
  if (result_type != protocol::ResultBody::NONE) {
    response.add_result_type(result_type);
    response.add_result(result);
  }
  builder.Finish(response.Finish(), protocol::RequestIdentifier());
}

void finish_error(flatbuffers::FlatBufferBuilder& builder, std::uint64_t id, std::uint64_t project,
                  const core::Error& error) {
  finish_response(builder, id, project, error.code, error.message, protocol::ResultBody::NONE, 0);
}

}  // namespace voxd::daemon
