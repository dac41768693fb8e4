# voxd_warnings: the warning set for voxd's own code (third-party headers come in as SYSTEM includes).
add_library(voxd_warnings INTERFACE)
target_compile_options(voxd_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough>
  # GCC 12 with optimisation reports -Wrestrict inside libstdc++'s std::string operator+ (GCC bug 105651): a false
  # positive that breaks the release build of any string concatenation. Not in Debug, whose compile commands
  # clang-tidy reads (clang does not know the option).
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>,$<NOT:$<CONFIG:Debug>>>:-Wno-restrict>
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion>
  $<$<BOOL:${VOXD_WARNINGS_AS_ERRORS}>:-Werror>)
