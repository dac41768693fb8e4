#!/usr/bin/env bash
# The "no writable globals" rule of core/, checked on the compiled objects rather than by reading code:
# fails if any object file (or any member of a static library) defines a symbol in writable static
# storage. Read-only data (.rodata, .data.rel.ro: constexpr tables of pointers live there under -fPIC)
# is fine.
#
# Flagged: data objects in .data*, .bss*, .tdata*, .tbss* (thread_local), common symbols, and the
# guard variables (_ZGV*) of function-local statics with dynamic initialisation.
# Allowed: what the toolchain itself emits into every C++ object, not state voxd could remove:
#   DW.ref.*                      exception-handling indirections (the personality routine and the
#                                 type_info of caught types), one per object that uses them;
#   std::__ioinit                 GCC <= 12's <iostream> init object, reached via absl's headers;
#   __odr_asan.*                  ASan's one-byte ODR-violation flag next to each exported global
#                                 (asan builds only; the global itself is still checked).
#
# Usage: check_no_globals.sh FILE...
#        check_no_globals.sh --expect-violations NAME[,NAME...] FILE...
# The second form is the check's own test: it passes only if the check fails AND reports every NAME
# (a substring of a demangled symbol), proving that the check can catch what it claims to catch.
set -euo pipefail

expected=""
if [[ "${1:-}" == "--expect-violations" ]]; then
  expected="${2:?--expect-violations needs a comma-separated list of names}"
  shift 2
fi
if [[ $# -eq 0 ]]; then
  echo "usage: $0 [--expect-violations NAME,...] FILE..." >&2
  exit 2
fi

objdump="${OBJDUMP:-objdump}"
demangle() { if command -v c++filt >/dev/null; then c++filt; else cat; fi; }

symbols=$("$objdump" -t "$@")

# objdump -t lines: VALUE(16) ' ' FLAGS(7) ' ' SECTION '\t' SIZE ' ' [.hidden ] NAME
# Object headers:   "NAME.o:     file format elf64-..."
violations=$(printf '%s\n' "$symbols" | awk '
  / file format / { object = $1; sub(/:$/, "", object); next }
  length($0) < 26 || $0 !~ /^[0-9a-f]+ / { next }
  {
    flags = substr($0, 18, 7)
    rest = substr($0, 26)
    tab = index(rest, "\t")
    if (tab == 0) next
    section = substr(rest, 1, tab - 1)
    split(substr(rest, tab + 1), fields, " ")
    name = fields[length(fields)]
    type = substr(flags, 7, 1)     # O object, F function, f file, space: untyped
    debug = substr(flags, 6, 1)    # d: a section or debugging symbol
    if (debug == "d" || type == "f") next

    guard = (name ~ /^_ZGV/)
    writable = (section == "*COM*" ||
                (section ~ /^\.(data|bss|tdata|tbss)(\.|$)/ && section !~ /^\.data\.rel\.ro(\.|$)/))
    # Thread-local variables are typed TLS, which objdump prints as no type: only functions are skipped.
    if (!guard && !(writable && type != "F")) next

    if (name ~ /^DW\.ref\./ || name == "_ZStL8__ioinit" || name ~ /^__odr_asan\./) next

    printf "%s\t%s\t%s\n", object, section, name
  }')

if [[ -n "$violations" ]]; then
  report=$(printf '%s\n' "$violations" | demangle | awk -F'\t' '{ printf "  %-28s %-22s %s\n", $1, $2, $3 }')
else
  report=""
fi

if [[ -z "$expected" ]]; then
  if [[ -n "$report" ]]; then
    echo "check_no_globals: writable static storage defined (object, section, symbol):" >&2
    printf '%s\n' "$report" >&2
    exit 1
  fi
  echo "check_no_globals: no writable globals in $*"
  exit 0
fi

# Self-test mode.
status=0
IFS=',' read -r -a names <<<"$expected"
for name in "${names[@]}"; do
  if grep -qF -- "$name" <<<"$report"; then
    echo "check_no_globals self-test: caught $name"
  else
    echo "check_no_globals self-test: MISSED $name" >&2
    status=1
  fi
done
if [[ $status -ne 0 ]]; then
  printf 'report was:\n%s\n' "$report" >&2
fi
exit $status
