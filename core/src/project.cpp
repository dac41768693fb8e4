#include "voxd/core/project.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

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

// A snapshot costs a map entry per block even when every block is shared.
std::size_t snapshot_overhead(const ProjectState& state) {
  std::size_t blocks = 0;
  for (const Layer& layer : state.layers) {
    blocks += layer.volume.block_count();
  }
  return blocks * 32 + sizeof(ProjectState) + state.layers.size() * sizeof(Layer);
}
}  // namespace

Project::Project(std::string name, ProjectLimits limits) : Project(std::move(name), ProjectState{}, limits) {}

Project::Project(std::string name, ProjectState state, ProjectLimits limits)
    : name_(std::move(name)), limits_(limits), state_(with_default_layer(std::move(state))) {
  for (const Layer& layer : state_.layers) {
    state_.next_layer_id = std::max(state_.next_layer_id, layer.id + 1);
  }
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
  return bytes + history_bytes();
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

std::size_t Project::copied_bytes() const noexcept {
  std::size_t bytes = 0;
  for (const Layer& layer : state_.layers) {
    bytes += layer.volume.copied_bytes();
  }
  return bytes;
}

std::size_t Project::history_bytes() const noexcept {
  std::size_t bytes = 0;
  for (const Step& step : undo_) {
    bytes += step.bytes;
  }
  for (const Step& step : redo_) {
    bytes += step.bytes;
  }
  // The newest step's cost grows with the change in progress.
  const std::size_t copied = copied_bytes();
  if (!undo_.empty() && copied > copied_at_checkpoint_) {
    bytes += copied - copied_at_checkpoint_;
  }
  return bytes;
}

void Project::checkpoint() {
  // The step begun by the previous checkpoint now knows what its change copied.
  const std::size_t copied = copied_bytes();
  if (!undo_.empty()) {
    undo_.back().bytes += copied > copied_at_checkpoint_ ? copied - copied_at_checkpoint_ : 0;
  }
  undo_.push_back(Step{state_, snapshot_overhead(state_)});
  copied_at_checkpoint_ = copied;
  redo_.clear();
  trim_history();
}

void Project::rollback() {
  if (undo_.empty()) {
    return;
  }
  state_ = std::move(undo_.back().state);
  undo_.pop_back();
  copied_at_checkpoint_ = copied_bytes();
}

Status Project::undo() {
  if (undo_.empty()) {
    return make_error(ErrorCode::nothing_to_do, "nothing to undo");
  }
  Step step = std::move(undo_.back());
  undo_.pop_back();
  redo_.push_back(Step{std::exchange(state_, std::move(step.state)), step.bytes});
  copied_at_checkpoint_ = copied_bytes();
  return Status::success();
}

Status Project::redo() {
  if (redo_.empty()) {
    return make_error(ErrorCode::nothing_to_do, "nothing to redo");
  }
  Step step = std::move(redo_.back());
  redo_.pop_back();
  undo_.push_back(Step{std::exchange(state_, std::move(step.state)), step.bytes});
  copied_at_checkpoint_ = copied_bytes();
  return Status::success();
}

void Project::trim_history() {
  std::size_t bytes = 0;
  for (const Step& step : undo_) {
    bytes += step.bytes;
  }
  // The newest step always stays: it is the undo (or rollback) of the change about to be made.
  std::size_t drop = 0;
  while (undo_.size() - drop > 1 &&
         (undo_.size() - drop > limits_.max_history_steps || bytes > limits_.max_history_bytes)) {
    bytes -= undo_[drop].bytes;
    ++drop;
  }
  undo_.erase(undo_.begin(), undo_.begin() + static_cast<std::ptrdiff_t>(drop));
}

}  // namespace voxd::core
