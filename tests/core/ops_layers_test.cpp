#include <gtest/gtest.h>

#include <string>

#include "ops_test_util.hpp"

namespace voxd::core {
namespace {

using testing::at;
using testing::deep_copy;
using testing::kBlue;
using testing::kGreen;
using testing::kRed;
using testing::put;

std::vector<std::uint32_t> ids(const Project& p) {
  std::vector<std::uint32_t> out;
  for (const Layer& l : p.layers()) {
    out.push_back(l.id);
  }
  return out;
}

TEST(OpsLayers, AddBecomesActiveOnTop) {
  Project p("t");
  const std::uint32_t first = p.layers()[0].id;
  const auto a = add_layer(p, "a");
  ASSERT_TRUE(a.ok());
  EXPECT_NE(*a, first);
  EXPECT_EQ(p.state().active_layer_id, *a);
  EXPECT_EQ(p.layers().back().name, "a");
  const auto unnamed = add_layer(p, "");
  ASSERT_TRUE(unnamed.ok());
  EXPECT_EQ(p.layers().back().name, "layer " + std::to_string(*unnamed));
  EXPECT_EQ(ids(p), (std::vector<std::uint32_t>{first, *a, *unnamed}));
}

TEST(OpsLayers, MaxLayersIsALimit) {
  ProjectLimits limits;
  limits.max_layers = 2;
  Project p("t", limits);
  ASSERT_TRUE(add_layer(p, "second").ok());
  const ProjectState before = p.state();
  const auto third = add_layer(p, "third");
  EXPECT_EQ(third.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(third.error().message.find("max_layers"), std::string::npos);
  EXPECT_EQ(duplicate_layer(p, kActiveLayer).code(), ErrorCode::limit_exceeded);
  EXPECT_EQ(p.state(), before);
}

TEST(OpsLayers, RemoveKeepsOneLayerAndFixesTheActiveOne) {
  Project p("t");
  const std::uint32_t bottom = p.layers()[0].id;
  EXPECT_EQ(remove_layer(p, bottom).code(), ErrorCode::invalid_argument);
  const auto middle = add_layer(p, "middle");
  const auto top = add_layer(p, "top");
  ASSERT_TRUE(middle.ok() && top.ok());
  ASSERT_TRUE(select_layer(p, *middle).ok());
  ASSERT_TRUE(remove_layer(p, kActiveLayer).ok());
  EXPECT_EQ(ids(p), (std::vector<std::uint32_t>{bottom, *top}));
  EXPECT_EQ(p.state().active_layer_id, bottom);  // the layer below takes over
  ASSERT_TRUE(remove_layer(p, bottom).ok());
  EXPECT_EQ(p.state().active_layer_id, *top);
  EXPECT_EQ(remove_layer(p, 999).code(), ErrorCode::not_found);
}

TEST(OpsLayers, RenameValidatesTheName) {
  Project p("t");
  ASSERT_TRUE(rename_layer(p, kActiveLayer, "ground").ok());
  EXPECT_EQ(p.layers()[0].name, "ground");
  EXPECT_EQ(rename_layer(p, kActiveLayer, std::string(256, 'x')).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(rename_layer(p, kActiveLayer, std::string("a\0b", 3)).code(), ErrorCode::invalid_argument);
  EXPECT_TRUE(rename_layer(p, kActiveLayer, std::string(255, 'x')).ok());
  EXPECT_EQ(rename_layer(p, 3, "x").code(), ErrorCode::not_found);
}

TEST(OpsLayers, MoveToAnIndex) {
  Project p("t");
  const std::uint32_t a = p.layers()[0].id;
  const std::uint32_t b = *add_layer(p, "b");
  const std::uint32_t c = *add_layer(p, "c");
  ASSERT_TRUE(move_layer(p, a, 2).ok());
  EXPECT_EQ(ids(p), (std::vector<std::uint32_t>{b, c, a}));
  ASSERT_TRUE(move_layer(p, a, 0).ok());
  EXPECT_EQ(ids(p), (std::vector<std::uint32_t>{a, b, c}));
  ASSERT_TRUE(move_layer(p, c, 1).ok());
  EXPECT_EQ(ids(p), (std::vector<std::uint32_t>{a, c, b}));
  EXPECT_EQ(move_layer(p, c, 3).code(), ErrorCode::invalid_argument);
}

TEST(OpsLayers, DuplicateSharesTilesCopyOnWrite) {
  Project p("t");
  ASSERT_TRUE(
      apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::sphere, Box{{-20, -20, -20}, {20, 20, 20}}, kRed}).ok());
  const std::uint32_t original = p.layers()[0].id;
  const auto copy = duplicate_layer(p, original);
  ASSERT_TRUE(copy.ok());
  ASSERT_EQ(p.layers().size(), 2U);
  EXPECT_EQ(p.layers()[1].id, *copy);
  EXPECT_EQ(p.layers()[1].name, p.layers()[0].name + " copy");
  EXPECT_EQ(p.state().active_layer_id, *copy);
  // Every tile is shared, not copied.
  const Volume& a = p.layers()[0].volume;
  const Volume& b = p.layers()[1].volume;
  a.for_each_block([&](BlockCoord c, const SharedBlock& block) {
    ASSERT_NE(b.find_shared_block(c), nullptr);
    EXPECT_EQ(b.find_shared_block(c)->identity(), block.identity());
  });
  // Editing the copy leaves the original alone.
  const auto before = testing::voxels_of(a);
  put(p, {0, 0, 0}, kBlue);
  EXPECT_EQ(at(p, {0, 0, 0}, *copy), kBlue);
  EXPECT_EQ(at(p, {0, 0, 0}, original), kRed);
  EXPECT_EQ(testing::voxels_of(p.layers()[0].volume), before);
}

TEST(OpsLayers, VisibilityAndSelection) {
  Project p("t");
  put(p, {0, 0, 0}, kRed);
  const std::uint32_t bottom = p.layers()[0].id;
  ASSERT_TRUE(set_layer_visible(p, bottom, false).ok());
  EXPECT_FALSE(p.layers()[0].visible);
  EXPECT_TRUE(merged_visible(p).empty());
  EXPECT_EQ(*count_voxels(p, kVisibleLayers), 0);
  EXPECT_EQ(*count_voxels(p, bottom), 1);
  EXPECT_EQ(select_layer(p, 0).code(), ErrorCode::not_found);
  EXPECT_EQ(select_layer(p, 99).code(), ErrorCode::not_found);
  EXPECT_EQ(set_layer_visible(p, 99, true).code(), ErrorCode::not_found);
}

TEST(OpsLayers, MergedVisibleComposesBottomToTop) {
  Project p("t");
  put(p, {0, 0, 0}, kRed);
  put(p, {1, 0, 0}, kRed);
  put(p, {-17, 0, 0}, Color{0, 0, 0, 255});
  ASSERT_TRUE(add_layer(p, "top").ok());
  put(p, {1, 0, 0}, kGreen);
  put(p, {-17, 0, 0}, Color{255, 255, 255, 128});
  put(p, {40, 0, 0}, kBlue);
  const Volume merged = merged_visible(p);
  EXPECT_EQ(merged.voxel_count(), 4);
  EXPECT_EQ(merged.get({0, 0, 0}), kRed);
  EXPECT_EQ(merged.get({1, 0, 0}), kGreen);
  EXPECT_EQ(merged.get({-17, 0, 0}), (Color{128, 128, 128, 255}));  // alpha composited
  EXPECT_EQ(merged.get({40, 0, 0}), kBlue);
}

TEST(OpsLayers, MergeUsesTheUpperLayersMode) {
  Project p("t");
  const std::uint32_t lower = p.layers()[0].id;
  ASSERT_TRUE(apply_shape(p, lower, ShapeParams{ShapeKind::box, Box{{0, 0, 0}, {31, 31, 31}}, kRed}).ok());
  const auto upper = add_layer(p, "cutter");
  ASSERT_TRUE(upper.ok());
  ASSERT_TRUE(apply_shape(p, *upper, ShapeParams{ShapeKind::box, Box{{0, 0, 0}, {3, 3, 3}}, kBlue}).ok());
  put(p, {100, 100, 100}, kBlue, *upper);
  p.mutable_state().layers[1].mode = BlendMode::subtract;
  ASSERT_TRUE(merge_layers(p, *upper, lower).ok());
  ASSERT_EQ(p.layers().size(), 1U);
  EXPECT_EQ(p.state().active_layer_id, lower);  // the active upper layer is gone
  EXPECT_EQ(p.voxel_count(), 32 * 32 * 32 - 64);
  EXPECT_EQ(at(p, {0, 0, 0}, lower), kEmpty);
  EXPECT_EQ(at(p, {4, 0, 0}, lower), kRed);
  EXPECT_EQ(at(p, {100, 100, 100}, lower), kEmpty);
}

TEST(OpsLayers, MergeOverAddsAndRefusesBadIds) {
  Project p("t");
  const std::uint32_t lower = p.layers()[0].id;
  put(p, {0, 0, 0}, kRed);
  put(p, {1, 0, 0}, kRed);
  const auto upper = add_layer(p, "u");
  ASSERT_TRUE(upper.ok());
  put(p, {1, 0, 0}, kGreen);
  put(p, {-1, -1, -1}, kGreen);
  EXPECT_EQ(merge_layers(p, lower, lower).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(merge_layers(p, 77, lower).code(), ErrorCode::not_found);
  EXPECT_EQ(merge_layers(p, *upper, 77).code(), ErrorCode::not_found);
  ASSERT_TRUE(merge_layers(p, *upper, lower).ok());
  EXPECT_EQ(at(p, {0, 0, 0}, lower), kRed);
  EXPECT_EQ(at(p, {1, 0, 0}, lower), kGreen);
  EXPECT_EQ(at(p, {-1, -1, -1}, lower), kGreen);
  EXPECT_EQ(p.voxel_count(), 3);
}

TEST(OpsLayers, MergeWithIntersectClearsWhereTheUpperLayerIsEmpty) {
  Project p("t");
  const std::uint32_t lower = p.layers()[0].id;
  put(p, {0, 0, 0}, kRed);
  put(p, {1, 0, 0}, kRed);
  put(p, {100, 0, 0}, kRed);  // a tile the upper layer does not have
  const auto upper = add_layer(p, "mask");
  ASSERT_TRUE(upper.ok());
  put(p, {0, 0, 0}, kBlue);
  p.mutable_state().layers[1].mode = BlendMode::intersect;
  ASSERT_TRUE(merge_layers(p, *upper, lower).ok());
  EXPECT_EQ(p.voxel_count(), 1);
  EXPECT_EQ(at(p, {0, 0, 0}, lower), kRed);
}

TEST(OpsLayers, SnapshotsAreIsolatedFromLayerOperations) {
  Project p("t");
  ASSERT_TRUE(apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::box, Box{{-8, -8, -8}, {23, 7, 7}}, kRed}).ok());
  const auto second = add_layer(p, "second");
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::sphere, Box{{0, 0, 0}, {15, 15, 15}}, kBlue}).ok());
  const ProjectState snapshot = p.state();
  const auto voxels = deep_copy(snapshot);

  const auto dup = duplicate_layer(p, p.layers()[0].id);
  ASSERT_TRUE(dup.ok());
  put(p, {0, 0, 0}, kGreen);
  ASSERT_TRUE(merge_layers(p, *second, *dup).ok());
  ASSERT_TRUE(move_region(p, *dup, Box{{-8, -8, -8}, {8, 8, 8}}, {3, 0, 0}, false).ok());
  FloodFillParams fill;
  fill.seed = {-8, -8, -8};
  fill.color = kGreen;
  ASSERT_TRUE(flood_fill(p, *dup, fill).ok());
  ASSERT_TRUE(clear_layer(p, p.layers()[0].id).ok());

  EXPECT_EQ(deep_copy(snapshot), voxels);
  EXPECT_NE(deep_copy(p.state()), voxels);
}

TEST(OpsLayers, UndoRedoAcrossLayerOperations) {
  Project p("t");
  const ProjectState s0 = p.state();
  std::uint32_t added = 0;
  ASSERT_TRUE(apply_step(p, [&](Project& q) -> Status {
                auto id = add_layer(q, "new");
                VOXD_TRY(id);
                added = *id;
                return Status::success();
              }).ok());
  const ProjectState s1 = p.state();
  ASSERT_TRUE(apply_step(p, [&](Project& q) -> Status {
                const VoxelWrite w{{-17, 16, 0}, kRed};
                return set_voxels(q, kActiveLayer, std::span(&w, 1));
              }).ok());
  const ProjectState s2 = p.state();
  EXPECT_EQ(at(p, {-17, 16, 0}, added), kRed);
  ASSERT_TRUE(apply_step(p, [&](Project& q) { return remove_layer(q, added); }).ok());
  const ProjectState s3 = p.state();
  EXPECT_EQ(p.layers().size(), 1U);
  EXPECT_EQ(p.undo_depth(), 3U);

  ASSERT_TRUE(p.undo().ok());
  EXPECT_EQ(p.state(), s2);
  EXPECT_EQ(at(p, {-17, 16, 0}, added), kRed);
  ASSERT_TRUE(p.undo().ok());
  EXPECT_EQ(p.state(), s1);
  EXPECT_EQ(p.layers().size(), 2U);
  EXPECT_EQ(p.voxel_count(), 0);
  ASSERT_TRUE(p.undo().ok());
  EXPECT_EQ(p.state(), s0);
  EXPECT_EQ(p.undo().code(), ErrorCode::nothing_to_do);

  ASSERT_TRUE(p.redo().ok());
  EXPECT_EQ(p.state(), s1);
  ASSERT_TRUE(p.redo().ok());
  EXPECT_EQ(p.state(), s2);
  ASSERT_TRUE(p.redo().ok());
  EXPECT_EQ(p.state(), s3);
  EXPECT_EQ(p.redo().code(), ErrorCode::nothing_to_do);
}

}  // namespace
}  // namespace voxd::core
