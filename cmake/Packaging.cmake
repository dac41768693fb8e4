# `cpack -G DEB` in a build tree (docs/daemon.md, "Installing the package"): one voxd package with everything
# the install rules name — voxd, voxctl, voxd-mcp, libvoxd with its header, pkg-config and CMake files, the
# systemd units and the docs. Tests, benchmarks and fuzzers have no install rules, so they are never packaged.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME voxd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "voxd")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "voxd maintainers <maintainers@users.noreply.r-seed-42ab882a.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)  # where the units' ExecStart=/usr/bin/voxd expects it
set(CPACK_STRIP_FILES OFF)                # keep the symbols of a RelWithDebInfo build

set(CPACK_DEBIAN_PACKAGE_NAME voxd)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # voxd_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${PROJECT_DESCRIPTION}
 voxd edits many voxel projects at once for many clients, over ZeroMQ with
 FlatBuffers messages, Goxel's JSON-RPC protocol, or MCP (voxd-mcp); libvoxd
 is its stable C ABI for in-process use. Reads and writes Goxel (.gox) and
 MagicaVoxel (.vox) files. Ships systemd units for a system and a user service.")
# The runtime libraries come from dpkg-shlibdeps (dpkg-dev, which build-essential brings). Without it, the
# Debian 12 packages of what the programs link.
find_program(VOXD_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(VOXD_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(_voxd_depends libc6 libstdc++6 libgcc-s1 libzmq5 libsqlite3-0 libzstd1 libpng16-16 zlib1g libabsl20220623 libsodium23
      libsimdjson14 libspdlog1.10-fmt9 libfmt9)
  list(JOIN _voxd_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
endif()

include(CPack)
