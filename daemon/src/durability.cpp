#include "durability.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "background_priority.hpp"
#include "checkpoint_codec.hpp"
#include "edits.hpp"
#include "envelope.hpp"
#include "handler.hpp"
#include "voxel_budget.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Status;
using protocol::RequestBody;

namespace {

// Requests whose effect on a project the journal records: replaying them rebuilds state and undo steps.
bool is_journaled(RequestBody type) {
  return edit_of(type).has_value() || type == RequestBody::Batch || type == RequestBody::Undo ||
         type == RequestBody::Redo;
}

bool creates_project(RequestBody type) {
  return type == RequestBody::CreateProject || type == RequestBody::OpenFile || type == RequestBody::CopyProject;
}

std::int64_t voxels_of(const core::ProjectState& state) {
  std::int64_t total = 0;
  for (const core::Layer& layer : state.layers) {
    total += layer.volume.voxel_count();
  }
  return total;
}

core::ReadLimits checkpoint_limits(const core::Workspace& workspace) {
  core::ReadLimits limits;
  limits.max_voxels = workspace.limits().project.max_voxels;
  limits.max_layers = workspace.limits().project.max_layers;
  limits.max_blocks = static_cast<std::size_t>(limits.max_voxels);  // a stored block holds at least one voxel
  return limits;
}

void replace_with_error(flatbuffers::FlatBufferBuilder& reply, const protocol::Request& request,
                        const core::Error& error) {
  reply.Clear();
  finish_error(reply, request.id(), request.project(), error);
}

}  // namespace

Durability::Durability(std::unique_ptr<store::StateStore> store, std::size_t checkpoint_every,
                       std::size_t max_resident_bytes)
    : store_(std::move(store)),
      checkpoint_every_(std::max<std::size_t>(checkpoint_every, 1)),
      max_resident_bytes_(max_resident_bytes),
      checkpointer_([this] { run_checkpoints(); }) {}

Durability::~Durability() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  checkpointer_.join();
}

Status Durability::recover(RequestHandler& handler) {
  core::Workspace& workspace = handler.services().workspace;
  auto slots = store_->slot_generations();
  if (!slots) {
    return std::move(slots).error();
  }
  for (const store::SlotGeneration& slot : *slots) {
    VOXD_TRY(workspace.restore_generation(slot.slot, slot.generation));
  }
  auto projects = store_->projects();
  if (!projects) {
    return std::move(projects).error();
  }
  std::size_t restored = 0;
  for (const store::StoredProject& stored : *projects) {
    if (Status loaded = load(stored, handler); !loaded) {
      return make_error(loaded.code(), "project " + std::to_string(stored.handle) + " (" + stored.name +
                                           ") cannot be restored: " + loaded.error().message);
    }
    ++restored;
    evict_idle(0, handler);  // a store may hold more than fits in memory
  }
  if (restored > 0) {
    spdlog::info("restored {} project(s) from {}", restored, store_->file().string());
  }
  return Status::success();
}

Status Durability::restore_shares(std::uint64_t handle, ProjectOwners& owners) {
  auto shares = store_->shares();
  VOXD_TRY(shares);
  for (const store::StoredShare& share : *shares) {
    if (share.handle == handle && (share.access == 1 || share.access == 2)) {
      owners.share(core::ProjectHandle{handle}, share.identity, static_cast<ProjectAccess>(share.access));
    }
  }
  return Status::success();
}

ErrorCode Durability::store_share(const protocol::Request& request, flatbuffers::FlatBufferBuilder& reply,
                                  ProjectOwners& owners) {
  const auto* share = request.body_as_ShareProject();
  const std::string identity = share->identity() != nullptr ? share->identity()->str() : std::string();
  const ProjectAccess access = owners.access(core::ProjectHandle{request.project()}, identity);
  const auto level = static_cast<std::uint8_t>(access == ProjectAccess::own ? ProjectAccess::none : access);
  if (Status stored = store_->set_share(request.project(), identity, level); !stored) {
    // Back to what the store holds, which every earlier reply promised.
    owners.share(core::ProjectHandle{request.project()}, identity, ProjectAccess::none);
    (void)restore_shares(request.project(), owners);
    spdlog::error("{}", stored.error().message);
    replace_with_error(reply, request, make_error(ErrorCode::io, stored.error().message + "; the share was not changed"));
    return ErrorCode::io;
  }
  return ErrorCode::ok;
}

Status Durability::load(const store::StoredProject& stored, RequestHandler& handler) {
  const Services& services = handler.services();
  core::Workspace& workspace = services.workspace;
  VoxelBudget& budget = services.budget;
  auto bytes = store_->checkpoint_of(stored.handle);
  if (!bytes) {
    return std::move(bytes).error();
  }
  core::ProjectState state;
  if (!bytes->empty()) {
    auto decoded = store::decode_checkpoint(*bytes, checkpoint_limits(workspace));
    if (!decoded) {
      return std::move(decoded).error();
    }
    state = std::move(decoded).value();
  }
  const std::int64_t voxels = voxels_of(state);
  VOXD_TRY(budget.reserve(voxels));
  const core::ProjectHandle handle{stored.handle};
  if (auto placed = workspace.restore_project(handle, stored.name, std::move(state)); !placed) {
    budget.release(voxels);
    return std::move(placed).error();
  }
  std::size_t memory_bytes = 0;
  if (auto guard = workspace.lock(handle)) {
    memory_bytes = (*guard)->memory_bytes();
  }
  if (Status charged = services.memory.reserve(memory_bytes); !charged) {
    (void)workspace.set_aside(handle);
    budget.release(voxels);
    return charged;
  }
  // Before the replay: the journal is replayed as its owner, who may use the project. Setting the owner clears
  // the project's shares, so they come back from the store too (after a restart, or an eviction).
  services.owners.set(handle, stored.owner);
  VOXD_TRY(restore_shares(stored.handle, services.owners));
  flatbuffers::FlatBufferBuilder reply(1024);
  std::size_t replayed = 0;
  VOXD_TRY(store_->read_journal(
      stored.handle, stored.checkpoint_seq, [&](std::int64_t seq, std::span<const std::uint8_t> request) -> Status {
        auto verified = verify_request(request);
        if (!verified || verified->request->project() != stored.handle) {
          spdlog::error("project {}: journal record {} is damaged; skipped", stored.handle, seq);
          return Status::success();
        }
        const ErrorCode status = handler.handle(*verified->request, reply, stored.owner);
        if (status != ErrorCode::ok) {
          spdlog::warn("project {}: journal record {} no longer applies ({}); skipped", stored.handle, seq,
                       core::error_code_name(status));
        }
        ++replayed;
        return Status::success();
      }));
  ReplayDepth depth;
  if (auto guard = workspace.lock(core::ProjectHandle{stored.handle})) {
    depth = ReplayDepth{(*guard)->undo_depth(), (*guard)->redo_depth()};
  }
  const std::scoped_lock lock(mutex_);
  ProjectLog& log = logs_[stored.handle];  // busy and last_used stay: a request may be loading it
  log.last_seq = stored.last_seq;
  log.since_checkpoint = replayed;
  log.since_base = depth;
  log.since_newest = {};  // the store's newer checkpoint, if any, may become the base: count from here
  log.resident = true;
  log.evicting = false;
  log.summary = {};
  return Status::success();
}

Status Durability::before(const protocol::Request& request, std::string_view identity, RequestHandler& handler,
                          CommitGroup* group) {
  const Services& services = handler.services();
  const std::uint64_t value = request.project();
  const core::ProjectHandle handle{value};
  if (value == 0 || !services.owners.may_use(handle, identity)) {
    return Status::success();  // the handler answers stale_handle
  }
  bool load_needed = false;
  {
    std::unique_lock lock(mutex_);
    // An eviction of this project that is running finishes first; then it is loaded back.
    evicted_.wait(lock, [&] {
      const auto it = logs_.find(value);
      return it == logs_.end() || !it->second.evicting;
    });
    const auto it = logs_.find(value);
    if (it == logs_.end()) {
      return Status::success();  // not stored: closed, or never existed
    }
    ++it->second.busy;
    it->second.last_used = ++tick_;
    load_needed = !it->second.resident;
  }
  if (load_needed) {
    evict_idle(value, handler, group);  // room for it first
    Status loaded = make_error(ErrorCode::io, "the state store " + store_->file().string() + " does not hold project " +
                                                  std::to_string(value));
    if (auto stored = store_->projects()) {
      for (const store::StoredProject& project : *stored) {
        if (project.handle == value) {
          loaded = load(project, handler);
          break;
        }
      }
    } else {
      loaded = std::move(stored).error();
    }
    if (!loaded) {
      done_with(value);
      return make_error(loaded.code(), "project " + std::to_string(value) +
                                           " is out of memory and could not be loaded back: " + loaded.error().message);
    }
  }
  if (request.body_type() != RequestBody::CloseProject) {
    return Status::success();
  }
  {
    auto guard = services.workspace.lock(handle);
    if (!guard) {
      done_with(value);
      return Status::success();  // the handler answers stale_handle
    }
  }
  flush(group, handler);  // what the group staged goes first (a failure there does not stop the close)
  const std::uint32_t generation = handle.generation();
  const std::uint32_t next = generation == std::numeric_limits<std::uint32_t>::max() ? generation : generation + 1;
  if (Status removed = store_->remove_project(handle.value, next); !removed) {
    done_with(value);
    return removed;
  }
  const std::scoped_lock lock(mutex_);
  logs_.erase(handle.value);
  return Status::success();
}

void Durability::done_with(std::uint64_t handle) {
  const std::scoped_lock lock(mutex_);
  const auto it = logs_.find(handle);
  if (it != logs_.end() && it->second.busy > 0) {
    --it->second.busy;
  }
}

void Durability::evict_idle(std::uint64_t keep, RequestHandler& handler, CommitGroup* group) {
  const Services& services = handler.services();
  if (max_resident_bytes_ == 0 || services.memory.used() <= max_resident_bytes_) {
    return;
  }
  flush(group, handler);  // an evicted project's checkpoint must not run ahead of its staged records
  while (services.memory.used() > max_resident_bytes_) {
    std::uint64_t victim = 0;
    std::int64_t seq = 0;
    {
      const std::scoped_lock lock(mutex_);
      std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
      for (const auto& [handle, log] : logs_) {
        if (handle != keep && log.resident && log.busy == 0 && !log.evicting && log.last_used < oldest) {
          oldest = log.last_used;
          victim = handle;
        }
      }
      if (victim == 0) {
        return;  // every resident project is in use
      }
      ProjectLog& log = logs_[victim];
      log.evicting = true;
      ++log.busy;
      seq = log.last_seq;
    }
    const core::ProjectHandle handle{victim};
    EvictedProject summary{handle, {}, 0, 0};
    std::size_t bytes = 0;
    bool evicted = false;
    {
      auto guard = services.workspace.lock(handle);
      if (guard) {
        const core::Project& project = **guard;
        summary.name = project.name();
        summary.voxels = project.voxel_count();
        summary.layers = static_cast<std::uint32_t>(project.layers().size());
        bytes = project.memory_bytes();
        // Its state as of its last journal record becomes its only checkpoint: the load replays nothing.
        const store::Bytes state = store::encode_checkpoint(project.state());
        if (Status written = store_->replace_base(victim, seq, state); !written) {
          spdlog::warn("project {:#x} stays in memory: {}", victim, written.error().message);
        } else {
          evicted = services.workspace.set_aside(handle).ok();
        }
      }
    }
    if (evicted) {
      services.budget.release(summary.voxels);
      services.memory.release(bytes);
      spdlog::debug("project {:#x} ({} bytes) left memory; it is loaded again when named", victim, bytes);
    }
    {
      const std::scoped_lock lock(mutex_);
      const auto it = logs_.find(victim);
      if (it != logs_.end()) {
        ProjectLog& log = it->second;
        log.evicting = false;
        --log.busy;
        if (evicted) {
          log.resident = false;
          log.summary = std::move(summary);
          log.since_checkpoint = 0;
          log.since_base = {};
          log.since_newest = {};
        }
      }
    }
    evicted_.notify_all();
    if (!evicted) {
      return;
    }
  }
}

std::vector<EvictedProject> Durability::evicted() {
  std::vector<EvictedProject> out;
  const std::scoped_lock lock(mutex_);
  for (const auto& [handle, log] : logs_) {
    if (!log.resident) {
      out.push_back(log.summary);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const EvictedProject& a, const EvictedProject& b) { return a.handle.value < b.handle.value; });
  return out;
}

void Durability::reload(std::uint64_t handle, RequestHandler& handler) {
  const Services& services = handler.services();
  std::int64_t voxels = 0;
  std::size_t bytes = 0;
  if (auto guard = services.workspace.lock(core::ProjectHandle{handle})) {
    voxels = (*guard)->voxel_count();
    bytes = (*guard)->memory_bytes();
  }
  if (!services.workspace.set_aside(core::ProjectHandle{handle})) {
    return;
  }
  services.budget.release(voxels);
  services.memory.release(bytes);
  auto stored = store_->projects();
  if (stored) {
    for (const store::StoredProject& project : *stored) {
      if (project.handle == handle) {
        if (Status loaded = load(project, handler); loaded) {
          return;
        }
        break;
      }
    }
  }
  spdlog::error("project {:#x} could not be reloaded from the store after a failed write", handle);
}

ErrorCode Durability::after(const protocol::Request& request, std::span<const std::uint8_t> bytes,
                            std::string_view identity, ErrorCode status, flatbuffers::FlatBufferBuilder& reply,
                            RequestHandler& handler, CommitGroup* group) {
  const ErrorCode result = store_outcome(request, bytes, identity, status, reply, handler, group);
  if (request.project() != 0) {
    if (group != nullptr) {
      // Not evictable (by any thread) until its staged record is committed: an eviction's checkpoint must
      // not hold edits whose replies are still waiting for the commit.
      group->in_use.push_back(request.project());
    } else {
      done_with(request.project());
    }
  }
  if (max_resident_bytes_ > 0 && handler.services().memory.used() > max_resident_bytes_) {
    evict_idle(request.project(), handler, group);
  }
  return result;
}

ErrorCode Durability::store_outcome(const protocol::Request& request, std::span<const std::uint8_t> bytes,
                                    std::string_view identity, ErrorCode status, flatbuffers::FlatBufferBuilder& reply,
                                    RequestHandler& handler, CommitGroup* group) {
  const RequestBody type = request.body_type();
  if (status == ErrorCode::ok && type == RequestBody::ShareProject) {
    flush(group, handler);  // in order with what the group staged before it
    return store_share(request, reply, handler.services().owners);
  }
  if (status != ErrorCode::ok || (!is_journaled(type) && !creates_project(type))) {
    return status;
  }
  core::Workspace& workspace = handler.services().workspace;
  if (is_journaled(type)) {
    const std::uint64_t handle = request.project();
    std::int64_t seq = 0;
    {
      const std::scoped_lock lock(mutex_);
      seq = logs_[handle].last_seq + 1;
    }
    const auto revert = [&](const core::Error& error) {
      // The project goes back to what the store holds: the state every earlier reply promised.
      reload(handle, handler);
      spdlog::error("{}", error.message);
      replace_with_error(reply, request, make_error(ErrorCode::io, error.message + "; the edit was not applied"));
      return ErrorCode::io;
    };
    bool beyond_replay = false;
    {
      const std::scoped_lock lock(mutex_);
      const ProjectLog& log = logs_[handle];
      // Checked against the newest checkpoint asked for, not the base: writing the next checkpoint makes
      // that one the base, and every journal record after it must replay from it. (Checking against the
      // base let an undo of a step from before the newest checkpoint into the journal; once that checkpoint
      // became the base, the replay had nothing to undo and the project came back a few voxels off.)
      beyond_replay = (type == RequestBody::Undo && log.since_newest.undo == 0) ||
                      (type == RequestBody::Redo && log.since_newest.redo == 0);
    }
    if (beyond_replay) {
      flush(group, handler);  // the new base must not be older than records still staged
      if (group != nullptr &&
          std::find(group->reloaded.begin(), group->reloaded.end(), handle) != group->reloaded.end()) {
        replace_with_error(reply, request, group->error);  // the project went back to the store's state
        return ErrorCode::io;
      }
      store::Bytes state;
      if (auto guard = workspace.lock(core::ProjectHandle{handle})) {
        state = store::encode_checkpoint((*guard)->state());
      }
      if (Status written = store_->replace_base(handle, seq, state); !written) {
        return revert(written.error());
      }
      const std::scoped_lock lock(mutex_);
      ProjectLog& log = logs_[handle];
      log.last_seq = seq;
      log.since_checkpoint = 0;
      log.since_base = {};
      log.since_newest = {};
      return status;
    }
    if (group != nullptr) {
      group->writes.appended.push_back(store::JournalRecord{handle, seq, bytes});
      group->staged.push_back(group->index);
      group->projects.push_back(handle);
    } else {
      store::WriteGroup single;
      single.appended.push_back(store::JournalRecord{handle, seq, bytes});
      if (Status committed = store_->commit(single); !committed) {
        return revert(committed.error());
      }
    }
    bool checkpoint = false;
    {
      const std::scoped_lock lock(mutex_);
      ProjectLog& log = logs_[handle];
      log.last_seq = seq;
      const std::size_t max_steps = workspace.limits().project.max_history_steps;
      for (ReplayDepth* depth : {&log.since_base, &log.since_newest}) {
        if (type == RequestBody::Undo) {
          depth->undo -= std::min<std::size_t>(depth->undo, 1);
          ++depth->redo;
        } else if (type == RequestBody::Redo) {
          ++depth->undo;
          depth->redo -= std::min<std::size_t>(depth->redo, 1);
        } else {
          depth->undo = std::min(depth->undo + 1, max_steps);
          depth->redo = 0;
        }
      }
      checkpoint = ++log.since_checkpoint >= checkpoint_every_;
      if (checkpoint) {
        // Once this checkpoint is written, the one before it becomes the base.
        log.since_checkpoint = 0;
        log.since_base = log.since_newest;
        log.since_newest = {};
      }
    }
    if (checkpoint) {
      // Nothing else runs on this project until the reply has left: the snapshot is the state at `seq`.
      if (auto guard = workspace.lock(core::ProjectHandle{handle})) {
        PendingCheckpoint job{handle, seq, (*guard)->snapshot()};
        if (group != nullptr) {
          group->checkpoints.push_back(std::move(job));  // written only once its records are committed
        } else {
          queue_checkpoint(std::move(job));
        }
      }
    }
    return status;
  }
  const auto* response = flatbuffers::GetRoot<protocol::Response>(reply.GetBufferPointer());
  const auto* created = response->result_as_ProjectCreated();
  if (created == nullptr) {
    return status;
  }
  const core::ProjectHandle handle{created->handle()};
  store::NewProject project;
  project.handle = handle.value;
  project.owner = std::string(identity);
  std::int64_t voxels = 0;
  std::size_t memory = 0;
  {
    auto guard = workspace.lock(handle);
    if (!guard) {
      return status;
    }
    project.name = (*guard)->name();
    voxels = (*guard)->voxel_count();
    memory = (*guard)->memory_bytes();
    if (type != RequestBody::CreateProject) {
      project.checkpoint = store::encode_checkpoint((*guard)->state());
    }
  }
  flush(group, handler);
  store::WriteGroup created_group;
  created_group.created.push_back(std::move(project));
  if (Status committed = store_->commit(created_group); !committed) {
    if (workspace.close_project(handle)) {
      handler.services().budget.release(voxels);
      handler.services().memory.release(memory);
      handler.services().owners.erase(handle);
    }
    spdlog::error("{}", committed.error().message);
    replace_with_error(reply, request,
                       make_error(ErrorCode::io, committed.error().message + "; no project was created"));
    return ErrorCode::io;
  }
  const std::scoped_lock lock(mutex_);
  ProjectLog& log = logs_[handle.value];
  log = ProjectLog{};
  log.last_used = ++tick_;  // the newest: not the first to leave memory
  return status;
}

void Durability::queue_checkpoint(PendingCheckpoint job) {
  {
    const std::scoped_lock lock(mutex_);
    // One waiting checkpoint per project is enough: a newer one replaces it.
    std::erase_if(pending_, [&](const PendingCheckpoint& p) { return p.handle == job.handle; });
    pending_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void Durability::flush(CommitGroup* group, RequestHandler& handler) {
  if (group == nullptr) {
    return;
  }
  if (group->writes.empty()) {
    for (const std::uint64_t handle : group->in_use) {
      done_with(handle);
    }
    group->in_use.clear();
    return;
  }
  const Status committed = store_->commit(group->writes);
  if (committed) {
    for (PendingCheckpoint& job : group->checkpoints) {
      queue_checkpoint(std::move(job));
    }
  } else {
    spdlog::error("{}", committed.error().message);
    group->error = make_error(ErrorCode::io, committed.error().message + "; the edit was not applied");
    group->failed.insert(group->failed.end(), group->staged.begin(), group->staged.end());
    std::sort(group->projects.begin(), group->projects.end());
    group->projects.erase(std::unique(group->projects.begin(), group->projects.end()), group->projects.end());
    for (const std::uint64_t handle : group->projects) {
      group->reloaded.push_back(handle);
      reload(handle, handler);  // back to what the store holds: every reply sent so far promised no more
    }
  }
  for (const std::uint64_t handle : group->in_use) {
    done_with(handle);
  }
  group->in_use.clear();
  group->writes = {};
  group->staged.clear();
  group->projects.clear();
  group->checkpoints.clear();
}

StoreStats Durability::stats() {
  StoreStats stats;
  {
    const std::scoped_lock lock(mutex_);
    stats.stored_projects = logs_.size();
    for (const auto& [handle, log] : logs_) {
      stats.evicted += log.resident ? 0 : 1;
    }
  }
  stats.store_bytes = store_->disk_bytes();
  return stats;
}

void Durability::trim_journal(std::uint64_t handle) {
  // A few records per transaction, so an edit being journaled meanwhile waits for one slice at most. What a
  // failure or a stop leaves is trimmed after the next checkpoint; recovery never reads it.
  constexpr std::size_t kTrimSlice = 4;
  while (true) {
    auto more = store_->trim_journal(handle, kTrimSlice);
    if (!more) {
      spdlog::warn("the journal of project {:#x} was not trimmed: {}", handle, more.error().message);
      return;
    }
    if (!*more) {
      return;
    }
    const std::scoped_lock lock(mutex_);
    if (stopping_) {
      return;
    }
  }
}

void Durability::run_checkpoints() {
  store::lower_this_threads_priority();
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) {
      return;  // stopping, and every checkpoint asked for is written
    }
    PendingCheckpoint job = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    const store::Bytes bytes = store::encode_checkpoint(job.state);
    if (Status written = store_->write_checkpoint(job.handle, job.seq, bytes); !written) {
      spdlog::warn("checkpoint of project {:#x} not written (the journal still holds its edits): {}", job.handle,
                   written.error().message);
    } else {
      trim_journal(job.handle);
    }
    lock.lock();
  }
}

}  // namespace voxd::daemon
