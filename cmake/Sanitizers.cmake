# Sanitizers apply to every target of the build (libraries, tests, tools), so the whole process is
# instrumented. Chosen per build tree through VOXD_SANITIZER (see CMakePresets.json).
if(VOXD_SANITIZER)
  list(JOIN VOXD_SANITIZER "," _voxd_sanitizers)
  add_compile_options(-fsanitize=${_voxd_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_voxd_sanitizers})
  if("thread" IN_LIST VOXD_SANITIZER AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC warns that TSan does not model atomic_thread_fence; voxd does not use fences.
    add_compile_options(-Wno-tsan)
  endif()
endif()

# Fuzz builds instrument every target for coverage; only the harnesses link libFuzzer's main.
if(VOXD_BUILD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
