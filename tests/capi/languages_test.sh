#!/usr/bin/env bash
# Builds and runs a C ABI consumer in another language against libvoxd installed into a temporary prefix, as
# an outside project would link it (pkg-config voxd).
#   languages_test.sh LANGUAGE BUILD_DIR SOURCE_DIR [ASAN_RUNTIME]
# LANGUAGE: go (tests/capi/go + clients/go), rust (tests/capi/rust + clients/rust) or node (clients/node-capi,
# koffi). With ASAN_RUNTIME (the library is an ASan build) the program runs with it in LD_PRELOAD: the
# toolchains' own code is not instrumented, but every allocation and access of libvoxd is checked, and leaks
# are reported (not for node, whose own allocations at exit are not ours to judge).
set -euo pipefail
language=$1 build_dir=$2 source_dir=$3 asan_runtime=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A fixed prefix in the build tree, not a temporary one: Go's build cache keeps a cgo package's link flags
# (pkg-config's -L) and does not see them change, so a new prefix per run would link against a deleted one.
# The tests that install hold one ctest resource lock, so the prefix is never shared by two at once.
prefix="$build_dir/capi-consumer-prefix"
rm -rf "$prefix"
cmake --install "$build_dir" --prefix "$prefix" --component capi >/dev/null
libdir=$(dirname "$(find "$prefix" -name libvoxd.so)")  # lib, lib64 or the multiarch lib/<triplet>
export PKG_CONFIG_PATH="$libdir/pkgconfig"

case "$language" in
go)
  # No module downloads: the wrapper is a local replace; GOFLAGS keeps go from touching go.sum.
  # The build cache lives in the build tree, so what it caches always matches that tree's prefix.
  export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=1 GOCACHE="$build_dir/go-cache"
  (cd "$source_dir/tests/capi/go" && go build -o "$work/capi_go" .) 2> >(grep -v 'warning: the use of' >&2)
  program=("$work/capi_go")
  ;;
rust)
  # Debian's rustc, explicitly: no cargo, no crates. The wrapper is an rlib; the test links it and libvoxd.
  rustc=/usr/bin/rustc
  read -r -a link_dirs <<<"$(pkg-config --libs-only-L voxd)"
  "$rustc" --edition 2021 --crate-type rlib --crate-name voxd -C debuginfo=1 \
    "$source_dir/clients/rust/src/lib.rs" -o "$work/libvoxd_rs.rlib"
  "$rustc" --edition 2021 -C debuginfo=1 --extern voxd="$work/libvoxd_rs.rlib" "${link_dirs[@]}" \
    "$source_dir/tests/capi/rust/main.rs" -o "$work/capi_rust" 2> >(grep -v 'warning: the use of' >&2)
  program=("$work/capi_rust")
  ;;
node)
  # npm installs koffi (its tarball carries prebuilt binaries) once, again only when package-lock.json changes.
  package="$source_dir/clients/node-capi"
  exec 9>"$package/.npm-install.lock"
  flock 9
  lock_hash=$(sha256sum "$package/package-lock.json" | cut -d' ' -f1)
  if [[ "$(cat "$package/node_modules/.voxd-lock-hash" 2>/dev/null)" != "$lock_hash" ]]; then
    (cd "$package" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" >"$package/node_modules/.voxd-lock-hash"
  fi
  flock -u 9
  export VOXD_LIBRARY="$libdir/libvoxd.so.0"
  program=(node --expose-gc --test "$package/test/")
  if [[ -n "$asan_runtime" ]]; then export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"; fi
  ;;
*)
  echo "languages_test.sh: unknown language $language" >&2
  exit 2
  ;;
esac

cd "$work"
if [[ -n "$asan_runtime" ]]; then
  LD_LIBRARY_PATH="$libdir" LD_PRELOAD="$asan_runtime" "${program[@]}"
else
  LD_LIBRARY_PATH="$libdir" "${program[@]}"
fi
