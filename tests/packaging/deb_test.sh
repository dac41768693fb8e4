#!/usr/bin/env bash
# cpack -G DEB of a build tree, then dpkg -x of the package into a scratch root, and checks of what is in it:
# the three programs (they run from there), libvoxd and its header, pkg-config and CMake files, both systemd
# units, the docs, and the control file's name, version and Depends.
#   deb_test.sh BUILD_DIR VERSION BUILT_TARGET_FILE...
set -euo pipefail
build_dir=$1 version=$2
shift 2
for built in "$@"; do
  [[ -f $built ]] || { echo "FAIL: $built is not built (build the default target first)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB"; }
shopt -s nullglob
debs=("$tmp"/out/voxd_*.deb)
((${#debs[@]} == 1)) || fail "expected one voxd_*.deb, found: ${debs[*]:-none} ($(ls "$tmp/out"))"
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[[ $(basename "$deb") == "voxd_${version}_${arch}.deb" ]] || fail "package file named $(basename "$deb")"

echo "--- control"
dpkg-deb --info "$deb" >"$tmp/info"
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == voxd ]] || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] || fail "Version: $(field Version), expected $version"
[[ $(field Architecture) == "$arch" ]] || fail "Architecture: $(field Architecture)"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
[[ -n $(field Description) ]] || fail "no Description"
[[ $(field Section) == graphics ]] || fail "Section: $(field Section)"
depends=$(field Depends)
echo "Depends: $depends"
for lib in libc6 libstdc++6 libzmq5 libsqlite3-0 libzstd1 libpng16-16 zlib1g libabsl20220623 libsimdjson14 \
  libspdlog1.10 libfmt9; do
  # libspdlog1.10 is named by what it provides, libspdlog1.10-fmt9.
  [[ ", $depends," == *", $lib"[\ ,-]* ]] || fail "Depends does not name $lib: $depends"
done

echo "--- contents"
root=$tmp/root
dpkg -x "$deb" "$root"
dpkg-deb --contents "$deb" >"$tmp/contents"
# Everything lives under /usr; the programs are exactly these three (no tests, benchmarks or fuzzers).
while read -r _ _ _ _ _ path _; do
  [[ $path == ./ || $path == ./usr/* ]] || fail "installed outside /usr: $path"
done <"$tmp/contents"
programs=$(cd "$root/usr/bin" && printf '%s ' *)
[[ $programs == "voxctl voxd voxd-mcp " ]] || fail "usr/bin holds: $programs"
if grep -v ' ./usr/share/doc/' "$tmp/contents" | grep -E '_test|bench|fuzz|gtest|python'; then
  fail "the package holds tests, benchmarks or fuzzers"
fi
for program in voxd voxctl voxd-mcp; do
  [[ -x $root/usr/bin/$program ]] || fail "usr/bin/$program is not executable"
done

libs=("$root"/usr/lib*/libvoxd.so.*.*.* "$root"/usr/lib/*/libvoxd.so.*.*.*)
((${#libs[@]} == 1)) || fail "expected one libvoxd.so.X.Y.Z, found: ${libs[*]:-none}"
libdir=$(dirname "${libs[0]}")
multiarch=$(gcc -print-multiarch)
[[ $libdir == "$root/usr/lib/$multiarch" ]] || fail "libvoxd is in ${libdir#"$root"}, not the multiarch /usr/lib/$multiarch"
[[ $(basename "${libs[0]}") == "libvoxd.so.$version" ]] || fail "library named $(basename "${libs[0]}")"
soname=$(readelf -d "${libs[0]}" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[[ $soname == "libvoxd.so.${version%%.*}" ]] || fail "SONAME $soname"
[[ -L $libdir/$soname && -L $libdir/libvoxd.so ]] || fail "the SONAME and development links are missing"
[[ $(readlink -f "$libdir/libvoxd.so") == "$(readlink -f "${libs[0]}")" ]] || fail "libvoxd.so points elsewhere"
cmp "$root/usr/include/voxd/voxd.h" "$(dirname "$0")/../../capi/include/voxd/voxd.h" ||
  fail "usr/include/voxd/voxd.h differs from the source's"
for file in voxdConfig.cmake voxdConfigVersion.cmake voxdTargets.cmake; do
  [[ -f $libdir/cmake/voxd/$file ]] || fail "no $file in ${libdir#"$root"}/cmake/voxd"
done
# The pkg-config file is relocatable: from the scratch root it names the scratch root's folders.
PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_LIBDIR=$libdir/pkgconfig
export PKG_CONFIG_PATH PKG_CONFIG_LIBDIR
[[ $(pkg-config --modversion voxd) == "$version" ]] || fail "pkg-config --modversion voxd: $(pkg-config --modversion voxd)"
pc_libdir=$(pkg-config --variable=libdir voxd) pc_includedir=$(pkg-config --variable=includedir voxd)
[[ -f $pc_libdir/libvoxd.so && -f $pc_includedir/voxd/voxd.h ]] ||
  fail "voxd.pc's libdir $pc_libdir or includedir $pc_includedir is wrong"

for unit in lib/systemd/system/voxd.service lib/systemd/user/voxd.service; do
  [[ -f $root/usr/$unit ]] || fail "no usr/$unit"
  grep -q '^Type=notify$' "$root/usr/$unit" || fail "usr/$unit is not the notify unit"
  # The program the unit starts is the one the package installs.
  exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$root/usr/$unit")
  [[ -x $root$exec_start ]] || fail "usr/$unit starts $exec_start, which the package does not hold"
  docs=$(sed -n 's|^Documentation=file://||p' "$root/usr/$unit")
  [[ -f $root$docs ]] || fail "usr/$unit's Documentation= $docs is not in the package"
done
grep -q 'WantedBy=multi-user.target' "$root/usr/lib/systemd/system/voxd.service" || fail "system unit's WantedBy"
grep -q 'WantedBy=default.target' "$root/usr/lib/systemd/user/voxd.service" || fail "user unit's WantedBy"
for doc in README.md daemon.md capi.md mcp.md; do
  [[ -f $root/usr/share/doc/voxd/$doc ]] || fail "no usr/share/doc/voxd/$doc"
done

echo "--- the programs run from the scratch root"
export LD_LIBRARY_PATH=$libdir
# Captured, not piped into grep -q: an early exit of grep would SIGPIPE the program (pipefail).
out=$("$root/usr/bin/voxd" --version) || fail "voxd --version exited $?"
[[ $out == *"$version"* ]] || fail "voxd --version: $out"
out=$("$root/usr/bin/voxctl" --help) || fail "voxctl --help exited $?"
[[ $out == *convert* ]] || fail "voxctl --help names no convert: $out"
out=$("$root/usr/bin/voxd-mcp" --help) || fail "voxd-mcp --help exited $?"
[[ $out == *--voxd* ]] || fail "voxd-mcp --help names no --voxd: $out"
# voxd-mcp with no voxd answering starts the voxd beside it (/proc/self/exe's folder): the installed one.
# Its state store goes to the temporary folder, not the user's; stdin at EOF ends voxd-mcp, then its voxd.
mkdir -p "$tmp/files" "$tmp/state"
rc=0
VOXD_ENDPOINT=ipc://$tmp/nobody.sock XDG_STATE_HOME=$tmp/state HOME=$tmp \
  timeout 60 "$root/usr/bin/voxd-mcp" --root "$tmp/files" </dev/null >"$tmp/mcp.out" 2>"$tmp/mcp.err" || rc=$?
if ((rc != 0)) || ! grep -q "^voxd $version listening on" "$tmp/mcp.err" ||
  ! grep -q '^voxd-mcp: started a private voxd on' "$tmp/mcp.err"; then
  cat "$tmp/mcp.err" >&2
  fail "voxd-mcp (exit $rc) did not start the packaged voxd beside it"
fi
echo "packaging_deb: $(basename "$deb"), $(wc -l <"$tmp/contents") entries: ok"
