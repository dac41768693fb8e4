# voxd_warnings: the warning set for voxd's own code (third-party headers come in as SYSTEM includes).
add_library(voxd_warnings INTERFACE)
target_compile_options(voxd_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough>
  # GCC 12 with optimisation reports -Wrestrict, -Warray-bounds and -Wstringop-overflow inside libstdc++'s
  # std::string operator+ and std::copy of small arrays (GCC bugs 105651, 105329): false positives that break the
  # release build. ASan checks the same accesses at run time. Not in Debug, whose compile commands clang-tidy
  # reads (clang does not know -Wno-restrict).
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>,$<NOT:$<CONFIG:Debug>>>:-Wno-restrict;-Wno-array-bounds;-Wno-stringop-overflow>
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion>
  $<$<BOOL:${VOXD_WARNINGS_AS_ERRORS}>:-Werror>)

# -Wnull-dereference only with clang, where it is a local check. GCC's version is a flow analysis run after
# inlining: at -O3 and under the sanitizers it reports paths inside flatbuffers' headers that the verified
# code has already ruled out, and that broke the release build (`make run`).
target_compile_options(voxd_warnings INTERFACE
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:Clang>>:-Wnull-dereference>)
