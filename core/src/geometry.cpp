#include "voxd/core/geometry.hpp"

namespace voxd::core {

std::string to_string(Vec3i p) {
  return "(" + std::to_string(p.x) + ", " + std::to_string(p.y) + ", " + std::to_string(p.z) + ")";
}

std::string to_string(const Box& b) {
  return to_string(b.min) + ".." + to_string(b.max);
}

}  // namespace voxd::core
