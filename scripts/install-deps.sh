#!/usr/bin/env bash
# Installs the Debian 12 packages voxd builds, runs, tests or benchmarks with. Needs only bash and apt.
# Idempotent: only packages that are missing are installed. Needs root (or sudo).
#   scripts/install-deps.sh --run      what building and running the daemon needs (scripts/run.sh)
#   scripts/install-deps.sh            that, plus every test tool (scripts/test.sh)
#   scripts/install-deps.sh --bench    that, plus OpenVDB, the benchmark reference (scripts/bench.sh)
set -euo pipefail

mode=${1:---test}
case "$mode" in
  --run | --test | --bench) ;;
  *) echo "install-deps: unknown mode '$mode' (use --run, --test or --bench)" >&2; exit 2 ;;
esac

# Building and running: the toolchain and every library the daemon, voxctl and libvoxd link.
packages=(
  build-essential cmake ninja-build pkg-config ccache
  dpkg-dev                            # cpack -G DEB: dpkg-shlibdeps for the package's Depends (build-essential has it)
  libmsgsl-dev                        # GSL: gsl::not_null, gsl::owner, gsl::narrow
  libzmq3-dev cppzmq-dev              # ZeroMQ transport and its C++ binding
  libflatbuffers-dev flatbuffers-compiler  # wire protocol schema + flatc
  libsodium-dev                            # SHA-256 of the files the daemon writes (FileWritten.sha256)
  libsqlite3-dev                           # the daemon's state store (daemon/store/)
  libzstd-dev                              # the state store's journal records, compressed (daemon/store/record_codec.hpp)
  libsimdjson-dev                          # the Goxel front's fast path for goxel.add_voxels (daemon/goxel/)
  libpng-dev                          # .gox BL16 tiles, PNG render
  zlib1g-dev                          # TDCZ chunks of .vox (zlib-compressed models)
  libabsl-dev                         # absl::flat_hash_map: the block map of a volume
  libcli11-dev                        # command lines of voxd and voxctl
  libspdlog-dev libfmt-dev            # logging, formatting
  nlohmann-json3-dev                  # JSON: glTF export (core), the JSON-RPC fronts (voxd-mcp, the Goxel-compatible front)
)
if [[ "$mode" != --run ]]; then
  packages+=(
    clang clang-tidy clang-format libclang-rt-14-dev   # fuzz preset, sanitizer runtimes, lint
    googletest libgtest-dev libgmock-dev libbenchmark-dev
    abigail-tools                       # abidw/abidiff: C ABI stability check
    python3 python3-zmq python3-flatbuffers   # Python client + ctypes binding tests
    goxel xvfb xauth libgl1-mesa-dri    # the independent reader for interop tests
    assimp-utils                        # `assimp info`: an independent glTF reader (formats_gltf_interop_test)
    binutils                            # nm: the no-globals check
    # tests only: C ABI consumers and clients in other languages (tests/capi/languages_test.sh, clients/*)
    golang-go                           # the Go wrapper and its cgo program (capi_go)
    rustc                               # the Rust wrapper and program, built with /usr/bin/rustc, no cargo (capi_rust)
  )
  # Node.js and npm for the TypeScript client and the MCP SDK client that drives voxd-mcp (tests only): Debian's, unless an npm is installed already
  # (e.g. NodeSource's Node.js, whose nodejs package bundles npm and conflicts with Debian's npm).
  if ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
  fi
fi
if [[ "$mode" == --bench ]]; then
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
