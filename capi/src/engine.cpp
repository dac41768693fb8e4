// Engines: creation with limits, destruction, and the list of open projects.
#include <memory>

#include <gsl/pointers>

#include "boundary.hpp"

using voxd::capi::guarded;
using voxd::capi::require;
using voxd::capi::require_engine;
using voxd::core::Status;

namespace {

voxd_engine_options default_options() noexcept {
  const voxd::core::WorkspaceLimits workspace;
  const voxd::core::ReadLimits reads;
  voxd_engine_options o{};
  o.struct_size = sizeof(voxd_engine_options);
  o.max_projects = workspace.max_projects;
  o.max_voxels = workspace.project.max_voxels;
  o.max_layers = workspace.project.max_layers;
  o.max_history_steps = workspace.project.max_history_steps;
  o.max_history_bytes = workspace.project.max_history_bytes;
  o.max_voxels_per_operation = workspace.project.max_voxels_per_operation;
  o.max_file_bytes = reads.max_file_bytes;
  return o;
}

// Zero means "the default"; negative signed limits are refused.
template <typename T>
T or_default(T value, T fallback) noexcept {
  return value == 0 ? fallback : value;
}

}  // namespace

extern "C" {

VOXD_API voxd_status voxd_engine_options_init(voxd_engine_options* options, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(options, "options"));
    *options = default_options();
    return {};
  });
}

VOXD_API voxd_status voxd_engine_create(const voxd_engine_options* options, voxd_engine** out, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out, "out"));
    const voxd_engine_options defaults = default_options();
    voxd_engine_options o = defaults;
    if (options != nullptr) {
      auto given = voxd::capi::versioned_in(options, defaults, "options");
      VOXD_TRY(given);
      o = *given;
    }
    if (o.max_voxels < 0 || o.max_voxels_per_operation < 0) {
      return voxd::capi::invalid("options: max_voxels and max_voxels_per_operation must not be negative");
    }
    voxd::core::WorkspaceLimits limits;
    limits.max_projects = or_default(o.max_projects, defaults.max_projects);
    limits.project.max_voxels = or_default(o.max_voxels, defaults.max_voxels);
    limits.project.max_layers = or_default(o.max_layers, defaults.max_layers);
    limits.project.max_history_steps = or_default(o.max_history_steps, defaults.max_history_steps);
    limits.project.max_history_bytes = or_default(o.max_history_bytes, defaults.max_history_bytes);
    limits.project.max_voxels_per_operation = or_default(o.max_voxels_per_operation, defaults.max_voxels_per_operation);
    voxd::core::ReadLimits reads;
    reads.max_file_bytes = or_default(o.max_file_bytes, defaults.max_file_bytes);
    reads.max_voxels = limits.project.max_voxels;
    reads.max_layers = limits.project.max_layers;
    reads.max_bytes = limits.project.max_project_bytes;  // a file's blocks may not pass what its project may hold
    // The owning pointer crosses the boundary here; voxd_engine_destroy takes it back.
    *out = std::make_unique<voxd_engine>(limits, reads).release();
    return {};
  });
}

VOXD_API void voxd_engine_destroy(voxd_engine** engine) {
  if (engine == nullptr) {
    return;
  }
  const gsl::owner<voxd_engine*> owned = *engine;
  *engine = nullptr;
  delete owned;  // NOLINT(cppcoreguidelines-owning-memory): the boundary's owning pointer
}

VOXD_API voxd_status voxd_engine_project_count(voxd_engine* engine, size_t* out_count, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(require(out_count, "out_count"));
    *out_count = engine->workspace.project_count();
    return {};
  });
}

VOXD_API voxd_status voxd_engine_list_projects(voxd_engine* engine, uint64_t* out, size_t capacity, size_t* out_count,
                                               voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_count, "out_count"));
    const auto projects = engine->workspace.list();
    voxd::capi::copy_out(projects, out, capacity, out_count,
                         [](const voxd::core::ProjectSummary& p) { return p.handle.value; });
    return {};
  });
}

}  // extern "C"
