#!/usr/bin/env bash
# libvoxd.so exports exactly the functions voxd.h declares, all prefixed voxd_, and nothing else.
#   exports_test.sh LIBRARY HEADER
set -euo pipefail
library=$1 header=$2
exported=$(nm -D --defined-only "$library" | awk '$2 ~ /^[TtWwDdBbRr]$/ {print $3}' | sed 's/@.*//' | grep -v '^VOXD_0$' | sort -u)
declared=$(grep -oE '^VOXD_API [^(]*\(' "$header" | grep -oE 'voxd_[a-z0-9_]+ *\($' | tr -d ' (' | sort -u)
stray=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
if [[ -n "$stray" || -n "$missing" ]]; then
  [[ -n "$stray" ]] && printf 'exported but not declared in voxd.h:\n%s\n' "$stray" >&2
  [[ -n "$missing" ]] && printf 'declared in voxd.h but not exported:\n%s\n' "$missing" >&2
  exit 1
fi
# grep reads all of readelf's output (no -q): quitting early would kill readelf with SIGPIPE and fail pipefail.
readelf -d "$library" | grep 'SONAME.*\[libvoxd\.so\.[0-9]\+\]' >/dev/null
echo "exports_test: $(echo "$exported" | wc -l) voxd_ functions exported, nothing else; SONAME set"
