// Measures a mesh's topology the way watertightness checks do: vertices welded by position (the caller
// gives welded vertex indices), then every edge's uses counted per direction.
#pragma once

#include <cstdint>
#include <span>

#include <absl/container/flat_hash_map.h>

#include "voxd/core/formats/format.hpp"

namespace voxd::core::formats {

class EdgeTally {
 public:
  // One face written, its welded vertices in winding order (counter-clockwise seen from outside).
  void add_face(std::span<const std::uint32_t> vertices);
  void add_triangle(std::uint32_t a, std::uint32_t b, std::uint32_t c);

  // The counts so far; `triangles` is what the faces amount to (the caller knows how they were cut).
  [[nodiscard]] MeshTopology result(std::int64_t triangles) const;

 private:
  void add_edge(std::uint32_t from, std::uint32_t to);

  // Keyed by (lower vertex << 32 | higher vertex); the low 16 bits count uses from lower to higher, the high
  // 16 bits the other way (both saturate: anything above two is already non-manifold).
  absl::flat_hash_map<std::uint64_t, std::uint32_t> uses_;
  std::int64_t faces_ = 0;
};

}  // namespace voxd::core::formats
