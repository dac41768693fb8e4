#!/usr/bin/env bash
# The C ABI baseline and its check (abigail-tools).
#   abi.sh dump  LIBRARY HEADERS_DIR OUT.abi       write the ABI of LIBRARY (public types of HEADERS_DIR only)
#   abi.sh check LIBRARY HEADERS_DIR BASELINE.abi  fail if LIBRARY is not ABI-compatible with BASELINE
# abidiff's exit status is a bit field: 4 = the ABI changed (e.g. functions added: compatible),
# 8 = an incompatible change. Only errors (1, 2) and 8 fail the check; additions are reported.
set -euo pipefail
mode=$1 library=$2 headers=$3 abi=$4
dump_options=(--headers-dir "$headers" --drop-private-types --exported-interfaces-only --no-corpus-path --no-comp-dir-path --short-locs
              --type-id-style hash)
case "$mode" in
  dump)
    abidw "${dump_options[@]}" --out-file "$abi" "$library"
    echo "abi.sh: wrote $abi"
    ;;
  check)
    current=$(mktemp --suffix=.abi)
    trap 'rm -f "$current"' EXIT
    abidw "${dump_options[@]}" --out-file "$current" "$library"
    set +e
    abidiff "$abi" "$current"
    status=$?
    set -e
    if ((status & 1 || status & 2)); then
      echo "abi.sh: abidiff failed to run (status $status)" >&2
      exit 1
    fi
    if ((status & 8)); then
      echo "abi.sh: INCOMPATIBLE ABI change against $abi (see above)." >&2
      echo "abi.sh: keep the old ABI, or bump VOXD_VERSION_MAJOR (new SONAME) and regenerate the baseline." >&2
      exit 1
    fi
    # The check must be able to fail: the baseline with one function taken away (as if the library had
    # dropped it) has to be reported as incompatible, or abidiff's verdicts are not being read right.
    without_one=$(mktemp --suffix=.abi)
    trap 'rm -f "$current" "$without_one"' EXIT
    /usr/bin/python3 - "$abi" "$without_one" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
name = re.search(r"<elf-symbol name='(voxd_[a-z_]+)'", text).group(1)
text = re.sub(r"\s*<elf-symbol name='%s'[^>]*/>" % name, "", text)
text = re.sub(r"\s*<function-decl name='%s'.*?</function-decl>" % name, "", text, flags=re.S)
open(sys.argv[2], "w").write(text)
PY
    set +e
    abidiff "$abi" "$without_one" >/dev/null
    self_test=$?
    set -e
    if ! ((self_test & 8)); then
      echo "abi.sh: self-test failed: removing a function was not reported as incompatible ($self_test)" >&2
      exit 1
    fi
    if ((status & 4)); then
      echo "abi.sh: compatible ABI change (additions); regenerate the baseline when releasing"
    else
      echo "abi.sh: ABI identical to $abi"
    fi
    ;;
  *)
    echo "usage: abi.sh dump|check LIBRARY HEADERS_DIR ABI_FILE" >&2
    exit 2
    ;;
esac
