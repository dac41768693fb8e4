# voxd_warnings: the warning set for voxd's own code (third-party headers come in as SYSTEM includes).
add_library(voxd_warnings INTERFACE)
target_compile_options(voxd_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough>
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion>
  $<$<BOOL:${VOXD_WARNINGS_AS_ERRORS}>:-Werror>)
