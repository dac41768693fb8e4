# Every dependency is a Debian 12 package (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(absl REQUIRED)                 # libabsl-dev: flat_hash_map
find_package(Microsoft.GSL REQUIRED)        # libmsgsl-dev: not_null, owner, narrow
find_package(PNG REQUIRED)                  # libpng-dev
find_package(ZLIB REQUIRED)                 # zlib1g-dev: TDCZ chunks of .vox (zlib-compressed models)
find_package(nlohmann_json 3.10 REQUIRED)  # nlohmann-json3-dev: glTF export (core), JSON-RPC (jsonrpc/)
find_package(fmt REQUIRED)                  # libfmt-dev
find_package(spdlog REQUIRED)               # libspdlog-dev
find_package(CLI11 REQUIRED)                # libcli11-dev
find_package(cppzmq REQUIRED)               # cppzmq-dev + libzmq3-dev
find_package(FlatBuffers REQUIRED)          # libflatbuffers-dev (header-only use)
find_program(FLATC flatc REQUIRED)          # flatbuffers-compiler
find_package(SQLite3 REQUIRED)              # libsqlite3-dev: the daemon's state store
find_package(simdjson REQUIRED)             # libsimdjson-dev: the Goxel front's fast path for goxel.add_voxels
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)    # libzstd-dev: the state store's journal records
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)  # libsodium-dev: SHA-256 of the files the daemon writes
if(VOXD_BUILD_TESTS)
  find_package(GTest REQUIRED)              # googletest
endif()
if(VOXD_BUILD_BENCH)
  find_package(benchmark REQUIRED)          # libbenchmark-dev
  # OpenVDB is the reference the core benchmarks compare with; optional (scripts/install-deps.sh --bench).
  list(APPEND CMAKE_MODULE_PATH /usr/lib/x86_64-linux-gnu/cmake/OpenVDB)
  # FindOpenVDB insists on Boost.Iostreams (its headers include Boost) and fails the whole configure without it,
  # so look for OpenVDB only when Boost is there. It also sets BUILD_SHARED_LIBS ON in our scope: keep ours.
  find_package(Boost QUIET COMPONENTS iostreams)
  if(Boost_FOUND)
    set(voxd_saved_build_shared_libs "${BUILD_SHARED_LIBS}")
    find_package(OpenVDB QUIET)
    set(BUILD_SHARED_LIBS "${voxd_saved_build_shared_libs}")
  endif()
endif()
