// The C enums are the core's, written out: a change on either side that breaks the mirror fails the build.
#include "voxd/core/blend_mode.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/formats/mesh.hpp"
#include "voxd/core/formats/render.hpp"
#include "voxd/core/ops.hpp"
#include "voxd/voxd.h"

namespace voxd::capi {
namespace {

template <typename Enum>
constexpr bool same(std::int32_t c_value, Enum core_value) {
  return c_value == static_cast<std::int32_t>(core_value);
}

using core::BlendMode;
using core::ErrorCode;
using core::ShapeKind;
using core::formats::MeshFormat;
using core::formats::View;

static_assert(same(VOXD_OK, ErrorCode::ok));
static_assert(same(VOXD_ERROR_INVALID_ARGUMENT, ErrorCode::invalid_argument));
static_assert(same(VOXD_ERROR_NOT_FOUND, ErrorCode::not_found));
static_assert(same(VOXD_ERROR_STALE_HANDLE, ErrorCode::stale_handle));
static_assert(same(VOXD_ERROR_LIMIT_EXCEEDED, ErrorCode::limit_exceeded));
static_assert(same(VOXD_ERROR_IO, ErrorCode::io));
static_assert(same(VOXD_ERROR_FORMAT, ErrorCode::format));
static_assert(same(VOXD_ERROR_UNSUPPORTED, ErrorCode::unsupported));
static_assert(same(VOXD_ERROR_PERMISSION_DENIED, ErrorCode::permission_denied));
static_assert(same(VOXD_ERROR_PROTOCOL, ErrorCode::protocol));
static_assert(same(VOXD_ERROR_INTERNAL, ErrorCode::internal));
static_assert(same(VOXD_ERROR_NOTHING_TO_DO, ErrorCode::nothing_to_do));
static_assert(same(VOXD_ERROR_BUSY, ErrorCode::busy));

static_assert(same(VOXD_BLEND_OVER, BlendMode::over));
static_assert(same(VOXD_BLEND_SUBTRACT, BlendMode::subtract));
static_assert(same(VOXD_BLEND_SUBTRACT_CLAMP, BlendMode::subtract_clamp));
static_assert(same(VOXD_BLEND_PAINT, BlendMode::paint));
static_assert(same(VOXD_BLEND_MAX, BlendMode::max));
static_assert(same(VOXD_BLEND_INTERSECT, BlendMode::intersect));
static_assert(same(VOXD_BLEND_INTERSECT_FILL, BlendMode::intersect_fill));
static_assert(same(VOXD_BLEND_MULT_ALPHA, BlendMode::mult_alpha));
static_assert(same(VOXD_BLEND_REPLACE, BlendMode::replace));

static_assert(same(VOXD_SHAPE_BOX, ShapeKind::box));
static_assert(same(VOXD_SHAPE_SPHERE, ShapeKind::sphere));
static_assert(same(VOXD_SHAPE_CYLINDER, ShapeKind::cylinder));

static_assert(same(VOXD_VIEW_ISO, View::iso));
static_assert(same(VOXD_VIEW_FRONT, View::front));
static_assert(same(VOXD_VIEW_BACK, View::back));
static_assert(same(VOXD_VIEW_LEFT, View::left));
static_assert(same(VOXD_VIEW_RIGHT, View::right));
static_assert(same(VOXD_VIEW_TOP, View::top));
static_assert(same(VOXD_VIEW_BOTTOM, View::bottom));
static_assert(same(VOXD_VIEW_FREE, View::free));

static_assert(same(VOXD_MESH_OBJ, MeshFormat::obj));
static_assert(same(VOXD_MESH_PLY, MeshFormat::ply));
static_assert(same(VOXD_MESH_STL, MeshFormat::stl));

// The value types cross the boundary as plain bytes in the bulk calls.
static_assert(sizeof(voxd_color) == sizeof(core::Color));
static_assert(sizeof(voxd_vec3) == sizeof(core::Vec3i));
static_assert(sizeof(voxd_voxel) == 16);
static_assert(VOXD_MIN_COORD == core::kMinCoord && VOXD_MAX_COORD == core::kMaxCoord);
static_assert(VOXD_LAYER_ACTIVE == core::kActiveLayer && VOXD_LAYER_VISIBLE == core::kVisibleLayers);

}  // namespace
}  // namespace voxd::capi
