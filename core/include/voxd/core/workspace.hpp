// The registry of live projects. Projects are named by generational handles; access goes through a
// ProjectGuard, which serialises use of one project and keeps it alive while held, even if another
// thread closes the project meanwhile. Different projects never wait for each other: the registry
// lock is held only to create, close or look up a slot, never while a project is used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "voxd/core/error.hpp"
#include "voxd/core/limits.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core {

// 64 bits: slot index in the low 32, generation in the high 32. Generation 0 is never issued, so the
// value 0 is never a valid handle.
struct ProjectHandle {
  std::uint64_t value = 0;
  [[nodiscard]] constexpr std::uint32_t slot() const noexcept { return static_cast<std::uint32_t>(value); }
  [[nodiscard]] constexpr std::uint32_t generation() const noexcept { return static_cast<std::uint32_t>(value >> 32U); }
  [[nodiscard]] static constexpr ProjectHandle make(std::uint32_t slot, std::uint32_t generation) noexcept {
    return {(std::uint64_t{generation} << 32U) | slot};
  }
  friend constexpr bool operator==(ProjectHandle, ProjectHandle) = default;
};

struct ProjectSummary {
  ProjectHandle handle;
  std::string name;
  std::int64_t voxels = 0;
  std::size_t layers = 0;
  std::size_t memory_bytes = 0;   // state plus history
  std::size_t history_bytes = 0;  // the part the undo/redo history keeps alive
};

class Workspace;

// Exclusive access to one project. Movable, not copyable; releases the project when destroyed.
class ProjectGuard {
 public:
  [[nodiscard]] Project& operator*() const noexcept { return *project_; }
  [[nodiscard]] Project* operator->() const noexcept { return project_.get(); }
  [[nodiscard]] ProjectHandle handle() const noexcept { return handle_; }
  // False once the project has been closed (the guard still keeps the data alive).
  [[nodiscard]] bool is_open() const;

 private:
  friend class Workspace;
  struct Entry;  // defined in workspace.cpp
  ProjectGuard(std::shared_ptr<Entry> entry, std::shared_ptr<Project> project, ProjectHandle handle);

  std::shared_ptr<Entry> entry_;
  std::unique_lock<std::mutex> lock_;
  std::shared_ptr<Project> project_;
  ProjectHandle handle_;
};

class Workspace {
 public:
  explicit Workspace(WorkspaceLimits limits = {});
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  Workspace(Workspace&&) = delete;
  Workspace& operator=(Workspace&&) = delete;

  [[nodiscard]] const WorkspaceLimits& limits() const noexcept { return limits_; }

  // A new project with one empty layer; limit_exceeded past max_projects.
  [[nodiscard]] Result<ProjectHandle> create_project(std::string name);
  // Registers a project made elsewhere (e.g. read from a file); its limits become the workspace's.
  [[nodiscard]] Result<ProjectHandle> add_project(std::string name, ProjectState state);
  // Closes the project: its handle (and every copy of it) becomes stale at once. A guard held
  // elsewhere keeps the data alive until released.
  [[nodiscard]] Status close_project(ProjectHandle handle);
  // Waits for exclusive access to the project; stale_handle if it was closed or never existed.
  [[nodiscard]] Result<ProjectGuard> lock(ProjectHandle handle);

  // Restoring a workspace from a store (the daemon's restart and its idle-project eviction):
  //
  // Places a project at exactly `handle`'s slot and generation, so handles held before a restart keep
  // working. The slot must be free with a generation not above the handle's, or set aside by
  // set_aside() under this very handle; invalid_argument otherwise.
  [[nodiscard]] Result<ProjectHandle> restore_project(ProjectHandle handle, std::string name, ProjectState state);
  // Makes a free slot issue `generation` next (never lower than now), so the handles of projects closed
  // before a restart stay stale. Grows the slot table to hold `slot`.
  [[nodiscard]] Status restore_generation(std::uint32_t slot, std::uint32_t generation);
  // Drops the project from memory but keeps its slot and generation for it: lock() then reports
  // stale_handle until restore_project() puts it back, and is_set_aside() tells the two cases apart.
  // A guard held elsewhere keeps the data alive until released.
  [[nodiscard]] Status set_aside(ProjectHandle handle);
  [[nodiscard]] bool is_set_aside(ProjectHandle handle) const;

  // Open projects, those set aside included.
  [[nodiscard]] std::size_t project_count() const;
  // A summary of every open project (each locked briefly in turn).
  [[nodiscard]] std::vector<ProjectSummary> list();

 private:
  struct Registry;  // defined in workspace.cpp
  WorkspaceLimits limits_;
  std::unique_ptr<Registry> registry_;
};

}  // namespace voxd::core
