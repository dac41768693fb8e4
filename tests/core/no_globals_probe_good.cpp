// What the no-writable-globals check must allow: constant tables, including tables of pointers
// (which -fPIC places in .data.rel.ro), string literals and constexpr function-local tables.
// Compiled, never linked.
#include <array>
#include <string_view>

namespace {
constexpr std::array<std::string_view, 3> kProbeNames{"one", "two", "three"};
constexpr std::array<const char*, 3> kProbePointers{"a", "b", "c"};
constexpr int (*kProbeFunctions[])(int) = {[](int x) { return x + 1; }, [](int x) { return x * 2; }};
}  // namespace

extern const std::array<int, 4> kProbeExportedTable;
const std::array<int, 4> kProbeExportedTable{1, 2, 3, 4};

std::string_view probe_name(unsigned i) {
  return kProbeNames.at(i % kProbeNames.size());
}
const char* probe_pointer(unsigned i) {
  return kProbePointers.at(i % kProbePointers.size());
}
int probe_apply(unsigned i, int x) {
  return kProbeFunctions[i % 2](x);
}
int probe_digit(unsigned i) {
  static constexpr std::array<int, 10> kDigits{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  return kDigits.at(i % kDigits.size());
}
