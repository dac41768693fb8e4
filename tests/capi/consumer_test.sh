#!/usr/bin/env bash
# Installs voxd's C ABI into a temporary prefix, then builds and runs a consumer against it twice:
# with CMake's find_package(voxd) and with pkg-config. Flags (e.g. sanitizers) are passed to both.
#   consumer_test.sh BUILD_DIR SOURCE_DIR C_COMPILER "C_FLAGS"
set -euo pipefail
build_dir=$1 source_dir=$2 cc=$3 flags=${4:-}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build_dir" --prefix "$prefix/usr" --component capi >/dev/null
lib=$(find "$prefix/usr" -name libvoxd.so)  # in lib, lib64 or the multiarch lib/<triplet>
test -f "$prefix/usr/include/voxd/voxd.h"
# The installed library: real file with a version, SONAME link, dev link.
readelf -d "$lib" | grep 'SONAME.*libvoxd\.so\.[0-9]' >/dev/null # not -q: an early exit would SIGPIPE readelf (pipefail)
ls "$lib".[0-9]*.[0-9]*.[0-9]* >/dev/null

echo "--- find_package(voxd)"
cmake -S "$source_dir/tests/capi/consumer" -B "$prefix/build-cmake" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_PREFIX_PATH="$prefix/usr" >/dev/null
cmake --build "$prefix/build-cmake" >/dev/null
"$prefix/build-cmake/consumer"

echo "--- pkg-config voxd"
libdir=$(dirname "$lib")
export PKG_CONFIG_PATH="$libdir/pkgconfig"
test "$(pkg-config --modversion voxd)" = "$(grep -o 'Version: .*' "$libdir/pkgconfig/voxd.pc" | cut -d' ' -f2)"
# shellcheck disable=SC2086,SC2046
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic $flags "$source_dir/tests/capi/consumer/main.c" \
  $(pkg-config --cflags --libs voxd) -o "$prefix/consumer-pkgconfig"
LD_LIBRARY_PATH="$libdir" "$prefix/consumer-pkgconfig"
