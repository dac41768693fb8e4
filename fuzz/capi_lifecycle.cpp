// Fuzzes the C ABI as a caller would misuse it: the bytes are a program of voxd_* calls on one engine with small
// limits (create, close, copy, edits, layers, history, exports re-opened from memory, stale and forged handles,
// NULL and out-of-range arguments). A model of which handles are live is checked against the engine, and every
// call is checked against the ABI's contract (see fail() callers). After each program the engine is destroyed, so
// LeakSanitizer reports anything a call left behind. No file is read or written.
//
// Program encoding (fuzz/capi_lifecycle_seeds.py writes the seeds with it): one opcode byte per call,
// whose low 5 bits select the call (Op) and whose high bits are flags: kNullError passes error = NULL, kMisuse
// makes the call's arguments invalid in a call-specific way, kVariant picks a call-specific alternative. The
// call's arguments follow as bytes; a missing byte reads as 0. VOXD_FUZZ_TRACE=1 prints each call and its status.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "voxd/voxd.h"

namespace {

[[noreturn]] void fail(const char* what, const char* call) {
  std::fprintf(stderr, "fuzz invariant broken in %s: %s\n", call, what);
  std::abort();
}

void require(bool condition, const char* what, const char* call) {
  if (!condition) {
    fail(what, call);
  }
}

// The calls a program can make: the low 5 bits of an opcode byte.
enum class Op : std::uint8_t {
  create = 0,
  close = 1,
  copy = 2,
  voxels_set = 3,
  voxels_remove = 4,
  voxels_get = 5,
  read_box = 6,
  layer_clear = 7,
  shape_apply = 8,
  line_draw = 9,
  flood_fill = 10,
  region_move = 11,
  layer_add = 12,
  layer_remove = 13,
  layer_rename = 14,
  layer_move = 15,
  layer_duplicate = 16,
  layer_set_visible = 17,
  layer_select = 18,
  layer_merge = 19,
  layer_list = 20,
  layer_get_name = 21,
  undo = 22,
  redo = 23,
  info = 24,
  export_reopen = 25,
  export_bytes = 26,
  list_projects = 27,
  queries = 28,
  render_mesh = 29,
  misuse = 30,
  open_bytes = 31,
};
constexpr std::uint8_t kOpMask = 0x1FU;
constexpr std::uint8_t kVariant = 0x20U;
constexpr std::uint8_t kMisuse = 0x40U;
constexpr std::uint8_t kNullError = 0x80U;

constexpr std::size_t kMaxOps = 256;
constexpr std::size_t kSlots = 8;
constexpr std::int32_t kCoordRange = 40;  // coordinates in [-40, 40]: edits stay small and fast

// Limits of the engine each program runs on: a few projects, bounded voxels and history.
constexpr std::uint64_t kMaxProjects = 4;
constexpr std::int64_t kMaxVoxels = 1 << 14;
// Per call (shapes, fills, reads): below kMaxVoxels, so a project fills up over several calls, and small enough
// that a program of fills stays fast.
constexpr std::int64_t kMaxVoxelsPerOperation = 1 << 12;
constexpr std::uint64_t kMaxLayers = 6;
constexpr std::uint64_t kMaxHistorySteps = 8;

// Raw handle values no create returned: never issued (0), slot and generation extremes, and values that name
// the first slots' first generations, which may well be live (the model knows).
constexpr std::array<voxd_project, 8> kForgedHandles = {0U,
                                                        ~std::uint64_t{0},
                                                        std::uint64_t{1} << 32U,
                                                        (std::uint64_t{1} << 32U) | 1U,
                                                        std::uint64_t{2} << 32U,
                                                        0xFFFFFFFFU,
                                                        (std::uint64_t{1} << 32U) | 0xFFFFFFFFU,
                                                        std::uint64_t{1} << 63U};
constexpr std::array<std::uint32_t, 4> kOddLayers = {0xFFFFFFFFU, 0x7FFFFFFFU, 255U, 1000U};

// Export formats: what the ABI writes, then spellings it must refuse without crashing.
constexpr std::array<std::string_view, 12> kFormats = {"gox", "vox",  "txt", "obj", "ply", "stl",
                                                       "png", ".GOX", ".",   "",    "xyz", "gox.vox"};
constexpr std::size_t kReadableFormats = 3;  // the first three can be opened again

// The bytes of a program, read front to back; past the end every read is 0.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  [[nodiscard]] bool done() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() {
    const std::uint8_t low = u8();
    return static_cast<std::uint16_t>(low | (u8() << 8U));
  }
  std::int32_t coord() { return static_cast<std::int8_t>(u8()) % (kCoordRange + 1); }
  voxd_vec3 vec() { return {coord(), coord(), coord()}; }
  voxd_color color() { return {u8(), u8(), u8(), u8()}; }
  // A box with min <= max (the corners are sorted per axis).
  voxd_box box() {
    const voxd_vec3 a = vec();
    const voxd_vec3 b = vec();
    return {{std::min(a.x, b.x), std::min(a.y, b.y), std::min(a.z, b.z)},
            {std::max(a.x, b.x), std::max(a.y, b.y), std::max(a.z, b.z)}};
  }
  // Up to max bytes taken as they are (names with any bytes, a file to open).
  std::string_view blob(std::size_t max) {
    const std::size_t wanted = u8() % (max + 1);  // read first: the bytes left are counted after it
    const std::size_t n = std::min(wanted, size_ - std::min(pos_, size_));
    const std::string_view out(reinterpret_cast<const char*>(data_) + pos_, n);
    pos_ += n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// A string argument as the ABI takes it (pointer + length), and whether the ABI must accept it.
struct StringArg {
  std::string storage;
  bool null = false;        // pass NULL
  bool terminated = false;  // pass VOXD_NUL_TERMINATED as the length
  bool valid = true;
  [[nodiscard]] const char* text() const { return null ? nullptr : storage.c_str(); }
  [[nodiscard]] std::size_t length() const { return terminated ? VOXD_NUL_TERMINATED : storage.size(); }
};

// A project the model knows is open, with the name it must report.
struct LiveProject {
  voxd_project handle = 0;
  std::string name;
};

// One program run against one engine.
class Program {
 public:
  Program(const std::uint8_t* data, std::size_t size) : in_(data, size) {}
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  Program(Program&&) = delete;
  Program& operator=(Program&&) = delete;
  ~Program() { voxd_engine_destroy(&engine_); }

  void run() {
    voxd_engine_options options{};
    call_ = "voxd_engine_options_init";
    checked(voxd_engine_options_init(&options, err()));
    options.max_projects = kMaxProjects;
    options.max_voxels = kMaxVoxels;
    options.max_layers = kMaxLayers;
    options.max_history_steps = kMaxHistorySteps;
    options.max_history_bytes = 4U << 20U;
    options.max_voxels_per_operation = kMaxVoxelsPerOperation;
    options.max_file_bytes = 4U << 20U;
    call_ = "voxd_engine_create";
    require(checked(voxd_engine_create(&options, &engine_, err())) == VOXD_OK && engine_ != nullptr,
            "cannot create an engine with valid options", call_);

    for (std::size_t ops = 0; ops < kMaxOps && !in_.done(); ++ops) {
      step(in_.u8());
      check_project_count();
    }

    // Destroying closes every project still open; the pointer comes back NULL and a second destroy is a no-op.
    voxd_engine_destroy(&engine_);
    require(engine_ == nullptr, "voxd_engine_destroy left the pointer set", "voxd_engine_destroy");
    voxd_engine_destroy(&engine_);
    voxd_engine_destroy(nullptr);
  }

 private:
  // ---------------------------------------- the ABI contract ----------------------------------------

  // The error out-parameter of the next call: NULL for kNullError calls, else a slot holding a sentinel, so a
  // successful call that writes it (it must not touch it) is seen.
  voxd_error** err() {
    error_ = sentinel();
    return null_error_ ? nullptr : &error_;
  }
  voxd_error* sentinel() { return reinterpret_cast<voxd_error*>(&sentinel_storage_); }

  // Checks the error contract of the call that returned status, and frees its error.
  voxd_status checked(voxd_status status) {
    if (trace_) {
      std::fprintf(stderr, "%s -> %s\n", call_, voxd_status_name(status));
    }
    require(status >= VOXD_OK && status <= VOXD_ERROR_BUSY, "status outside the documented codes", call_);
    require(status != VOXD_ERROR_INTERNAL, "VOXD_ERROR_INTERNAL (a bug by definition)", call_);
    require(std::string_view(voxd_status_name(status)) != "unknown error", "a returned status has no name", call_);
    if (null_error_) {
      return status;
    }
    if (status == VOXD_OK) {
      require(error_ == sentinel(), "a successful call touched *error", call_);
    } else {
      require(error_ != nullptr && error_ != sentinel(), "a failed call gave no error object", call_);
      require(voxd_error_code(error_) == status, "the error's code is not the returned status", call_);
      require(voxd_error_message(error_)[0] != '\0', "the error has an empty message", call_);
      voxd_error_free(&error_);
      require(error_ == nullptr, "voxd_error_free left the pointer set", call_);
    }
    error_ = nullptr;
    return status;
  }

  [[nodiscard]] bool is_live(voxd_project project) const { return find_live(project) != live_.end(); }
  [[nodiscard]] std::vector<LiveProject>::const_iterator find_live(voxd_project project) const {
    return std::find_if(live_.begin(), live_.end(), [&](const LiveProject& p) { return p.handle == project; });
  }

  // What a call naming `project` may return: a handle that is not live is always refused, with
  // STALE_HANDLE unless an argument checked before the project is invalid; a live one is never stale.
  // expect_handle for an edit that reports how many voxels it changed (when asked: not in the variant).
  void expect_edit(voxd_status status, voxd_project project, bool args_valid, std::int64_t changed) {
    expect_handle(status, project, args_valid);
    if (status == VOXD_OK && !variant_) {
      require(changed >= 0, "a negative changed count", call_);
    }
  }

  void expect_handle(voxd_status status, voxd_project project, bool args_valid) {
    if (!is_live(project)) {
      require(status != VOXD_OK, "a call on a closed or forged handle succeeded", call_);
      if (args_valid) {
        require(status == VOXD_ERROR_STALE_HANDLE, "a closed or forged handle did not give STALE_HANDLE", call_);
      }
    } else {
      require(status != VOXD_ERROR_STALE_HANDLE, "a live handle was reported stale", call_);
    }
  }

  // A new handle from create / copy / open: non-zero, not live already, and within the project limit.
  void adopt(voxd_project project, std::uint8_t slot, std::string name) {
    require(project != 0, "a new project got the handle 0", call_);
    require(!is_live(project), "a new project got the handle of a live one", call_);
    require(live_.size() < kMaxProjects, "more projects open than max_projects", call_);
    live_.push_back({project, std::move(name)});
    slots_[slot % kSlots] = project;
  }

  // After a refused create / copy / open: LIMIT_EXCEEDED exactly when the engine is full.
  void expect_refused_when_full(voxd_status status) {
    if (live_.size() >= kMaxProjects) {
      require(status == VOXD_ERROR_LIMIT_EXCEEDED, "a full engine did not refuse with LIMIT_EXCEEDED", call_);
    }
  }

  void check_project_count() {
    null_error_ = false;
    call_ = "voxd_engine_project_count";
    std::size_t count = 0;
    require(checked(voxd_engine_project_count(engine_, &count, err())) == VOXD_OK, "failed", call_);
    require(count == live_.size(), "the engine's project count differs from the handles created and closed", call_);
  }

  // The project's info, or nullopt-like false when the call fails (the handle is not live).
  bool info(voxd_project project, voxd_project_info* out) {
    const bool saved = null_error_;
    const char* saved_call = call_;
    null_error_ = false;
    call_ = "voxd_project_get_info";
    *out = voxd_project_info{};
    out->struct_size = sizeof(voxd_project_info);
    const voxd_status status = checked(voxd_project_get_info(engine_, project, out, err()));
    expect_handle(status, project, true);
    null_error_ = saved;
    call_ = saved_call;
    if (status != VOXD_OK) {
      return false;
    }
    require(out->voxel_count >= 0 && out->voxel_count <= kMaxVoxels, "voxel_count outside [0, max_voxels]",
            "voxd_project_get_info");
    require(out->layer_count >= 1 && out->layer_count <= kMaxLayers, "layer_count outside [1, max_layers]",
            "voxd_project_get_info");
    require(out->undo_depth <= kMaxHistorySteps, "undo_depth over max_history_steps", "voxd_project_get_info");
    require(out->active_layer_id != 0, "the active layer id is 0", "voxd_project_get_info");
    return true;
  }

  // ---------------------------------------- argument choice ----------------------------------------

  // A slot of the handle table (live, closed or never filled) or a forged raw value.
  voxd_project pick_project() {
    const std::uint8_t b = in_.u8();
    return (b & 0x08U) == 0 ? slots_[b % kSlots] : kForgedHandles[b % kForgedHandles.size()];
  }

  // Small ids name the first layers (0 = active / visible); others are ids no project has.
  std::uint32_t pick_layer() {
    const std::uint8_t b = in_.u8();
    return b < 0xC0U ? b % 8U : kOddLayers[b % kOddLayers.size()];
  }

  // A name: empty, plain, NUL-terminated, arbitrary bytes (non-UTF-8 included), or one the ABI must refuse
  // (NULL, an embedded NUL, over VOXD_MAX_NAME_BYTES).
  StringArg pick_name() {
    StringArg s;
    switch (in_.u8() % 8U) {
      case 0: break;
      case 1: s.storage = "layer"; break;
      case 2:
        s.storage = "terminated";
        s.terminated = true;
        break;
      case 3: s.storage = std::string(in_.blob(32)); break;
      case 4: s.storage = "\xff\xfe\xc0\x80 not UTF-8"; break;
      case 5:
        s.null = true;
        s.storage = "abc";
        break;
      case 6: s.storage = std::string("a\0b", 3); break;
      default: s.storage = std::string(VOXD_MAX_NAME_BYTES + 1, 'n'); break;
    }
    s.valid = !s.null && s.storage.size() <= VOXD_MAX_NAME_BYTES && s.storage.find('\0') == std::string::npos;
    return s;
  }

  // ---------------------------------------- the program ----------------------------------------

  void step(std::uint8_t opcode) {
    null_error_ = (opcode & kNullError) != 0;
    misuse_ = (opcode & kMisuse) != 0;
    variant_ = (opcode & kVariant) != 0;
    switch (static_cast<Op>(opcode & kOpMask)) {
      case Op::create: return create();
      case Op::close: return close();
      case Op::copy: return copy();
      case Op::voxels_set: return voxels_set();
      case Op::voxels_remove: return voxels_remove();
      case Op::voxels_get: return voxels_get();
      case Op::read_box: return read_box();
      case Op::layer_clear: return layer_edit(Op::layer_clear);
      case Op::shape_apply: return shape_apply();
      case Op::line_draw: return line_draw();
      case Op::flood_fill: return flood_fill();
      case Op::region_move: return region_move();
      case Op::layer_add: return layer_add();
      case Op::layer_remove: return layer_edit(Op::layer_remove);
      case Op::layer_rename: return layer_rename();
      case Op::layer_move: return layer_edit(Op::layer_move);
      case Op::layer_duplicate: return layer_edit(Op::layer_duplicate);
      case Op::layer_set_visible: return layer_edit(Op::layer_set_visible);
      case Op::layer_select: return layer_edit(Op::layer_select);
      case Op::layer_merge: return layer_edit(Op::layer_merge);
      case Op::layer_list: return layer_list();
      case Op::layer_get_name: return layer_get_name();
      case Op::undo: return history(false);
      case Op::redo: return history(true);
      case Op::info: return project_info();
      case Op::export_reopen: return export_reopen();
      case Op::export_bytes: return export_bytes();
      case Op::list_projects: return list_projects();
      case Op::queries: return queries();
      case Op::render_mesh: return render_mesh();
      case Op::misuse: return misuse();
      case Op::open_bytes: return open_bytes();
    }
  }

  void create() {
    const std::uint8_t slot = in_.u8();
    const StringArg name = pick_name();
    voxd_project out = 0;
    call_ = "voxd_project_create";
    const voxd_status status =
        checked(voxd_project_create(engine_, name.text(), name.length(), misuse_ ? nullptr : &out, err()));
    if (status == VOXD_OK) {
      require(name.valid && !misuse_, "an invalid create succeeded", call_);
      adopt(out, slot, name.storage);
      return;
    }
    if (name.valid && !misuse_) {
      require(live_.size() >= kMaxProjects, "a valid create failed below max_projects", call_);
      expect_refused_when_full(status);
    }
  }

  void close() {
    const voxd_project project = pick_project();
    call_ = "voxd_project_close";
    const voxd_status status = checked(voxd_project_close(misuse_ ? nullptr : engine_, project, err()));
    if (misuse_) {
      require(status == VOXD_ERROR_INVALID_ARGUMENT, "a NULL engine was not refused", call_);
      return;
    }
    expect_handle(status, project, true);
    if (status == VOXD_OK) {
      live_.erase(find_live(project));
    }
  }

  void copy() {
    const voxd_project project = pick_project();
    const std::uint8_t slot = in_.u8();
    const StringArg name = pick_name();
    voxd_project_info before{};
    const bool had_info = info(project, &before);
    voxd_project out = 0;
    call_ = "voxd_project_copy";
    const voxd_status status = checked(voxd_project_copy(engine_, project, name.text(), name.length(), &out, err()));
    expect_handle(status, project, name.valid);
    if (status != VOXD_OK) {
      if (name.valid && had_info) {
        require(live_.size() >= kMaxProjects, "a valid copy failed below max_projects", call_);
        expect_refused_when_full(status);
      }
      return;
    }
    adopt(out, slot, name.storage);
    voxd_project_info after{};
    require(info(out, &after), "the copy has no info", call_);
    require(had_info && after.voxel_count == before.voxel_count && after.layer_count == before.layer_count,
            "the copy's voxels or layers differ from its source", call_);
    require(after.undo_depth == 0 && after.redo_depth == 0, "the copy has history", call_);
  }

  void voxels_set() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    const std::size_t count = in_.u8() % 5U;
    std::vector<voxd_voxel> voxels(count);
    for (voxd_voxel& v : voxels) {
      const voxd_vec3 p = in_.vec();
      v = {p.x, p.y, p.z, in_.color()};
    }
    // The layer the voxels land on, to read them back (0 reads the merged visible layers instead).
    std::uint32_t target = layer;
    voxd_project_info before{};
    if (layer == VOXD_LAYER_ACTIVE && info(project, &before)) {
      target = before.active_layer_id;
    }
    const bool null_array = misuse_ && count > 0;
    call_ = "voxd_voxels_set";
    const voxd_status status =
        checked(voxd_voxels_set(engine_, project, layer, null_array ? nullptr : voxels.data(), count, err()));
    expect_handle(status, project, !null_array);
    if (status != VOXD_OK) {
      return;
    }
    // Each position written once reads back as written (alpha 0 removes).
    for (std::size_t i = 0; i < count; ++i) {
      const auto same_position = [&](const voxd_voxel& o) {
        return o.x == voxels[i].x && o.y == voxels[i].y && o.z == voxels[i].z;
      };
      if (std::count_if(voxels.begin(), voxels.end(), same_position) != 1) {
        continue;
      }
      const voxd_vec3 position{voxels[i].x, voxels[i].y, voxels[i].z};
      voxd_color got{1, 2, 3, 4};
      call_ = "voxd_voxels_get after voxd_voxels_set";
      require(checked(voxd_voxels_get(engine_, project, target, &position, 1, &got, err())) == VOXD_OK,
              "reading back failed", call_);
      const voxd_color want = voxels[i].color.a == 0 ? voxd_color{0, 0, 0, 0} : voxels[i].color;
      require(std::memcmp(&got, &want, sizeof(want)) == 0, "a voxel set reads back another colour", call_);
    }
  }

  void voxels_remove() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    const std::size_t count = in_.u8() % 5U;
    std::vector<voxd_vec3> positions(count);
    for (voxd_vec3& p : positions) {
      p = in_.vec();
    }
    const bool null_array = misuse_ && count > 0;
    call_ = "voxd_voxels_remove";
    const voxd_status status =
        checked(voxd_voxels_remove(engine_, project, layer, null_array ? nullptr : positions.data(), count, err()));
    expect_handle(status, project, !null_array);
    if (status != VOXD_OK || count == 0) {
      return;
    }
    voxd_color got{1, 2, 3, 4};
    std::uint32_t target = layer;
    voxd_project_info now{};
    if (layer == VOXD_LAYER_ACTIVE && info(project, &now)) {
      target = now.active_layer_id;
    }
    call_ = "voxd_voxels_get after voxd_voxels_remove";
    require(checked(voxd_voxels_get(engine_, project, target, positions.data(), 1, &got, err())) == VOXD_OK,
            "reading back failed", call_);
    require(got.r == 0 && got.g == 0 && got.b == 0 && got.a == 0, "a removed voxel is still there", call_);
  }

  void voxels_get() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    const std::size_t count = in_.u8() % 5U;
    std::vector<voxd_vec3> positions(count);
    for (voxd_vec3& p : positions) {
      p = in_.vec();
    }
    std::vector<voxd_color> colors(count);
    const bool null_out = misuse_ && count > 0;
    call_ = "voxd_voxels_get";
    const voxd_status status = checked(
        voxd_voxels_get(engine_, project, layer, positions.data(), count, null_out ? nullptr : colors.data(), err()));
    expect_handle(status, project, !null_out);
  }

  void read_box() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    voxd_box box = in_.box();
    const std::size_t capacity = in_.u8() % 65U;
    // An exact-size buffer: ASan sees any write past capacity.
    std::vector<voxd_voxel> out(capacity);
    bool valid = true;
    if (misuse_) {
      std::swap(box.min.x, box.max.x);  // min > max unless the box is flat in x
      valid = box.min.x <= box.max.x;
    }
    if (variant_) {
      box.max.z = VOXD_MAX_COORD + 1;  // out of the coordinate range (the int32 still holds it)
      valid = false;
    }
    std::size_t count = 0;
    call_ = "voxd_voxels_read_box";
    const voxd_status status = checked(voxd_voxels_read_box(
        engine_, project, layer, &box, capacity == 0 ? nullptr : out.data(), capacity, &count, err()));
    expect_handle(status, project, valid);
    if (status != VOXD_OK) {
      return;
    }
    require(valid, "an invalid box was accepted", call_);
    for (std::size_t i = 0; i < std::min(count, capacity); ++i) {
      const voxd_voxel& v = out[i];
      require(v.x >= box.min.x && v.x <= box.max.x && v.y >= box.min.y && v.y <= box.max.y && v.z >= box.min.z &&
                  v.z <= box.max.z,
              "a voxel read lies outside the box", call_);
      require(v.color.a != 0, "an empty voxel was read", call_);
    }
  }

  void shape_apply() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    voxd_shape shape{};
    shape.struct_size = sizeof(shape);
    // Kinds and modes a little past their ranges, so refusals are exercised too.
    shape.kind = static_cast<voxd_shape_kind>(in_.u8() % 5U) - 1;
    shape.mode = static_cast<voxd_blend_mode>(in_.u8() % 12U) - 1;
    shape.bounds = in_.box();
    shape.color = in_.color();
    bool valid = shape.kind >= VOXD_SHAPE_BOX && shape.kind <= VOXD_SHAPE_CYLINDER && shape.mode >= VOXD_BLEND_OVER &&
                 shape.mode <= VOXD_BLEND_REPLACE;
    if (misuse_) {
      shape.struct_size = in_.u8() % (sizeof(shape) + 8U);  // too small or too large is refused
      valid = valid && shape.struct_size == sizeof(shape);
    }
    std::int64_t changed = -1;
    call_ = "voxd_shape_apply";
    const voxd_status status =
        checked(voxd_shape_apply(engine_, project, layer, &shape, variant_ ? nullptr : &changed, err()));
    expect_edit(status, project, valid, changed);
  }

  void line_draw() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    voxd_vec3 from = in_.vec();
    const voxd_vec3 to = in_.vec();
    const voxd_color color = in_.color();
    const auto mode = static_cast<voxd_blend_mode>(in_.u8() % 12U) - 1;
    bool valid = mode >= VOXD_BLEND_OVER && mode <= VOXD_BLEND_REPLACE;
    if (misuse_) {
      from.y = VOXD_MIN_COORD - 1;
      valid = false;
    }
    std::int64_t changed = -1;
    call_ = "voxd_line_draw";
    const voxd_status status =
        checked(voxd_line_draw(engine_, project, layer, from, to, color, mode, variant_ ? nullptr : &changed, err()));
    expect_edit(status, project, valid, changed);
  }

  void flood_fill() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    voxd_flood_fill_options options{};
    options.struct_size = sizeof(options);
    options.seed = in_.vec();
    options.color = in_.color();
    options.tolerance = in_.u8();
    options.has_bounds = (in_.u8() & 1U) != 0;
    options.bounds = in_.box();
    options.max_voxels = in_.u16();
    bool valid = true;
    if (misuse_) {
      options.max_voxels = -1;
      valid = false;
    }
    if (variant_) {
      std::swap(options.bounds.min, options.bounds.max);  // inverted when the box is not a single voxel
      valid = valid && (!options.has_bounds ||
                        (options.bounds.min.x <= options.bounds.max.x && options.bounds.min.y <= options.bounds.max.y &&
                         options.bounds.min.z <= options.bounds.max.z));
    }
    std::int64_t filled = -1;
    call_ = "voxd_flood_fill";
    const voxd_status status = checked(voxd_flood_fill(engine_, project, layer, &options, &filled, err()));
    expect_handle(status, project, valid);
    if (status == VOXD_OK) {
      require(valid, "invalid fill options were accepted", call_);
      require(
          filled >= 0 && filled <= kMaxVoxelsPerOperation && (options.max_voxels == 0 || filled <= options.max_voxels),
          "the fill count is outside [0, max_voxels]", call_);
    }
  }

  void region_move() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    const voxd_box source = in_.box();
    voxd_vec3 offset = in_.vec();
    const bool keep_source = (in_.u8() & 1U) != 0;
    bool valid = true;
    if (misuse_) {
      offset.x = VOXD_MAX_COORD + 1;
      valid = false;
    }
    std::int64_t moved = -1;
    call_ = "voxd_region_move";
    const voxd_status status = checked(
        voxd_region_move(engine_, project, layer, variant_ ? nullptr : &source, offset, keep_source, &moved, err()));
    expect_handle(status, project, valid && !variant_);
    if (status == VOXD_OK) {
      require(moved >= 0, "a negative moved count", call_);
    }
  }

  void layer_add() {
    const voxd_project project = pick_project();
    const StringArg name = pick_name();
    std::uint32_t id = 0;
    voxd_project_info before{};
    const bool had_info = info(project, &before);
    call_ = "voxd_layer_add";
    const voxd_status status =
        checked(voxd_layer_add(engine_, project, name.text(), name.length(), variant_ ? nullptr : &id, err()));
    expect_handle(status, project, name.valid);
    if (status != VOXD_OK) {
      if (had_info && name.valid && before.layer_count < kMaxLayers) {
        fail("a valid layer_add failed below max_layers", call_);
      }
      return;
    }
    voxd_project_info after{};
    require(had_info && info(project, &after), "no info around a successful layer_add", call_);
    require(after.layer_count == before.layer_count + 1, "layer_add did not add one layer", call_);
    if (!variant_) {
      require(id != 0 && after.active_layer_id == id, "the new layer is not the active one", call_);
    }
  }

  void layer_rename() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    const StringArg name = pick_name();
    call_ = "voxd_layer_rename";
    const voxd_status status = checked(voxd_layer_rename(engine_, project, layer, name.text(), name.length(), err()));
    expect_handle(status, project, name.valid);
  }

  // Layer calls whose only arguments are ids, an index or a flag.
  void layer_edit(Op op) {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    voxd_status status = VOXD_OK;
    switch (op) {
      case Op::layer_clear:
        call_ = "voxd_layer_clear";
        status = voxd_layer_clear(engine_, project, layer, err());
        break;
      case Op::layer_remove:
        call_ = "voxd_layer_remove";
        status = voxd_layer_remove(engine_, project, layer, err());
        break;
      case Op::layer_move: {
        const std::uint8_t b = in_.u8();
        const std::size_t index = misuse_ ? SIZE_MAX - b : b % 8U;
        call_ = "voxd_layer_move";
        status = voxd_layer_move(engine_, project, layer, index, err());
        break;
      }
      case Op::layer_duplicate: {
        std::uint32_t id = 0;
        call_ = "voxd_layer_duplicate";
        status = voxd_layer_duplicate(engine_, project, layer, variant_ ? nullptr : &id, err());
        if (status == VOXD_OK && !variant_) {
          require(id != 0 && id != layer, "the duplicate has no new id", call_);
        }
        break;
      }
      case Op::layer_set_visible:
        call_ = "voxd_layer_set_visible";
        status = voxd_layer_set_visible(engine_, project, layer, variant_, err());
        break;
      case Op::layer_select:
        call_ = "voxd_layer_select";
        status = voxd_layer_select(engine_, project, layer, err());
        break;
      default: {
        const std::uint32_t lower = pick_layer();
        call_ = "voxd_layer_merge";
        status = voxd_layer_merge(engine_, project, layer, lower, err());
        break;
      }
    }
    expect_handle(checked(status), project, true);
  }

  void layer_list() {
    const voxd_project project = pick_project();
    const std::size_t capacity = in_.u8() % 9U;
    std::vector<voxd_layer_info> layers(capacity);
    std::size_t count = 0;
    const bool null_out = misuse_ && capacity > 0;
    call_ = "voxd_layer_list";
    const voxd_status status = checked(voxd_layer_list(
        engine_, project, (null_out || capacity == 0) ? nullptr : layers.data(), capacity, &count, err()));
    expect_handle(status, project, !null_out);
    if (status != VOXD_OK) {
      return;
    }
    require(count >= 1 && count <= kMaxLayers, "layer count outside [1, max_layers]", call_);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < std::min(count, capacity); ++i) {
      require(layers[i].id != 0 && layers[i].voxel_count >= 0, "a layer with id 0 or negative voxels", call_);
      for (std::size_t j = 0; j < i; ++j) {
        require(layers[i].id != layers[j].id, "two layers share an id", call_);
      }
      total += layers[i].voxel_count;
    }
    voxd_project_info now{};
    require(info(project, &now), "no info for a listed project", call_);
    require(now.layer_count == count, "layer_list and get_info disagree on the layer count", call_);
    if (capacity >= count) {
      require(total == now.voxel_count, "the layers' voxels do not add up to the project's", call_);
    }
  }

  void layer_get_name() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    const std::size_t capacity = in_.u8() % 12U;
    std::vector<char> out(capacity);
    std::size_t length = 0;
    call_ = "voxd_layer_get_name";
    const voxd_status status = checked(voxd_layer_get_name(
        engine_, project, layer, capacity == 0 ? nullptr : out.data(), capacity, misuse_ ? nullptr : &length, err()));
    expect_handle(status, project, !misuse_);
    if (status == VOXD_OK && capacity > 0) {
      require(out[std::min(length, capacity - 1)] == '\0', "the name is not NUL-terminated where it ends", call_);
      require(length <= VOXD_MAX_NAME_BYTES, "the name is longer than VOXD_MAX_NAME_BYTES", call_);
    }
    if (status == VOXD_OK) {
      require(layer != 0, "layer 0 has a name", call_);
    }
  }

  // Undo (or redo) succeeds exactly when the history has a step, and moves one step between the stacks. With
  // kVariant, the step is taken back at once and must restore the voxel and layer counts.
  void history(bool redo) {
    const voxd_project project = pick_project();
    voxd_project_info before{};
    const bool had_info = info(project, &before);
    call_ = redo ? "voxd_project_redo" : "voxd_project_undo";
    const voxd_status status =
        checked(redo ? voxd_project_redo(engine_, project, err()) : voxd_project_undo(engine_, project, err()));
    expect_handle(status, project, true);
    if (!had_info) {
      return;
    }
    const std::uint64_t available = redo ? before.redo_depth : before.undo_depth;
    if (available == 0) {
      require(status == VOXD_ERROR_NOTHING_TO_DO, "an empty history did not give NOTHING_TO_DO", call_);
      return;
    }
    require(status == VOXD_OK, "a step in the history could not be taken", call_);
    voxd_project_info after{};
    require(info(project, &after), "no info after a history step", call_);
    const std::uint64_t from_after = redo ? after.redo_depth : after.undo_depth;
    const std::uint64_t to_after = redo ? after.undo_depth : after.redo_depth;
    const std::uint64_t to_before = redo ? before.undo_depth : before.redo_depth;
    require(from_after == available - 1, "the history step did not leave its stack", call_);
    require(to_after == to_before + 1 || to_after == kMaxHistorySteps, "the history step is not on the other stack",
            call_);
    if (!variant_) {
      return;
    }
    call_ = redo ? "voxd_project_undo after redo" : "voxd_project_redo after undo";
    require(checked(redo ? voxd_project_undo(engine_, project, err()) : voxd_project_redo(engine_, project, err())) ==
                VOXD_OK,
            "the step just taken cannot be taken back", call_);
    voxd_project_info back{};
    require(info(project, &back), "no info after taking a step back", call_);
    require(back.voxel_count == before.voxel_count && back.layer_count == before.layer_count &&
                back.active_layer_id == before.active_layer_id,
            "undo then redo (or back) did not restore the project", call_);
  }

  void project_info() {
    const voxd_project project = pick_project();
    voxd_project_info out{};
    // struct_size from the program when misused: smaller sizes get fewer fields, under sizeof(size_t) is refused.
    out.struct_size = misuse_ ? in_.u8() % (sizeof(out) + 1U) : sizeof(out);
    const std::size_t given = out.struct_size;
    call_ = "voxd_project_get_info";
    const voxd_status status = checked(voxd_project_get_info(engine_, project, variant_ ? nullptr : &out, err()));
    expect_handle(status, project, !variant_);
    if (status == VOXD_OK) {
      require(out.struct_size == given, "get_info changed struct_size", call_);
      require(given >= sizeof(std::size_t), "a struct_size below sizeof(size_t) was accepted", call_);
    }
    const std::size_t capacity = in_.u8() % 16U;
    std::vector<char> name(capacity);
    std::size_t length = 0;
    call_ = "voxd_project_get_name";
    const voxd_status name_status = checked(voxd_project_get_name(
        engine_, project, capacity == 0 ? nullptr : name.data(), capacity, misuse_ ? nullptr : &length, err()));
    expect_handle(name_status, project, !misuse_);
    if (name_status == VOXD_OK && capacity > 0) {
      require(name[std::min(length, capacity - 1)] == '\0', "the name is not NUL-terminated where it ends", call_);
    }
    if (name_status == VOXD_OK) {
      // The name it was given (or its file's stem), cut like snprintf.
      const std::string& want = find_live(project)->name;
      require(length == want.size(), "the project's name has another length", call_);
      const std::size_t shown = capacity == 0 ? 0 : std::min(length, capacity - 1);
      require(want.compare(0, shown, name.data(), shown) == 0, "the project's name differs", call_);
    }
  }

  // Exports into a caller buffer (asking for the size first), then opens the file again from memory: a .gox
  // comes back with the same voxels and layers.
  void export_reopen() {
    const voxd_project project = pick_project();
    const std::uint8_t slot = in_.u8();
    const std::size_t format_index = in_.u8() % kFormats.size();
    const std::string_view format = kFormats[format_index];
    // Index 7 is ".GOX"; the last, "gox.vox", is a .vox by its last extension.
    const bool valid_format = format_index < 8 || format == "gox.vox";
    const bool format_nonempty = format != "" && format != ".";
    voxd_project_info source{};
    const bool had_info = info(project, &source);

    std::size_t size = 0;
    call_ = "voxd_project_export_to_buffer (size)";
    voxd_status status = checked(
        voxd_project_export_to_buffer(engine_, project, format.data(), format.size(), nullptr, 0, &size, err()));
    expect_handle(status, project, format_nonempty);
    if (status != VOXD_OK) {
      require(!valid_format || !had_info, "an export in a known format failed", call_);
      return;
    }
    require(valid_format, "an unknown format was exported", call_);
    require(size > 0, "an export of zero bytes", call_);

    if (misuse_) {
      // One byte short: refused with LIMIT_EXCEEDED and the size again.
      std::vector<std::uint8_t> small(size - 1);
      std::size_t needed = 0;
      call_ = "voxd_project_export_to_buffer (short)";
      status =
          checked(voxd_project_export_to_buffer(engine_, project, format.data(), format.size(),
                                                small.empty() ? nullptr : small.data(), small.size(), &needed, err()));
      require(small.empty() ? status == VOXD_OK : status == VOXD_ERROR_LIMIT_EXCEEDED,
              "a short buffer was not refused with LIMIT_EXCEEDED", call_);
      require(needed == size, "the size changed between two exports", call_);
    }

    std::vector<std::uint8_t> file(size);
    std::size_t written = 0;
    call_ = "voxd_project_export_to_buffer";
    status = checked(voxd_project_export_to_buffer(engine_, project, format.data(), format.size(), file.data(),
                                                   file.size(), &written, err()));
    require(status == VOXD_OK && written == size, "the export into a buffer of its size failed", call_);

    // Opened under a name with the format's extension (content decides first anyway).
    std::string name = "reopened.";
    name += format.starts_with('.') ? format.substr(1) : format;
    voxd_project reopened = 0;
    call_ = "voxd_project_open_bytes (export)";
    status = checked(voxd_project_open_bytes(engine_, file.data(), file.size(), name.c_str(), VOXD_NUL_TERMINATED,
                                             &reopened, err()));
    const bool readable = format_index < kReadableFormats || format == ".GOX" || format == "gox.vox";
    if (status != VOXD_OK) {
      if (readable) {
        require(status == VOXD_ERROR_LIMIT_EXCEEDED && live_.size() >= kMaxProjects,
                "voxd cannot open a file it exported", call_);
      }
      return;
    }
    adopt(reopened, slot, format == "gox.vox" ? "reopened.gox" : "reopened");  // named after the file's stem
    voxd_project_info back{};
    require(info(reopened, &back), "no info for the reopened project", call_);
    if (format == "gox" || format == ".GOX") {
      require(back.voxel_count == source.voxel_count && back.layer_count == source.layer_count,
              "a .gox round trip changed the voxel or layer count", call_);
    }
  }

  // Exports as library-owned bytes; freeing twice is a no-op.
  void export_bytes() {
    const voxd_project project = pick_project();
    const std::string_view format = kFormats[in_.u8() % kFormats.size()];
    voxd_bytes bytes{};
    call_ = "voxd_project_export";
    const voxd_status status =
        checked(voxd_project_export(engine_, project, misuse_ ? nullptr : format.data(),
                                    variant_ ? VOXD_NUL_TERMINATED : format.size(), &bytes, err()));
    expect_handle(status, project, !misuse_ && format != "" && format != ".");
    if (status == VOXD_OK) {
      require(bytes.data != nullptr && bytes.size > 0, "an export returned no bytes", call_);
    } else {
      require(bytes.data == nullptr && bytes.size == 0, "a failed export returned bytes", call_);
    }
    voxd_bytes_free(&bytes);
    require(bytes.data == nullptr && bytes.size == 0, "voxd_bytes_free did not clear the bytes", call_);
    voxd_bytes_free(&bytes);
    voxd_bytes_free(nullptr);
  }

  // The engine lists exactly the live handles.
  void list_projects() {
    const std::size_t capacity = in_.u8() % (kMaxProjects + 2U);
    std::vector<std::uint64_t> handles(capacity);
    std::size_t count = 0;
    call_ = "voxd_engine_list_projects";
    const voxd_status status = checked(voxd_engine_list_projects(engine_, capacity == 0 ? nullptr : handles.data(),
                                                                 capacity, misuse_ ? nullptr : &count, err()));
    if (misuse_) {
      require(status == VOXD_ERROR_INVALID_ARGUMENT, "a NULL out_count was not refused", call_);
      return;
    }
    require(status == VOXD_OK, "listing failed", call_);
    require(count == live_.size(), "the list's length differs from the live handles", call_);
    for (std::size_t i = 0; i < std::min(count, capacity); ++i) {
      require(is_live(handles[i]), "a listed handle is not live", call_);
    }
  }

  void queries() {
    const voxd_project project = pick_project();
    const std::uint32_t layer = pick_layer();
    const std::size_t capacity = in_.u8() % 9U;
    const bool null_out = misuse_;

    voxd_box box{};
    bool found = false;
    call_ = "voxd_query_bounding_box";
    voxd_status status =
        checked(voxd_query_bounding_box(engine_, project, layer, &box, null_out ? nullptr : &found, err()));
    expect_handle(status, project, !null_out);

    std::int64_t count = -1;
    call_ = "voxd_query_count";
    status = checked(voxd_query_count(engine_, project, layer, null_out ? nullptr : &count, err()));
    expect_handle(status, project, !null_out);
    if (status == VOXD_OK) {
      require(count >= 0 && count <= kMaxVoxels, "a count outside [0, max_voxels]", call_);
    }

    std::vector<voxd_color_count> histogram(capacity);
    std::size_t n = 0;
    call_ = "voxd_query_histogram";
    status = checked(voxd_query_histogram(engine_, project, layer, capacity == 0 ? nullptr : histogram.data(), capacity,
                                          null_out ? nullptr : &n, err()));
    expect_handle(status, project, !null_out);
    if (status == VOXD_OK) {
      for (std::size_t i = 1; i < std::min(n, capacity); ++i) {
        require(histogram[i - 1].count >= histogram[i].count, "the histogram is not most frequent first", call_);
      }
    }

    std::vector<voxd_color> colors(capacity);
    call_ = "voxd_query_unique_colors";
    status = checked(voxd_query_unique_colors(engine_, project, layer, capacity == 0 ? nullptr : colors.data(),
                                              capacity, null_out ? nullptr : &n, err()));
    expect_handle(status, project, !null_out);

    std::vector<voxd_vec3> positions(capacity);
    call_ = "voxd_query_find_color";
    const voxd_color wanted = in_.color();
    const std::uint8_t tolerance = in_.u8();
    status = checked(voxd_query_find_color(engine_, project, layer, wanted, tolerance,
                                           capacity == 0 ? nullptr : positions.data(), capacity,
                                           null_out ? nullptr : &n, err()));
    expect_handle(status, project, !null_out);
  }

  // A small render (or a refused size or view) and a mesh in each format (or an unknown one).
  void render_mesh() {
    const voxd_project project = pick_project();
    voxd_render_options options{};
    options.struct_size = sizeof(options);
    options.view = static_cast<voxd_view>(in_.u8() % 10U) - 1;
    options.width = 1 + in_.u8() % 32;
    options.height = 1 + in_.u8() % 32;
    // The options appended after 0.1.0: the look's switches, and a free camera that may be out of range.
    const std::uint8_t look = in_.u8();
    options.disable_ambient_occlusion = static_cast<std::int32_t>(look & 1U);
    options.disable_shadows = static_cast<std::int32_t>((look >> 1U) & 1U);
    options.edges = static_cast<std::int32_t>((look >> 2U) & 1U);
    options.perspective = static_cast<std::int32_t>((look >> 3U) & 1U);
    options.background = (look & 16U) != 0 ? 0x203040FFU : 0U;
    options.yaw = (in_.u8() - 128) * 3.0;                      // -384..381: valid within -360..360
    options.pitch = (in_.u8() - 128) * 0.75;                   // -96..95.25: valid within -90..90
    options.distance = (look & 32U) != 0 ? in_.u8() * 0.5 : 0;  // 0 fits; 0.5 is below the minimum of 1
    bool valid = options.view >= VOXD_VIEW_ISO && options.view <= VOXD_VIEW_FREE;
    if (options.view == VOXD_VIEW_FREE) {
      valid = valid && options.yaw >= -360 && options.yaw <= 360 && options.pitch >= -90 && options.pitch <= 90 &&
              (options.distance == 0 || options.distance >= 1);
    }
    if (misuse_) {
      options.width = variant_ ? 0 : 4097;
      valid = false;
    }
    voxd_bytes png{};
    call_ = "voxd_render_png";
    voxd_status status = checked(voxd_render_png(engine_, project, &options, &png, err()));
    expect_handle(status, project, valid);
    voxd_bytes_free(&png);

    // A contact sheet of these options beside the defaults (a NULL entry); a count of 0 is a misuse.
    const voxd_render_options* shots[2] = {&options, nullptr};
    const std::size_t count = misuse_ && variant_ ? 0 : 1 + in_.u8() % 2U;
    call_ = "voxd_render_sheet_png";
    status = checked(voxd_render_sheet_png(engine_, project, shots, count, &png, err()));
    expect_handle(status, project, valid && count > 0);
    voxd_bytes_free(&png);

    const auto format = static_cast<voxd_mesh_format>(in_.u8() % 5U) - 1;
    voxd_bytes mesh{};
    voxd_mesh_stats stats{};
    call_ = "voxd_mesh_export";
    status = checked(voxd_mesh_export(engine_, project, format, &mesh, variant_ ? nullptr : &stats, err()));
    expect_handle(status, project, format >= VOXD_MESH_OBJ && format <= VOXD_MESH_STL);
    if (status == VOXD_OK && !variant_) {
      require(stats.quads >= 0 && stats.quads <= stats.unmerged_quads && stats.triangles == 2 * stats.quads,
              "mesh stats do not add up", call_);
    }
    voxd_bytes_free(&mesh);
  }

  // Calls without a usable engine or with NULL outs, status names of any value, a second engine.
  void misuse() {
    const voxd_project project = pick_project();
    const std::uint8_t which = in_.u8();
    std::size_t count = 0;
    voxd_project out = 0;
    call_ = "misuse";
    switch (which % 8U) {
      case 0:
        call_ = "voxd_engine_project_count (NULL engine)";
        require(checked(voxd_engine_project_count(nullptr, &count, err())) == VOXD_ERROR_INVALID_ARGUMENT,
                "a NULL engine was not refused", call_);
        break;
      case 1:
        call_ = "voxd_project_create (NULL engine)";
        require(checked(voxd_project_create(nullptr, "x", 1, &out, err())) == VOXD_ERROR_INVALID_ARGUMENT,
                "a NULL engine was not refused", call_);
        break;
      case 2:
        call_ = "voxd_project_undo (NULL engine)";
        require(checked(voxd_project_undo(nullptr, project, err())) == VOXD_ERROR_INVALID_ARGUMENT,
                "a NULL engine was not refused", call_);
        break;
      case 3: {
        // Any int has a static name; unknown ones are "unknown error".
        const auto status = static_cast<voxd_status>(static_cast<std::int8_t>(in_.u8()));
        const char* name = voxd_status_name(status);
        require(name != nullptr && name[0] != '\0', "a status without a name", "voxd_status_name");
        require(voxd_error_code(nullptr) == VOXD_ERROR_INVALID_ARGUMENT && voxd_error_message(nullptr)[0] == '\0',
                "the NULL error accessors", "voxd_error_code");
        voxd_error* none = nullptr;
        voxd_error_free(&none);
        voxd_error_free(nullptr);
        break;
      }
      case 4: {
        // A second engine knows none of the first one's handles.
        voxd_engine* other = nullptr;
        call_ = "voxd_engine_create (second engine)";
        require(checked(voxd_engine_create(nullptr, &other, err())) == VOXD_OK, "a default engine failed", call_);
        voxd_project_info unused{};
        unused.struct_size = sizeof(unused);
        call_ = "voxd_project_get_info (second engine)";
        require(checked(voxd_project_get_info(other, project, &unused, err())) == VOXD_ERROR_STALE_HANDLE,
                "a handle of another engine was not stale", call_);
        voxd_engine_destroy(&other);
        require(other == nullptr, "voxd_engine_destroy left the pointer set", call_);
        break;
      }
      case 5: {
        // Options a newer or broken caller might pass.
        voxd_engine_options options{};
        options.struct_size = in_.u8();
        options.max_voxels = -static_cast<std::int64_t>(in_.u8() & 1U);
        voxd_engine* other = nullptr;
        call_ = "voxd_engine_create (odd options)";
        const voxd_status status = checked(voxd_engine_create(&options, &other, err()));
        const bool valid = options.struct_size > sizeof(std::size_t) &&
                           options.struct_size <= sizeof(voxd_engine_options) &&
                           (options.struct_size < offsetof(voxd_engine_options, max_voxels) + sizeof(std::int64_t) ||
                            options.max_voxels == 0);
        require((status == VOXD_OK) == valid && (other != nullptr) == valid, "odd options were judged wrongly", call_);
        voxd_engine_destroy(&other);
        break;
      }
      case 6:
        call_ = "voxd_engine_create (NULL out)";
        require(checked(voxd_engine_create(nullptr, nullptr, err())) == VOXD_ERROR_INVALID_ARGUMENT,
                "a NULL out was not refused", call_);
        break;
      default: {
        // A name without its terminator within VOXD_MAX_NAME_BYTES.
        const std::string unterminated(VOXD_MAX_NAME_BYTES + 1, 'u');
        call_ = "voxd_layer_add (unterminated name)";
        const voxd_status status =
            checked(voxd_layer_add(engine_, project, unterminated.data(), VOXD_NUL_TERMINATED, nullptr, err()));
        // The string is read before the project is looked at.
        require(status == VOXD_ERROR_INVALID_ARGUMENT, "an unterminated name was not refused", call_);
        break;
      }
    }
  }

  // Bytes from the program opened as a file: never a crash, and a success is a project like any other.
  void open_bytes() {
    const std::uint8_t slot = in_.u8();
    static constexpr std::array<const char*, 5> kNames = {"blob.gox", "blob.vox", "blob.txt", "blob", "blob.obj"};
    const char* name = kNames[in_.u8() % kNames.size()];
    const std::string_view data = in_.blob(255);
    voxd_project out = 0;
    call_ = "voxd_project_open_bytes";
    const voxd_status status =
        checked(voxd_project_open_bytes(engine_, misuse_ ? nullptr : reinterpret_cast<const std::uint8_t*>(data.data()),
                                        data.size(), name, VOXD_NUL_TERMINATED, &out, err()));
    if (status == VOXD_OK) {
      require(!misuse_ || data.empty(), "NULL data was opened", call_);
      adopt(out, slot, "blob");  // named after the file's stem
      voxd_project_info opened{};
      require(info(out, &opened), "no info for an opened project", call_);
    }
  }

  Input in_;
  voxd_engine* engine_ = nullptr;
  std::array<voxd_project, kSlots> slots_{};
  std::vector<LiveProject> live_;  // the model: handles created and not yet closed
  voxd_error* error_ = nullptr;
  int sentinel_storage_ = 0;
  const char* call_ = "";
  bool null_error_ = false;
  bool misuse_ = false;
  bool variant_ = false;
  bool trace_ = std::getenv("VOXD_FUZZ_TRACE") != nullptr;  // prints every call: for reading a reproducer
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Program program(data, size);
  program.run();
  return 0;
}
