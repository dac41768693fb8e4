#include "voxd/core/project.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

#include <absl/container/flat_hash_set.h>

namespace voxd::core {

namespace {
ProjectState with_default_layer(ProjectState state) {
  if (state.layers.empty()) {
    Layer layer;
    layer.id = state.next_layer_id++;
    layer.name = "background";
    state.layers.push_back(std::move(layer));
  }
  return state;
}

// The state without its voxels: what a step needs to put layer settings, order and the rest back. O(layers).
ProjectState settings_of(ProjectState& state) {
  std::vector<Volume> volumes;
  volumes.reserve(state.layers.size());
  for (Layer& layer : state.layers) {
    volumes.push_back(std::move(layer.volume));
    layer.volume = Volume();
  }
  ProjectState settings = state;
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    state.layers[i].volume = std::move(volumes[i]);
  }
  return settings;
}

std::size_t changes_bytes(const BlockChanges& changes) {
  std::size_t bytes = changes.capacity() * (sizeof(std::pair<const BlockCoord, std::optional<SharedBlock>>) + 1);
  for (const auto& [coord, block] : changes) {
    if (block) {
      bytes += block->heap_bytes();
    }
  }
  return bytes;
}
}  // namespace

// The step being recorded, and what its allocations may still take.
struct Project::PendingStep : BlockAllowance {
  Step step;
  absl::flat_hash_set<std::uint32_t> layers_before;
  std::size_t bytes_before = 0;
  std::size_t project_limit = 0;
  std::size_t reserved = 0;        // bytes reserved by this step's allocations
  MemoryBudget* shared = nullptr;  // also charged, when set

  Status reserve(std::size_t bytes) override {
    if (bytes_before + reserved + bytes > project_limit) {
      return make_error(ErrorCode::limit_exceeded,
                        "the project would use more than " + std::to_string(bytes_before + reserved + bytes) +
                            " bytes, over max_project_bytes (" + std::to_string(project_limit) + ")");
    }
    if (shared != nullptr) {
      VOXD_TRY(shared->reserve(bytes));
    }
    reserved += bytes;
    return Status::success();
  }
};

Project::Project(std::string name, ProjectLimits limits) : Project(std::move(name), ProjectState{}, limits) {}

Project::Project(std::string name, ProjectState state, ProjectLimits limits)
    : name_(std::move(name)), limits_(limits), state_(with_default_layer(std::move(state))) {
  for (const Layer& layer : state_.layers) {
    state_.next_layer_id = std::max(state_.next_layer_id, layer.id + 1);
  }
}

Project::Project(Project&&) noexcept = default;
Project& Project::operator=(Project&&) noexcept = default;
Project::~Project() = default;

ProjectState& Project::mutable_state() {
  if (pending_) {
    // Layers made during the step (added, duplicated) are charged like the others.
    for (Layer& layer : state_.layers) {
      if (!layer.volume.recording()) {
        layer.volume.start_recording(pending_.get());
      }
    }
  }
  return state_;
}

void Project::erase_layer(std::size_t index) {
  auto it = state_.layers.begin() + static_cast<std::ptrdiff_t>(index);
  if (pending_ && pending_->layers_before.contains(it->id)) {
    // The step keeps the layer as it was when the step began.
    BlockChanges changes = it->volume.stop_recording();
    it->volume.swap_blocks(changes);
    pending_->step.removed.push_back(std::move(*it));
  }
  state_.layers.erase(it);
}

Result<std::size_t> Project::layer_index(std::uint32_t layer_id) const {
  const auto& layers = state_.layers;
  const auto it = std::find_if(layers.begin(), layers.end(), [&](const Layer& l) { return l.id == layer_id; });
  if (it == layers.end()) {
    return make_error(ErrorCode::not_found, "no layer with id " + std::to_string(layer_id));
  }
  return static_cast<std::size_t>(it - layers.begin());
}

std::int64_t Project::voxel_count() const noexcept {
  return std::accumulate(state_.layers.begin(), state_.layers.end(), std::int64_t{0},
                         [](std::int64_t sum, const Layer& l) { return sum + l.volume.voxel_count(); });
}

std::size_t Project::memory_bytes() const noexcept {
  std::size_t bytes = sizeof(*this);
  for (const Layer& layer : state_.layers) {
    bytes += layer.volume.memory_bytes() + sizeof(Layer);
  }
  return bytes + history_bytes_;
}

std::uint32_t Project::effective_active_layer_id() const noexcept {
  const std::uint32_t active = state_.active_layer_id;
  const bool exists = std::any_of(state_.layers.begin(), state_.layers.end(),
                                  [active](const Layer& layer) { return layer.id == active; });
  if (active != 0 && exists) {
    return active;
  }
  return state_.layers.empty() ? 0 : state_.layers.back().id;
}

void Project::begin_step(MemoryBudget* shared) {
  auto pending = std::make_unique<PendingStep>();
  pending->step.before = settings_of(state_);
  for (const Layer& layer : state_.layers) {
    pending->layers_before.insert(layer.id);
  }
  pending->bytes_before = memory_bytes();
  pending->project_limit = limits_.max_project_bytes;
  pending->shared = shared;
  pending_ = std::move(pending);
  for (Layer& layer : state_.layers) {
    layer.volume.start_recording(pending_.get());
  }
}

Project::Step Project::finish_recording() {
  Step step = std::move(pending_->step);
  for (Layer& layer : state_.layers) {
    BlockChanges changes = layer.volume.stop_recording();
    if (pending_->layers_before.contains(layer.id) && !changes.empty()) {
      step.blocks.emplace(layer.id, std::move(changes));
    }
  }
  return step;
}

void Project::commit_step() {
  Step step = finish_recording();
  drop_redo();
  measure(step);
  undo_.push_back(std::move(step));
  trim_history();
  settle_shared_budget();
}

void Project::abort_step() {
  Step step = finish_recording();
  // Reverting a step only moves blocks and layers that exist: it allocates next to nothing.
  static_cast<void>(apply(std::move(step)));
  settle_shared_budget();
}

void Project::settle_shared_budget() noexcept {
  // The shared budget held the step's reservations; from now on it holds what the project really uses.
  if (pending_->shared != nullptr) {
    const auto delta = static_cast<std::int64_t>(memory_bytes()) - static_cast<std::int64_t>(pending_->bytes_before) -
                       static_cast<std::int64_t>(pending_->reserved);
    pending_->shared->adjust(delta);
  }
  pending_.reset();
}

Project::Step Project::apply(Step step) {
  Step inverse;
  inverse.before = settings_of(state_);
  absl::flat_hash_set<std::uint32_t> ids_before;
  for (const Layer& layer : step.before.layers) {
    ids_before.insert(layer.id);
  }
  absl::flat_hash_map<std::uint32_t, std::size_t> current_index;
  for (std::size_t i = 0; i < state_.layers.size(); ++i) {
    current_index.emplace(state_.layers[i].id, i);
    if (!ids_before.contains(state_.layers[i].id)) {
      inverse.removed.push_back(std::move(state_.layers[i]));  // made by the step: its redo brings it back
    }
  }
  std::vector<Layer> layers = std::move(step.before.layers);
  for (Layer& layer : layers) {
    if (const auto it = current_index.find(layer.id); it != current_index.end()) {
      layer.volume = std::move(state_.layers[it->second].volume);
      if (auto changed = step.blocks.find(layer.id); changed != step.blocks.end()) {
        layer.volume.swap_blocks(changed->second);
        inverse.blocks.emplace(layer.id, std::move(changed->second));
      }
      continue;
    }
    for (Layer& removed : step.removed) {
      if (removed.id == layer.id) {
        layer.volume = std::move(removed.volume);
        break;
      }
    }
  }
  state_ = std::move(step.before);
  state_.layers = std::move(layers);
  return inverse;
}

void Project::measure(Step& step) noexcept {
  std::size_t bytes = sizeof(Step) + step.before.layers.size() * sizeof(Layer);
  for (const auto& [id, changes] : step.blocks) {
    bytes += changes_bytes(changes);
  }
  for (const Layer& layer : step.removed) {
    bytes += layer.volume.memory_bytes() + sizeof(Layer);
  }
  step.bytes = bytes;
  history_bytes_ += bytes;
}

void Project::drop_redo() noexcept {
  for (const Step& step : redo_) {
    history_bytes_ -= step.bytes;
  }
  redo_.clear();
}

void Project::trim_history() noexcept {
  // Oldest first, down to both limits; a step bigger than max_history_bytes on its own is not kept either.
  while (!undo_.empty() && (undo_.size() > limits_.max_history_steps || history_bytes_ > limits_.max_history_bytes)) {
    history_bytes_ -= undo_.front().bytes;
    undo_.pop_front();
  }
}

Status Project::undo() {
  if (undo_.empty()) {
    return make_error(ErrorCode::nothing_to_do, "nothing to undo");
  }
  Step step = std::move(undo_.back());
  undo_.pop_back();
  history_bytes_ -= step.bytes;
  Step inverse = apply(std::move(step));
  measure(inverse);
  redo_.push_back(std::move(inverse));
  return Status::success();
}

Status Project::redo() {
  if (redo_.empty()) {
    return make_error(ErrorCode::nothing_to_do, "nothing to redo");
  }
  Step step = std::move(redo_.back());
  redo_.pop_back();
  history_bytes_ -= step.bytes;
  Step inverse = apply(std::move(step));
  measure(inverse);
  undo_.push_back(std::move(inverse));
  trim_history();
  return Status::success();
}

}  // namespace voxd::core
