# Compiler, linker and cache settings shared by every Kiln target.

# lld links libMLIR.so-heavy binaries ten times faster than bfd.
find_program(KILN_LLD NAMES ld.lld-19 ld.lld)
if(KILN_LLD AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_link_options(-fuse-ld=lld)
endif()

# ccache, when present. Precompiled headers need the sloppiness below, and
# clang must not stamp the PCH with a time.
find_program(KILN_CCACHE ccache)
if(KILN_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      ${KILN_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_CXX_COMPILER_LAUNCHER})
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-Xclang$<SEMICOLON>-fno-pch-timestamp>)
endif()

add_compile_options(-Wall -Wextra -Wno-unused-parameter)
# Record only the shared libraries a binary really uses (oneDNN's CMake
# package names OpenCL, which no CPU path needs).
add_link_options(-Wl,--as-needed)

if(KILN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
# ThreadSanitizer, for the data pipeline's worker threads (scripts/test.sh
# runs the data tests under it). It cannot be combined with ASan.
if(KILN_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# The MLIR headers every compiler-side library parses; compiled once as a
# precompiled header.
set(KILN_MLIR_PCH_HEADERS
    <mlir/IR/Builders.h>
    <mlir/IR/BuiltinOps.h>
    <mlir/IR/BuiltinTypes.h>
    <mlir/IR/Dialect.h>
    <mlir/IR/OpDefinition.h>
    <mlir/IR/PatternMatch.h>
    <mlir/Pass/Pass.h>
    <mlir/Interfaces/InferTypeOpInterface.h>
    <mlir/Interfaces/SideEffectInterfaces.h>
    <llvm/ADT/SmallVector.h>
    <llvm/ADT/STLExtras.h>)

# KilnIR compiles the precompiled header; later targets reuse it (same flags).
function(kiln_use_mlir_pch target)
  if(target STREQUAL "KilnIR")
    target_precompile_headers(${target} PRIVATE ${KILN_MLIR_PCH_HEADERS})
  else()
    target_precompile_headers(${target} REUSE_FROM KilnIR)
  endif()
endfunction()
