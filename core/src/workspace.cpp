#include "voxd/core/workspace.hpp"

#include <atomic>
#include <exception>
#include <limits>
#include <new>
#include <utility>

namespace voxd::core {

// One live project: its data, the mutex that serialises its use, and whether it is still open.
// Guards share ownership of the Entry, so closing the project (or destroying the workspace) never
// frees data a guard is still using.
struct ProjectGuard::Entry {
  Entry(std::string name, ProjectState state, const ProjectLimits& limits)
      : project(std::move(name), std::move(state), limits) {}

  std::mutex mutex;
  // Written under the registry lock by close; read by guards without it (hence atomic).
  std::atomic<bool> open{true};
  Project project;
};

namespace {

// Messages of the errors raised while memory is short: at most 15 characters, so that the
// std::string holding them fits the small-string buffer and building the error cannot throw again.
constexpr const char* kOutOfMemory = "out of memory";
constexpr const char* kInternalError = "internal error";

Error error_from_current_exception() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::limit_exceeded, kOutOfMemory};
  } catch (...) {
    return Error{ErrorCode::internal, kInternalError};
  }
}

// A slot whose generation reached this value is retired rather than reused, so a handle value is
// never issued twice (it would take 2^32 closes of one slot).
constexpr std::uint32_t kLastGeneration = std::numeric_limits<std::uint32_t>::max();

}  // namespace

struct Workspace::Registry {
  using Entry = ProjectGuard::Entry;
  struct Slot {
    std::uint32_t generation = 1;  // the generation of the handle naming this slot now (0: retired)
    std::shared_ptr<Entry> entry;  // null while the slot is free or set aside
    bool set_aside = false;        // open, but its project is out of memory (Workspace::set_aside)
  };

  // Guards `slots`, `free_slots` and `open_count` only. Held for a lookup, an insert or a removal,
  // never while a project is used or while waiting for a project's mutex.
  mutable std::mutex mutex;
  std::vector<Slot> slots;
  std::vector<std::uint32_t> free_slots;  // indices of free slots, reused last-freed first
  std::size_t open_count = 0;

  // The entry named by `handle`, or null. Caller holds `mutex`.
  // Grows the table so that `index` exists; the new slots are free. Caller holds `mutex`.
  void grow_to(std::uint32_t index) {
    if (index < slots.size()) {
      return;
    }
    const std::size_t size = std::size_t{index} + 1;
    free_slots.reserve(2 * size);
    const auto first_new = static_cast<std::uint32_t>(slots.size());
    slots.resize(size);
    // Lower indices last, so that they are reused first, as for a table grown one slot at a time.
    for (std::uint32_t i = index + 1; i-- > first_new;) {
      free_slots.push_back(i);
    }
  }

  void take_free(std::uint32_t index) { std::erase(free_slots, index); }

  [[nodiscard]] std::shared_ptr<Entry> find(ProjectHandle handle) const {
    if (handle.generation() == 0 || handle.slot() >= slots.size()) {
      return nullptr;
    }
    const Slot& slot = slots[handle.slot()];
    return slot.generation == handle.generation() ? slot.entry : nullptr;
  }
};

namespace {

Error stale_handle_error(ProjectHandle handle) {
  return make_error(ErrorCode::stale_handle,
                    "stale handle: project " + std::to_string(handle.value) + " was closed or never existed");
}

}  // namespace

ProjectGuard::ProjectGuard(std::shared_ptr<Entry> entry, std::shared_ptr<Project> project, ProjectHandle handle)
    : entry_(std::move(entry)), lock_(entry_->mutex), project_(std::move(project)), handle_(handle) {}

bool ProjectGuard::is_open() const {
  return entry_ != nullptr && entry_->open.load(std::memory_order_acquire);
}

Workspace::Workspace(WorkspaceLimits limits) : limits_(limits), registry_(std::make_unique<Registry>()) {}

Workspace::~Workspace() {
  // Guards may outlive the workspace: they keep their project's data alive but see it closed.
  for (const Registry::Slot& slot : registry_->slots) {
    if (slot.entry) {
      slot.entry->open.store(false, std::memory_order_release);
    }
  }
}

Result<ProjectHandle> Workspace::create_project(std::string name) {
  return add_project(std::move(name), ProjectState{});
}

Result<ProjectHandle> Workspace::add_project(std::string name, ProjectState state) {
  try {
    // Built before taking the registry lock: building may allocate a lot (a loaded file).
    auto entry = std::make_shared<Registry::Entry>(std::move(name), std::move(state), limits_.project);

    const std::scoped_lock lock(registry_->mutex);
    Registry& reg = *registry_;
    if (reg.open_count >= limits_.max_projects) {
      return make_error(ErrorCode::limit_exceeded,
                        "max_projects (" + std::to_string(limits_.max_projects) + ") reached");
    }
    if (reg.free_slots.empty()) {
      if (reg.slots.size() > std::numeric_limits<std::uint32_t>::max()) {
        return make_error(ErrorCode::limit_exceeded, "project slots exhausted");
      }
      // Room for every slot in the free list, so close_project never allocates; reserved first so
      // that a failed allocation leaves the registry as it was.
      if (reg.free_slots.capacity() < reg.slots.size() + 1) {
        reg.free_slots.reserve(2 * (reg.slots.size() + 1));
      }
      reg.slots.emplace_back();
      reg.free_slots.push_back(static_cast<std::uint32_t>(reg.slots.size() - 1));
    }
    const std::uint32_t index = reg.free_slots.back();
    reg.free_slots.pop_back();
    Registry::Slot& slot = reg.slots[index];
    slot.entry = std::move(entry);
    ++reg.open_count;
    return ProjectHandle::make(index, slot.generation);
  } catch (...) {
    return error_from_current_exception();
  }
}

Status Workspace::close_project(ProjectHandle handle) {
  std::shared_ptr<Registry::Entry> closed;  // released after the registry lock: the last owner frees the project
  try {
    const std::scoped_lock lock(registry_->mutex);
    Registry& reg = *registry_;
    closed = reg.find(handle);
    const bool aside = !closed && handle.slot() < reg.slots.size() && handle.generation() != 0 &&
                       reg.slots[handle.slot()].set_aside && reg.slots[handle.slot()].generation == handle.generation();
    if (!closed && !aside) {
      return stale_handle_error(handle);
    }
    Registry::Slot& slot = reg.slots[handle.slot()];
    slot.entry.reset();
    slot.set_aside = false;
    // Every copy of the handle is stale from here on; a guard already held keeps working on the data.
    if (closed) {
      closed->open.store(false, std::memory_order_release);
    }
    --reg.open_count;
    if (slot.generation < kLastGeneration) {
      ++slot.generation;
      reg.free_slots.push_back(handle.slot());  // capacity reserved in add_project: cannot throw
    } else {
      slot.generation = 0;  // retired: no handle names it any more
    }
  } catch (...) {
    return error_from_current_exception();
  }
  return Status::success();
}

Result<ProjectGuard> Workspace::lock(ProjectHandle handle) {
  try {
    std::shared_ptr<Registry::Entry> entry;
    {
      const std::scoped_lock lock(registry_->mutex);
      entry = registry_->find(handle);
    }
    if (!entry) {
      return stale_handle_error(handle);
    }
    // Waits for the project's mutex with no other lock held, so projects never wait for each other.
    std::shared_ptr<Project> project(entry, &entry->project);  // shares the entry's ownership
    ProjectGuard guard(std::move(entry), std::move(project), handle);
    // Closed while this thread waited: the request came too late to see the project.
    if (!guard.is_open()) {
      return stale_handle_error(handle);
    }
    return guard;
  } catch (...) {
    return error_from_current_exception();
  }
}

Result<ProjectHandle> Workspace::restore_project(ProjectHandle handle, std::string name, ProjectState state) {
  try {
    auto entry = std::make_shared<Registry::Entry>(std::move(name), std::move(state), limits_.project);
    const std::scoped_lock lock(registry_->mutex);
    Registry& reg = *registry_;
    if (handle.generation() == 0 || handle.generation() == kLastGeneration) {
      return make_error(ErrorCode::invalid_argument, "cannot restore project " + std::to_string(handle.value) +
                                                         ": generation " + std::to_string(handle.generation()) +
                                                         " is never issued");
    }
    const bool exists = handle.slot() < reg.slots.size();
    if (exists && reg.slots[handle.slot()].set_aside) {
      Registry::Slot& slot = reg.slots[handle.slot()];
      if (slot.generation != handle.generation()) {
        return make_error(ErrorCode::invalid_argument, "cannot restore project " + std::to_string(handle.value) +
                                                           ": its slot is kept for another generation");
      }
      slot.entry = std::move(entry);
      slot.set_aside = false;
      return handle;
    }
    if (exists && (reg.slots[handle.slot()].entry || reg.slots[handle.slot()].generation > handle.generation() ||
                   reg.slots[handle.slot()].generation == 0)) {
      return make_error(ErrorCode::invalid_argument,
                        "cannot restore project " + std::to_string(handle.value) + ": its slot is taken");
    }
    if (reg.open_count >= limits_.max_projects) {
      return make_error(ErrorCode::limit_exceeded,
                        "max_projects (" + std::to_string(limits_.max_projects) + ") reached");
    }
    reg.grow_to(handle.slot());
    reg.take_free(handle.slot());
    Registry::Slot& slot = reg.slots[handle.slot()];
    slot.generation = handle.generation();
    slot.entry = std::move(entry);
    ++reg.open_count;
    return handle;
  } catch (...) {
    return error_from_current_exception();
  }
}

Status Workspace::restore_generation(std::uint32_t slot_index, std::uint32_t generation) {
  try {
    const std::scoped_lock lock(registry_->mutex);
    Registry& reg = *registry_;
    reg.grow_to(slot_index);
    Registry::Slot& slot = reg.slots[slot_index];
    if (slot.entry || slot.set_aside) {
      return make_error(ErrorCode::invalid_argument,
                        "cannot set the generation of slot " + std::to_string(slot_index) + ": it is in use");
    }
    if (slot.generation == 0 || generation <= slot.generation) {
      return Status::success();  // never lower: a handle once stale stays stale
    }
    if (generation >= kLastGeneration) {
      slot.generation = 0;
      reg.take_free(slot_index);
    } else {
      slot.generation = generation;
    }
    return Status::success();
  } catch (...) {
    return error_from_current_exception();
  }
}

Status Workspace::set_aside(ProjectHandle handle) {
  std::shared_ptr<Registry::Entry> dropped;  // released after the registry lock
  try {
    const std::scoped_lock lock(registry_->mutex);
    Registry& reg = *registry_;
    dropped = reg.find(handle);
    if (!dropped) {
      return stale_handle_error(handle);
    }
    Registry::Slot& slot = reg.slots[handle.slot()];
    slot.entry.reset();
    slot.set_aside = true;
    dropped->open.store(false, std::memory_order_release);
  } catch (...) {
    return error_from_current_exception();
  }
  return Status::success();
}

bool Workspace::is_set_aside(ProjectHandle handle) const {
  const std::scoped_lock lock(registry_->mutex);
  const Registry& reg = *registry_;
  return handle.slot() < reg.slots.size() && reg.slots[handle.slot()].set_aside &&
         reg.slots[handle.slot()].generation == handle.generation() && handle.generation() != 0;
}

std::size_t Workspace::project_count() const {
  const std::scoped_lock lock(registry_->mutex);
  return registry_->open_count;
}

std::vector<ProjectSummary> Workspace::list() {
  try {
    std::vector<std::pair<ProjectHandle, std::shared_ptr<Registry::Entry>>> open;
    {
      const std::scoped_lock lock(registry_->mutex);
      const Registry& reg = *registry_;
      open.reserve(reg.open_count);
      for (std::size_t i = 0; i < reg.slots.size(); ++i) {
        const Registry::Slot& slot = reg.slots[i];
        if (slot.entry) {
          open.emplace_back(ProjectHandle::make(static_cast<std::uint32_t>(i), slot.generation), slot.entry);
        }
      }
    }
    std::vector<ProjectSummary> summaries;
    summaries.reserve(open.size());
    for (auto& [handle, entry] : open) {
      // One project mutex at a time and no registry lock: list() cannot take part in a cycle.
      const std::scoped_lock lock(entry->mutex);
      if (!entry->open.load(std::memory_order_acquire)) {
        continue;  // closed since the registry was read
      }
      const Project& project = entry->project;
      summaries.push_back(ProjectSummary{handle, project.name(), project.voxel_count(), project.layers().size(),
                                         project.memory_bytes(), project.history_bytes()});
    }
    return summaries;
  } catch (...) {
    // The only failures here are allocations; a partial list would be misleading.
    return {};
  }
}

}  // namespace voxd::core
