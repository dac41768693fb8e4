#!/usr/bin/env bash
# Installs every Debian 12 package voxd builds, tests or benchmarks with.
# Idempotent: only packages that are missing are installed. Needs root (or sudo).
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also OpenVDB, the benchmark reference
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache
  clang clang-tidy clang-format libclang-rt-14-dev   # fuzz preset, sanitizer runtimes, lint
  # libraries
  libmsgsl-dev                        # GSL: gsl::not_null, gsl::owner, gsl::narrow
  libzmq3-dev cppzmq-dev              # ZeroMQ transport and its C++ binding
  nlohmann-json3-dev                  # JSON of the JSON-RPC layer (Goxel front, voxd-mcp)
  libflatbuffers-dev flatbuffers-compiler  # wire protocol schema + flatc
  libpng-dev                          # .gox BL16 tiles, PNG render
  libabsl-dev                         # absl::flat_hash_map: the block map of a volume
  libcli11-dev                        # command lines of voxd and voxctl
  libspdlog-dev libfmt-dev            # logging, formatting
  # tests
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  abigail-tools                       # abidw/abidiff: C ABI stability check
  python3 python3-zmq python3-flatbuffers   # Python client + ctypes binding tests
  goxel xvfb xauth libgl1-mesa-dri    # the independent reader for interop tests
  binutils                            # nm: the no-globals check
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(libopenvdb-dev libtbb-dev libboost-iostreams-dev)  # OpenVDB headers and FindOpenVDB need Boost
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
