// Fuzzes the daemon's request path without sockets: bytes as one request frame are verified exactly as
// the broker does, then handled against an in-process workspace holding one project, exactly as a worker
// does. Every reply must itself verify as a Response. Invariant checks abort; errors are fine.
// The caller's identity is part of the input (the request id picks it): the project's owner, a stranger, a
// reader, an editor or the admin, so the ownership checks are fuzzed too; a stranger must always be told
// the project is closed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <span>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "envelope.hpp"
#include "handler.hpp"
#include "voxd/core/ops.hpp"
#include "voxd/core/workspace.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

voxd::daemon::DaemonConfig fuzz_config(const std::filesystem::path& root) {
  voxd::daemon::DaemonConfig config;
  config.root = root;
  // Small limits: one input must not make the fuzzer slow or big.
  config.limits.max_message_bytes = 1U << 20U;
  config.limits.max_reply_bytes = 1U << 20U;
  config.limits.max_voxels_per_request = 1 << 18;
  config.limits.max_voxels_per_project = 1 << 20;
  config.limits.max_voxels_total = 1 << 21;
  config.limits.max_projects = 8;
  config.limits.max_memory_bytes = 256U << 20U;
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = voxd::core;
  namespace daemon = voxd::daemon;
  // The Verifier needs 8-byte alignment, as the broker guarantees by copying when needed.
  std::vector<std::uint64_t> aligned((size + 7) / 8 + 1);
  std::memcpy(aligned.data(), data, size);
  const std::span<const std::uint8_t> frame(reinterpret_cast<const std::uint8_t*>(aligned.data()), size);

  auto verified = daemon::verify_request(frame);
  if (!verified.ok()) {
    if (verified.error().message.empty()) {
      fail("verification error without a message");
    }
    return 0;
  }

  // A fresh daemon state per input, with one project (handle slot 0, generation 1) holding voxels,
  // so requests that name it reach the operations.
  const std::filesystem::path root = std::filesystem::temp_directory_path() / "voxd-fuzz-protocol-root";
  std::filesystem::create_directories(root);
  auto root_dir = daemon::RootDir::open(root);
  if (!root_dir.ok()) {
    fail("cannot open the fuzz root directory");
  }
  const daemon::DaemonConfig config = fuzz_config(root);
  core::WorkspaceLimits limits;
  limits.max_projects = config.limits.max_projects;
  limits.project.max_voxels = config.limits.max_voxels_per_project;
  limits.project.max_voxels_per_operation = config.limits.max_voxels_per_request;
  core::Workspace workspace(limits);
  auto handle = workspace.create_project("fuzz");
  if (!handle.ok()) {
    fail("cannot create the seed project");
  }
  {
    auto guard = workspace.lock(handle.value());
    core::ShapeParams sphere;
    sphere.kind = core::ShapeKind::sphere;
    sphere.bounds = core::Box{{-4, -4, -4}, {4, 4, 4}};
    if (!core::apply_shape(*guard.value(), core::kActiveLayer, sphere).ok()) {
      fail("cannot fill the seed project");
    }
  }
  daemon::Stats stats(1);
  daemon::VoxelBudget budget(config.limits.max_voxels_total);
  core::MemoryBudget memory(config.limits.max_memory_bytes, "max_memory_bytes");
  constexpr const char* kAdmin = "curve:rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
  daemon::ProjectOwners owners(kAdmin);
  owners.set(handle.value(), "");  // the seed project is the anonymous caller's
  owners.share(handle.value(), "uid:1001", daemon::ProjectAccess::read);
  owners.share(handle.value(), "uid:1002", daemon::ProjectAccess::edit);
  daemon::RequestHandler handler(daemon::Services{workspace, root_dir.value(), config, stats, budget, memory, owners});

  const voxd::protocol::Request& request = *verified.value().request;
  constexpr const char* kIdentities[] = {"", "uid:1000", "uid:1001", "uid:1002", kAdmin};
  const char* identity = kIdentities[request.id() % std::size(kIdentities)];
  flatbuffers::FlatBufferBuilder builder;
  const core::ErrorCode status = handler.handle(request, builder, identity);

  flatbuffers::Verifier reply_verifier(builder.GetBufferPointer(), builder.GetSize());
  if (!reply_verifier.VerifyBuffer<voxd::protocol::Response>("VOXD")) {
    fail("the daemon produced a reply that does not verify");
  }
  if (std::strcmp(identity, "uid:1000") == 0 && request.project() == handle.value().value &&
      status != core::ErrorCode::stale_handle) {
    fail("a stranger reached another identity's project");
  }
  return 0;
}
